import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessComponent, TaskComponent } from './component-spec.ts';
import { findLeftovers } from './process-reaper.ts';
import { procStat } from './proc-info.ts';
import { Supervisor } from './supervisor.ts';
import { STATE_VERSION, readState, type PlatformEndpoints, type PlatformState } from './supervisor-state.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshState(): PlatformState {
  const runDir = mkdtempSync(join(tmpdir(), 'crucible-sup-'));
  dirs.push(runDir);
  return {
    version: STATE_VERSION,
    target: 'local',
    runDir,
    portBase: 0,
    mode: 'test',
    phase: 'starting',
    supervisor: { pid: process.pid, startTicks: 0, controlUrl: '', logFile: '' },
    startedAt: new Date().toISOString(),
    extraDirs: [],
    components: [],
    endpoints: {} as PlatformEndpoints,
  };
}

let nextPort = 7_260;
/** A tiny TCP server as a stand-in component; it also forks a child, to prove group stops. */
function server(name: string, dependsOn: string[] = [], script?: string): ProcessComponent {
  const port = nextPort++;
  const code =
    script ??
    `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], { stdio: 'ignore' }); require('node:net').createServer(s => s.end()).listen(${port}, '127.0.0.1')`;
  return {
    type: 'process',
    name,
    group: 'service',
    dependsOn,
    command: process.execPath,
    args: ['-e', code],
    ready: { kind: 'tcp', port },
    ports: { tcp: port },
    stopTimeoutMs: 2_000,
  };
}

const waitFor = async (fn: () => boolean, ms: number, what: string): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(25);
  }
};

describe('Supervisor', () => {
  it('starts components after their dependencies, runs tasks once, and reports ready', async () => {
    const order: string[] = [];
    const task: TaskComponent = { type: 'task', name: 'init', group: 'init', dependsOn: ['a'], run: async () => void order.push('init') };
    const state = freshState();
    await using sup = new Supervisor({
      state,
      specs: [server('b', ['init']), task, server('a')],
      logDir: join(state.runDir, 'logs'),
      readyTimeoutMs: 10_000,
      log: (l) => order.push(l.split(':')[0]!),
    });
    await sup.startAll();
    assert.equal(state.phase, 'ready');
    const readyOrder = order.filter((x) => ['a', 'init', 'b'].includes(x));
    assert.ok(readyOrder.indexOf('a') < readyOrder.indexOf('b'), `a before b: ${readyOrder.join(',')}`);
    assert.equal(order.filter((x) => x === 'init').length >= 1, true);
    assert.equal(readState(state.runDir)?.phase, 'ready', 'state file written');
    assert.ok(state.components.every((c) => c.status === 'ready' || c.status === 'done'));
  });

  it('restarts a crashed process with backoff and counts the restart', async () => {
    const state = freshState();
    await using sup = new Supervisor({
      state,
      specs: [server('svc')],
      logDir: join(state.runDir, 'logs'),
      readyTimeoutMs: 10_000,
      restart: { initialDelayMs: 50, maxDelayMs: 200, resetAfterMs: 60_000 },
    });
    await sup.startAll();
    const c = state.components[0]!;
    const firstPid = c.pid!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor(() => c.status === 'ready' && c.pid !== undefined && c.pid !== firstPid, 10_000, 'restart');
    assert.equal(c.restarts, 1);
    assert.equal(c.lastExit?.signal, 'SIGKILL');
  });

  it('fails the start naming the component and its log when a process exits before it is ready, and stops the rest', async () => {
    const state = freshState();
    const good = server('good');
    const bad = server('bad', ['good'], "console.error('migration 002_orders failed: relation exists'); process.exit(3)");
    await using sup = new Supervisor({ state, specs: [good, bad], logDir: join(state.runDir, 'logs'), readyTimeoutMs: 10_000 });
    await assert.rejects(sup.startAll(), /exited during start \(code 3\)/);
    assert.equal(state.phase, 'failed');
    assert.equal(state.error?.component, 'bad');
    assert.ok(
      state.error?.logTail.some((l) => l.includes('migration 002_orders failed')),
      'log tail carries the reason',
    );
    const goodState = state.components.find((c) => c.name === 'good')!;
    assert.equal(goodState.status, 'stopped');
  });

  it('holds a component down without restarting it, then releases it', async () => {
    const state = freshState();
    await using sup = new Supervisor({
      state,
      specs: [server('db')],
      logDir: join(state.runDir, 'logs'),
      readyTimeoutMs: 10_000,
      restart: { initialDelayMs: 10, maxDelayMs: 10, resetAfterMs: 60_000 },
    });
    await sup.startAll();
    await sup.hold('db');
    await sleep(200);
    assert.equal(state.components[0]!.status, 'held');
    assert.equal(state.components[0]!.pid, undefined);
    await sup.release('db');
    assert.equal(state.components[0]!.status, 'ready');
  });

  it('stops whole process groups: no child of a component survives stopAll', async () => {
    const state = freshState();
    await using sup = new Supervisor({ state, specs: [server('parent')], logDir: join(state.runDir, 'logs'), readyTimeoutMs: 10_000 });
    await sup.startAll();
    const pgid = state.components[0]!.pgid!;
    const members = (): number => findLeftovers(state.runDir, [pgid]).length;
    await waitFor(() => members() >= 2, 5_000, 'the forked child exists');
    await sup.stopAll();
    assert.equal(members(), 0);
    assert.equal(procStat(pgid), undefined);
  });

  it('a stop requested during the start stops everything, also what the start was still launching', async () => {
    const state = freshState();
    const slowPort = nextPort++;
    // 'fast' ignores SIGTERM for a while, so a complete stop takes time and an incomplete one shows.
    // Ready only after 1.5 s, so the stop lands while the start waits on it; 'late' depends on it.
    const slow: ProcessComponent = {
      ...server('slow'),
      args: ['-e', `setTimeout(() => require('node:net').createServer(s => s.end()).listen(${slowPort}, '127.0.0.1'), 1500)`],
      ready: { kind: 'tcp', port: slowPort },
    };
    const stubborn: ProcessComponent = {
      ...server('fast'),
      args: [
        '-e',
        `process.on('SIGTERM', () => setTimeout(() => process.exit(0), 400)); require('node:net').createServer(s => s.end()).listen(${nextPort}, '127.0.0.1')`,
      ],
      ready: { kind: 'tcp', port: nextPort++ },
    };
    await using sup = new Supervisor({ state, specs: [stubborn, slow, server('late', ['slow'])], logDir: join(state.runDir, 'logs'), readyTimeoutMs: 10_000 });
    const starting = sup.startAll().catch(() => 'start failed');
    await waitFor(() => state.components.find((c) => c.name === 'slow')?.status === 'starting', 5_000, 'slow is starting');
    const pgids = (): number[] => state.components.flatMap((c) => (c.pgid === undefined ? [] : [c.pgid]));
    const stopping = sup.stopAll();
    // Awaiting only the failed start (as the supervisor's main did) must also mean everything is stopped.
    assert.equal(await starting, 'start failed');
    assert.deepEqual(findLeftovers(state.runDir, pgids()), []);
    await stopping;
    assert.equal(state.components.find((c) => c.name === 'late')!.pid, undefined, 'late was never left running');
  });
});
