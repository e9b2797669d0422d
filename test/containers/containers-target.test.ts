/**
 * The containers target through the CLI, for real (podman here): `up --target containers` builds what
 * is missing and starts the platform as containers with its endpoints in the port block on 127.0.0.1,
 * `status` sees every container healthy, the smoke check passes through the edge, a Toxiproxy toxic on
 * a mesh edge slows exactly the requests that cross it, a SIGKILLed gateway is restarted by the engine, `crucible run` drives the smoke load scenario through
 * it (`--target containers`), `down` removes everything. A harness
 * SIGKILLed in the middle of `up` leaves containers behind that `down` then removes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { detectContainerEngine, type ContainerEngine } from '../../harness/containers/container-engine.ts';
import { checkHealth } from '../../harness/containers/container-health.ts';
import { OWNER_LABEL } from '../../harness/containers/container-spec.ts';
import { engineCommand } from '../../harness/containers/engine-command.ts';
import { runSmokeCheck } from '../../harness/smoke/smoke-check.ts';
import type { ContainersState, ContainersStatus } from '../../harness/targets/containers/containers-target.ts';
import { httpCall } from '../../harness/util/http-call.ts';
import { assertServedRun, crucible } from '../support/crucible-cli.ts';

const BASE = 7880;
const owner = `crucible-${BASE}`;

/** Polls (bounded: 120 tries 500 ms apart) until `ok` answers true. */
async function eventually(ok: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await ok()) return;
    await sleep(500);
  }
  assert.fail(`${what}: not within 120 tries`);
}

async function owned(engine: ContainerEngine): Promise<string[]> {
  const filter = ['--filter', `label=${OWNER_LABEL}=${owner}`];
  const lines = async (args: string[]): Promise<string[]> => (await engineCommand(engine, args)).split('\n').filter(Boolean);
  return [...(await lines(['ps', '--all', '--quiet', ...filter])), ...(await lines(['network', 'ls', '--quiet', ...filter]))];
}

describe('the containers target', { timeout: 40 * 60_000 }, () => {
  let engine: ContainerEngine;

  before(async () => {
    engine = await detectContainerEngine();
  });

  after(async () => {
    await crucible(['down', '--target', 'containers', '--port-base', String(BASE)]);
    assert.deepEqual(await owned(engine), [], 'nothing of the platform is left');
  });

  it('up, status, the smoke check and a toxic through the edge, down', { timeout: 30 * 60_000 }, async () => {
    const up = await crucible(['up', '--target', 'containers', '--port-base', String(BASE), '--json']);
    assert.equal(up.code, 0, up.stderr);
    const state = JSON.parse(up.stdout) as ContainersState;
    assert.deepEqual(
      [state.endpoints.edge, state.endpoints.edgeStats, state.endpoints.prometheus, state.endpoints.toxiproxy],
      [0, 1, 2, 3].map((i) => `http://127.0.0.1:${BASE + i}`),
    );

    const status = await crucible(['status', '--target', 'containers', '--port-base', String(BASE), '--json']);
    assert.equal(status.code, 0, status.stdout);
    const st = JSON.parse(status.stdout) as ContainersStatus;
    assert.equal(st.health, 'up', st.problems.join('; '));
    assert.equal(st.containers.length, 14);
    assert.ok(st.containers.every((c) => c.state === 'running' && c.healthy));

    const smoke = await runSmokeCheck(state.endpoints.edge);
    assert.ok(smoke.ok, smoke.steps.map((s) => `${s.ok ? 'pass' : 'FAIL'} ${s.name}: ${s.detail}`).join('\n'));

    // A latency toxic on gateway -> catalog: an uncached product read crosses it and cannot answer sooner than the delay.
    const toxic = await httpCall(`${state.endpoints.toxiproxy}/proxies/gateway-catalog/toxics`, 'POST', {
      body: { name: 'slow-catalog', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 400 } },
      timeoutMs: 5_000,
    });
    assert.equal(toxic.status, 200, toxic.text);
    const t0 = performance.now();
    const slow = await httpCall(`${state.endpoints.edge}/api/products/777`, 'GET', { timeoutMs: 15_000 });
    const slowMs = performance.now() - t0;
    assert.equal((await httpCall(`${state.endpoints.toxiproxy}/proxies/gateway-catalog/toxics/slow-catalog`, 'DELETE', { timeoutMs: 5_000 })).status, 204);
    assert.equal(slow.status, 200, slow.text);
    assert.ok(slowMs >= 400, `a read through the toxic answered in ${slowMs.toFixed(0)} ms`);

    // A killed gateway process comes back by the restart policy, and the edge serves through it again.
    const pid = Number((await engineCommand(engine, ['inspect', '--format', '{{.State.Pid}}', `${owner}-gateway-1`])).trim());
    assert.ok(pid > 0);
    process.kill(pid, 'SIGKILL');
    await eventually(async () => {
      const [running, restarts] = (await engineCommand(engine, ['inspect', '--format', '{{.State.Running}} {{.RestartCount}}', `${owner}-gateway-1`]))
        .trim()
        .split(' ');
      return running === 'true' && Number(restarts) >= 1 && (await checkHealth(engine, `${owner}-gateway-1`));
    }, 'gateway-1 restarted and healthy');
    const healed = await runSmokeCheck(state.endpoints.edge);
    assert.ok(healed.ok, healed.steps.map((s) => `${s.ok ? 'pass' : 'FAIL'} ${s.name}: ${s.detail}`).join('\n'));

    // The same scenario as on the local target, through the edge, with the platform's metrics from its Prometheus.
    const reports = await mkdtemp(join(tmpdir(), 'crucible-containers-run-'));
    try {
      const run = await crucible(['run', 'scenarios/load/smoke.ts', '--target', 'containers', '--port-base', String(BASE), '--reports-dir', reports, '--json']);
      assertServedRun(run, `http://127.0.0.1:${BASE}`, 300);
    } finally {
      await rm(reports, { recursive: true, force: true });
    }

    const down = await crucible(['down', '--target', 'containers', '--port-base', String(BASE)]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /removed 14 containers/);
    assert.deepEqual(await owned(engine), []);
    const after = await crucible(['status', '--target', 'containers', '--port-base', String(BASE), '--json']);
    assert.equal(after.code, 3);
    assert.equal((JSON.parse(after.stdout) as ContainersStatus).health, 'down');
  });

  it('a harness SIGKILLed during up leaves containers that down removes', { timeout: 10 * 60_000 }, async () => {
    // Whatever the test before left (it fails without its down), this up must start from nothing, or it would reuse a platform.
    await crucible(['down', '--target', 'containers', '--port-base', String(BASE)]);
    const killed = await crucible(['up', '--target', 'containers', '--port-base', String(BASE)], { killWhen: (out) => /postgres\s+ready/.test(out) });
    assert.equal(killed.code, null, 'killed by SIGKILL');
    assert.ok((await owned(engine)).length > 0, 'the killed up left containers behind');
    const status = await crucible(['status', '--target', 'containers', '--port-base', String(BASE), '--json']);
    assert.equal((JSON.parse(status.stdout) as ContainersStatus).health, 'degraded');
    const down = await crucible(['down', '--target', 'containers', '--port-base', String(BASE)]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await owned(engine), []);
  });
});
