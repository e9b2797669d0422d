import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../../../harness/util/project-root.ts';
import { findLeftovers } from '../../../platform/local/process-reaper.ts';
import { listPorts, portMap } from '../../../platform/local/ports.ts';
import type { TargetStatus } from '../../../harness/targets/target.ts';
import { call, eventually, type PlatformFixture } from '../platform-fixture.ts';

const run = promisify(execFile);
const cli = join(projectRoot(), 'bin', 'crucible');

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

export function statusSuite(p: () => PlatformFixture): void {
  describe('crucible status', () => {
    it('--json lists every component with its pid and ports, and every endpoint URL', async () => {
      const { stdout } = await run(cli, ['status', '--json', '--port-base', String(p().state.portBase)]);
      const status = JSON.parse(stdout) as TargetStatus;
      assert.equal(status.health, 'up');
      const st = status.state!;
      assert.equal(st.endpoints.edge, `http://127.0.0.1:${st.portBase}`);
      assert.equal(st.endpoints.gateways.length, 2);
      for (const c of st.components.filter((x) => x.type === 'process')) {
        assert.equal(c.status, 'ready', `${c.name} ready`);
        assert.ok(Number.isInteger(c.pid), `${c.name} has a pid`);
        assert.ok(Object.keys(c.ports).length > 0, `${c.name} lists its ports`);
      }
      const names = st.components.map((c) => c.name);
      for (const n of ['edge', 'gateway-1', 'gateway-2', 'auth-1', 'catalog-1', 'postgres', 'toxiproxy', 'prometheus', 'redis-0', 'redis-5'])
        assert.ok(names.includes(n), `${n} listed`);
    });

    it('prints a human table', async () => {
      const { stdout } = await run(cli, ['status', '--port-base', String(p().state.portBase)]);
      assert.match(stdout, /COMPONENT\s+STATE\s+PID/);
      assert.match(stdout, /gateway-2\s+ready/);
    });
  });
}

export function downSuite(p: () => PlatformFixture): void {
  describe('crucible down', () => {
    it('reports the platform as degraded when its supervisor was SIGKILLed', async () => {
      const st = p().target.state()!;
      process.kill(st.supervisor.pid, 'SIGKILL');
      await eventually(async () => !p().target.supervisorAlive(st), 5_000, 'supervisor gone');
      const status = await p().target.status();
      assert.equal(status.health, 'degraded');
      assert.match(status.problems.join('\n'), /supervisor .* is not running/);
      assert.equal((await call(`${p().edge}/healthz`)).status, 200, 'the components themselves keep serving');
    });

    it('stops everything without the supervisor too, and leaves no process and no port behind', async () => {
      const st = p().state;
      const pgids = p()
        .target.state()!
        .components.flatMap((c) => (c.pgid !== undefined ? [c.pgid] : []));
      assert.ok(findLeftovers(st.runDir, pgids).length >= 14, 'the components were still running');
      const report = await p().target.down();
      assert.ok(report.reaped.length >= 14, `down found and killed the orphans (${report.reaped.length})`);
      assert.deepEqual(findLeftovers(st.runDir, pgids), [], 'no process of the platform is alive');
      const ports = listPorts(portMap(st.portBase, st.endpoints.gateways.length));
      const busy = (await Promise.all(ports.map(async (x) => ((await portFree(x.port)) ? undefined : x)))).filter(Boolean);
      assert.deepEqual(busy, [], 'every port of the block is free again');
      assert.equal((await p().target.status()).health, 'down');
    });
  });
}
