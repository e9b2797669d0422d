// Every fault type against the real local platform (port base 7900): injected, its effect observed
// from the outside, reverted, the effect gone. Then a harness SIGKILLed with four faults in place,
// and `crucible recover` cleaning up after it from the journal alone.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { CrucibleError } from '../errors/crucible-error.ts';
import { LocalTarget } from '../targets/local/local-target.ts';
import { httpCall } from '../util/http-call.ts';
import { projectRoot } from '../util/project-root.ts';
import { procStat } from '../../platform/local/proc-info.ts';
import type { PlatformState } from '../../platform/local/supervisor-state.ts';
import {
  createFault,
  FaultJournal,
  faultJournalPath,
  injectFault,
  localFaultEnvironment,
  pendingFaults,
  readJournal,
  type ActiveFault,
  type FaultSpec,
  type LivePlatformFaultEnvironment,
} from './index.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';

const BASE = 7900;
const ROOT = projectRoot();
/** Longer than any test here: the dead-man only matters when a test hangs. */
const MAX_FAULT_MS = 120_000;

async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; i < 10_000; i++) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) break;
    await sleep(everyMs);
  }
  throw new Error(`${what}: not true within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const portRefuses = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.setTimeout(2_000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

describe('faults on the local platform', { timeout: 150_000 }, () => {
  const target = new LocalTarget({ portBase: BASE });
  let state: PlatformState;
  let env: LivePlatformFaultEnvironment;
  let runFolder: string;
  let journal: FaultJournal;
  // Products no other read of this test touched: each read is a cache miss that goes to the catalog.
  let nextProduct = 1 + Math.floor(Math.random() * 4_000);

  const coldRead = async (): Promise<{ ms: number; status: number; cache: unknown }> => {
    const id = nextProduct++;
    const t0 = performance.now();
    const r = await httpCall(`${state.endpoints.edge}/api/products/${id}`, 'GET', { timeoutMs: 10_000 });
    return { ms: performance.now() - t0, status: r.status, cache: r.headers['x-cache'] };
  };
  /** The times of `n` cold reads, one after the other. */
  const coldReadsMs = async (n: number): Promise<number[]> => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await coldRead();
      assert.equal(r.status, 200);
      assert.equal(r.cache, 'miss');
      ms.push(r.ms);
    }
    return ms;
  };
  // Every test holds its fault with `await using`: a failed check must not leave the fault for the next test.
  const inject = (spec: FaultSpec, id: string, name = `${spec.type} test`): Promise<ActiveFault> =>
    injectFault(createFault(spec, env), { id, name, journal, maxDurationMs: MAX_FAULT_MS });
  const component = async (name: string) => (await env.liveState()).components.find((c) => c.name === name)!;
  /** The supervisor has the component running (ready, a live pid) again, other than `oldPid`. */
  const runningAgain = (name: string, oldPid: number | undefined): Promise<number> =>
    eventually(
      async () => {
        const pid = await env.pidOf(name);
        return pid !== oldPid ? pid : undefined;
      },
      30_000,
      `${name} runs again`,
      250,
    );

  before(async () => {
    state = await target.up();
    env = localFaultEnvironment(state);
    runFolder = mkdtempSync(join(tmpdir(), 'crucible-faults-'));
    journal = new FaultJournal(faultJournalPath(runFolder), env.target);
  });
  after(async () => {
    await target.down();
    if (runFolder) rmSync(runFolder, { recursive: true, force: true });
  });

  it('refuses an unknown proxy naming the known ones, and an unknown toxic attribute, before journaling anything', async () => {
    const journaled = (): number => readJournalSafe(journal.file).length;
    const before = journaled();
    await assert.rejects(inject({ type: 'proxy-down', proxy: 'gateway-catalogue' }, 'r.0'), (err: CrucibleError) => {
      assert.equal(err.code, 'CRUCIBLE_ERR_FAULT_INJECT');
      assert.match(err.message, /'gateway-catalogue'/);
      assert.match(err.details.join('\n'), /known proxies: .*gateway-catalog.*gateway-redis-5/);
      return true;
    });
    await assert.rejects(inject({ type: 'toxic', proxy: 'nothing-*', toxic: 'latency' }, 'r.1'), /no proxy 'nothing-\*'/);
    await assert.rejects(
      inject({ type: 'toxic', proxy: 'gateway-catalog', toxic: 'latency', attributes: { latancy: 300 } }, 'r.2'),
      /latency has no attribute 'latancy'/,
    );
    await assert.rejects(inject({ type: 'process-kill', component: 'gateway-9' }, 'r.3'), /no component named 'gateway-9'/);
    assert.equal(journaled(), before);
  });

  it('toxic: expands gateway-redis-* to the six proxies, one uniquely named toxic each, all removed on revert', async () => {
    const api = new ToxiproxyApi(env.toxiproxyUrl);
    await using fault = await inject({ type: 'toxic', proxy: 'gateway-redis-*', toxic: 'latency', attributes: { latency: 1 } }, '1.0', 'tiny latency on redis');
    assert.equal(fault.targets, 'gateway-redis-0, gateway-redis-1, gateway-redis-2, gateway-redis-3, gateway-redis-4, gateway-redis-5');
    for (let i = 0; i < 6; i++)
      assert.deepEqual(
        (await api.toxics(`gateway-redis-${i}`)).map((t) => t.name),
        ['crucible-1.0-latency'],
      );
    assert.equal(pendingFaults(readJournal(journal.file)).at(-1)?.id, '1.0');
    const outcome = await fault.revert();
    assert.equal(outcome.status, 'reverted');
    assert.equal(await fault.revert(), outcome, 'idempotent');
    for (let i = 0; i < 6; i++) assert.deepEqual(await api.toxics(`gateway-redis-${i}`), []);
    assert.ok(!pendingFaults(readJournal(journal.file)).some((f) => f.id === '1.0'), 'journaled as reverted');
  });

  it('toxic: 300 ms of latency on gateway-catalog holds every cache-missing product read at least that long, and is gone after revert', async () => {
    await coldReadsMs(3); // warm the gateway's pooled connections to the catalog
    const baseline = await coldReadsMs(5);
    let slowed: number[];
    {
      await using _fault = await inject({ type: 'toxic', proxy: 'gateway-catalog', toxic: 'latency', attributes: { latency: 300 } }, '2.0', 'catalog latency');
      slowed = await coldReadsMs(5);
      assert.ok(
        (await env.verifyClean()).some((p) => /toxic crucible-2\.0-latency .* gateway-catalog/.test(p)),
        'verifyClean sees the toxic',
      );
    }
    const afterRevert = await coldReadsMs(5);
    console.log(
      `# latency toxic 300 ms: cold read median ${median(baseline).toFixed(1)} ms -> ${median(slowed).toFixed(1)} ms -> ${median(afterRevert).toFixed(1)} ms after revert`,
    );
    // The toxic delays the catalog's answer by 300 ms: no read that needs it can be quicker, however fast
    // the machine. How much slower than the baseline is a figure for the log: a busy machine moves it.
    assert.ok(Math.min(...slowed) >= 300, `cold reads under the toxic: ${slowed.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    // Reverted: the proxy carries no toxic (the reads above went through it, answered and missed the cache).
    assert.deepEqual(await new ToxiproxyApi(env.toxiproxyUrl).toxics('gateway-catalog'), []);
    assert.deepEqual(await env.verifyClean(), []);
  });

  it('proxy-down: product reads that miss the cache fail with 5xx while gateway-catalog is down, and succeed after revert', async () => {
    const down: { status: number }[] = [];
    {
      await using _fault = await inject({ type: 'proxy-down', proxy: 'gateway-catalog' }, '3.0', 'catalog edge down');
      down.push(await coldRead(), await coldRead());
      assert.ok(
        down.every((r) => r.status >= 500),
        `statuses while down: ${down.map((r) => r.status).join(', ')}`,
      );
      assert.ok((await env.verifyClean()).includes('proxy gateway-catalog is disabled'));
    }
    const back = await eventually(
      async () => {
        const r = await coldRead();
        return r.status === 200 ? r : undefined;
      },
      10_000,
      'reads succeed again',
    );
    console.log(`# proxy-down: statuses ${down.map((r) => r.status).join(', ')} while down; 200 again after revert (${back.ms.toFixed(1)} ms)`);
    assert.deepEqual(await env.verifyClean(), []);
  });

  it("process-pause: catalog-1's process is in state T until revert sends SIGCONT", async () => {
    const pid = (await component('catalog-1')).pid!;
    {
      await using fault = await inject({ type: 'process-pause', component: 'catalog-1' }, '4.0', 'catalog hangs');
      assert.deepEqual(fault.applied.undo, [{ kind: 'continue-process', component: 'catalog-1', pid }]);
      assert.equal(procStat(pid)?.state, 'T', 'stopped by the time inject returns');
      assert.ok((await env.verifyClean()).some((p) => p.includes(`catalog-1: pid ${pid} is stopped`)));
    }
    assert.notEqual(procStat(pid)?.state, 'T');
    assert.equal((await component('catalog-1')).pid, pid, 'the same process, continued, not restarted');
    await eventually(async () => (await coldRead()).status === 200, 10_000, 'catalog serves again');
    await sleep(1_000);
    assert.notEqual(procStat(pid)?.state, 'T', 'still running a second later');
  });

  it('component-stop: postgres is held (its port refuses connections) until revert releases it', async () => {
    {
      await using _fault = await inject({ type: 'component-stop', component: 'postgres' }, '5.0', 'postgres stopped');
      assert.equal((await component('postgres')).status, 'held');
      assert.ok(await portRefuses(state.endpoints.postgres.port), 'postgres port refuses connections');
      await sleep(1_000);
      assert.equal((await component('postgres')).status, 'held', 'the supervisor did not restart it');
      assert.ok((await env.verifyClean()).includes('postgres is held'));
    }
    assert.equal((await component('postgres')).status, 'ready');
    assert.equal(await portRefuses(state.endpoints.postgres.port), false);
    await eventually(async () => (await coldRead()).status === 200, 15_000, 'product reads work again');
  });

  it('process-kill: gateway-1 gets a new pid and the supervisor counts a restart; the journal keeps what recovery checks', async () => {
    const before = await component('gateway-1');
    await using fault = await inject({ type: 'process-kill', component: 'gateway-1' }, '6.0', 'gateway crash');
    assert.equal(fault.selfHealing, true);
    assert.equal(fault.targets, `gateway-1 (pid ${before.pid}, SIGKILL)`);
    const t0 = Date.now();
    assert.equal((await fault.revert()).status, 'self-healing', 'nothing to revert');
    assert.deepEqual(pendingFaults(readJournal(journal.file)).find((f) => f.id === '6.0')?.undo, [{ kind: 'expect-running', component: 'gateway-1' }]);
    await runningAgain('gateway-1', before.pid);
    const after = await component('gateway-1');
    console.log(`# process-kill gateway-1: pid ${before.pid} -> ${after.pid}, running again ${Date.now() - t0} ms after the kill`);
    assert.notEqual(after.pid, before.pid);
    assert.equal(after.restarts, before.restarts + 1);
    assert.equal(after.lastExit?.signal, 'SIGKILL');
  });

  it("redis-primary-kill: shard 1's primary dies, its replica becomes the shard's primary, the node runs again", async () => {
    const old = await env.redisPrimary(1);
    await using fault = await inject({ type: 'redis-primary-kill', shard: 1 }, '7.0', 'redis failover');
    assert.equal(fault.selfHealing, true);
    const t0 = Date.now();
    const promoted = await eventually(
      async () => {
        const p = await env.redisPrimary(1);
        return p.component !== old.component ? p : undefined;
      },
      15_000,
      'a replica took over shard 1',
      250,
    );
    const failoverMs = Date.now() - t0;
    await runningAgain(old.component, old.pid);
    console.log(
      `# redis-primary-kill shard 1: ${old.component} killed, ${promoted.component} primary after ${failoverMs} ms; ${old.component} running again after ${Date.now() - t0} ms`,
    );
    assert.notEqual((await component(old.component)).pid, old.pid);
    assert.equal((await env.redisPrimary(1)).component, promoted.component, 'the restarted node rejoined as a replica');
    assert.deepEqual(await env.verifyClean(), []);
  });

  it('journal + recover: a harness SIGKILLed with four faults in place is cleaned up by `crucible recover`', async () => {
    const crashFolder = join(runFolder, 'crashed-run');
    const file = faultJournalPath(crashFolder);
    // Stopped first, its database edge cut last: recover must undo the network before releasing auth,
    // whose readiness needs PostgreSQL through auth-postgres.
    const specs: FaultSpec[] = [
      { type: 'component-stop', component: 'auth-1' },
      { type: 'process-pause', component: 'catalog-1' },
      { type: 'proxy-down', proxy: 'auth-postgres' },
      { type: 'toxic', proxy: 'gateway-redis-*', toxic: 'latency', attributes: { latency: 100 } },
    ];
    const url = (p: string): string => pathToFileURL(join(ROOT, p)).href;
    const script = `
      import { createFault, FaultJournal, injectFault, localFaultEnvironment } from ${JSON.stringify(url('harness/faults/index.ts'))};
      import { readState } from ${JSON.stringify(url('platform/local/supervisor-state.ts'))};
      setTimeout(() => process.exit(9), 60_000); // bounded even if nobody kills us
      const env = localFaultEnvironment(readState(${JSON.stringify(state.runDir)}));
      const journal = new FaultJournal(${JSON.stringify(file)}, { kind: 'local', portBase: ${BASE} });
      const specs = ${JSON.stringify(specs)};
      for (const [i, spec] of specs.entries()) await injectFault(createFault(spec, env), { id: i + '.0', name: spec.type, journal, maxDurationMs: 120_000 });
      console.log('injected');
    `;
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, sig) => r(sig ?? code)));
    await eventually(async () => out.includes('injected'), 30_000, `the child injected its faults (output: ${out})`, 100);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    assert.equal(pendingFaults(readJournal(file)).length, 4, 'four faults journaled, none reverted');
    const dirty = await env.verifyClean();
    for (const p of [/toxic crucible-3\.0-latency .* gateway-redis-5/, /proxy auth-postgres is disabled/, /catalog-1: pid \d+ is stopped/, /auth-1 is held/]) {
      assert.ok(
        dirty.some((d) => p.test(d)),
        `verifyClean sees ${p} in ${dirty.join('; ')}`,
      );
    }

    const t0 = Date.now();
    const r = await cli(['recover', crashFolder, '--port-base', String(BASE)]);
    console.log(`# crucible recover after a SIGKILLed harness: exit ${r.code} in ${Date.now() - t0} ms\n${r.stdout.trimEnd().replace(/^/gm, '#   ')}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /undoing 4 pending fault\(s\)/);
    assert.match(r.stdout, /the platform is clean/);
    const order = ['enable proxy auth-postgres', 'SIGCONT catalog-1', 'release auth-1'].map((x) => r.stdout.indexOf(x));
    assert.ok(
      order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)),
      `network, then processes: ${order.join(', ')}`,
    );
    assert.deepEqual(await env.verifyClean(), []);
    assert.deepEqual(pendingFaults(readJournal(file)), []);

    // Again, with the port base taken from the journal: nothing left to do, still clean.
    const again = await cli(['recover', crashFolder]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /no pending fault/);
  });
});

describe('crucible recover refusals', () => {
  it('exits 2 for a folder without a journal, and 3 when the platform the journal names does not run', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'crucible-recover-'));
    try {
      const none = await cli(['recover', folder]);
      assert.equal(none.code, 2, none.stderr);
      assert.match(none.stderr, /CRUCIBLE_ERR_RECOVER_INPUT: .* has no faults\.jsonl/);
      // 7950: inside this test's block, and never started by it.
      await new FaultJournal(faultJournalPath(folder), { kind: 'local', portBase: 7950 }).revert('0.0', true);
      const notRunning = await cli(['recover', folder]);
      assert.equal(notRunning.code, 3, notRunning.stderr);
      assert.match(notRunning.stderr, /CRUCIBLE_ERR_NOT_RUNNING: no running local platform on port base 7950/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

function readJournalSafe(file: string): unknown[] {
  try {
    return readJournal(file);
  } catch {
    return [];
  }
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', join(ROOT, 'harness', 'cli', 'main.ts'), ...args],
      { env: { ...process.env, CI: 'true' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
