import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefinition, type LoadedScenario } from '../../harness/config/load-definition.ts';
import { failedOn } from '../../harness/result/verdict.ts';
import { runScenario, type RunOutcome } from '../../harness/run/run-scenario.ts';
import { createDistributedEngine, type DistributedOptions } from '../../harness/distributed/distributed-engine.ts';

// N=3 load pods as real processes against a loopback server of known latency. What is asserted holds
// however slow or busy the machine is: counts the schedule fixes, sums, bounds that follow from the
// server's delays (a response never comes before its delay), and which processes are alive. No timing.

/** /known?ms=N answers 200 after N ms and records N; /status/N answers N. */
class KnownLatencyServer {
  readonly delays: number[] = [];
  requests = 0;
  onRequest: (n: number) => void = () => {};
  readonly #server: Server = createServer((req, res) => {
    this.onRequest(++this.requests);
    const url = new URL(req.url ?? '/', 'http://x');
    const status = /^\/status\/(\d+)$/.exec(url.pathname);
    if (status) return void res.writeHead(Number(status[1])).end();
    const ms = Number(url.searchParams.get('ms') ?? 0);
    this.delays.push(ms);
    setTimeout(() => res.writeHead(200).end('ok'), ms);
  });
  url = '';

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }
  reset(): void {
    this.delays.length = 0;
    this.requests = 0;
    this.onRequest = () => {};
  }
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

const server = new KnownLatencyServer();
const reportsDir = mkdtempSync(join(tmpdir(), 'crucible-distributed-'));
const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/scenarios/distributed/${name}.ts`, import.meta.url));

before(() => server.listen());
after(async () => {
  await server.close();
  rmSync(reportsDir, { recursive: true, force: true });
});

/** Whether a process of this id still exists. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs a fixture scenario with 3 load pods (one worker each) through the run orchestrator; the pods' process ids come back too. */
async function runPods(name: string, opts: Partial<DistributedOptions> = {}): Promise<RunOutcome & { pids: number[] }> {
  server.reset();
  const loaded = (await loadDefinition(fixture(name))) as LoadedScenario;
  const pids: number[] = [];
  const engine = createDistributedEngine({ pods: 3, ...opts, onPodStarted: (i, pid) => ((pids[i] = pid!), opts.onPodStarted?.(i, pid)) });
  const out = await runScenario(loaded, {
    target: { kind: 'local', name: 'test', baseUrl: server.url },
    engine: ({ scenario }) => ({ engine, scenarioFile: scenario.file }),
    reportsDir,
    signal: new AbortController().signal,
    workers: 1,
  });
  return { ...out, pids };
}

const count = (s: RunOutcome['summary'], metric: string): number => {
  const m = s.metrics[metric];
  assert.equal(m?.type, 'counter');
  return m.type === 'counter' ? m.values.count : NaN;
};

describe('distributed load: 3 load pods on loopback', () => {
  it('splits the plan exactly, merges every sample, keeps each pod’s figures, and leaves no process behind', async () => {
    const { summary: s, pids } = await runPods('known-latency');
    assert.equal(s.verdict.status, 'passed', JSON.stringify(s.verdict.failures));
    // 30/s for 5 s: 150 arrivals, 50 per pod (pod p takes arrivals p, p+3, ...), each one request.
    assert.equal(s.droppedIterations, 0, 'no arrival dropped (else the exact counts below do not hold)');
    assert.equal(count(s, 'http_reqs'), 150);
    assert.equal(server.requests, 150, 'the server saw every request once');
    const pods = s.pods!;
    assert.deepEqual(
      pods.map((p) => [p.status, p.requests]),
      [
        ['completed', 50],
        ['completed', 50],
        ['completed', 50],
      ],
    );
    assert.equal(
      pods.reduce((a, p) => a + p.requests, 0),
      count(s, 'http_reqs'),
    );
    // Pod 0's VUs are the slow ones (80 ms), the others' fast (10 ms): the breakdown shows the skew (bounds from the delays alone).
    assert.ok(pods[0]!.p50Ms! >= 80 && pods[1]!.p50Ms! >= 10 && pods[2]!.p50Ms! >= 10, JSON.stringify(pods));
    const merged = s.metrics['http_req_duration'];
    assert.equal(merged?.type, 'trend');
    if (merged?.type !== 'trend') return;
    const delays = [...server.delays].sort((a, b) => a - b);
    const exact = (q: number): number => delays[Math.ceil((q / 100) * delays.length) - 1]!;
    for (const [q, v, own] of [
      [50, merged.values.med, pods.map((p) => p.p50Ms!)],
      [95, merged.values['p(95)'], pods.map((p) => p.p95Ms!)],
      [99, merged.values['p(99)'], pods.map((p) => p.p99Ms!)],
    ] as const) {
      // Never below the exact percentile of the union of the known delays: a response never beats its delay.
      assert.ok(v >= exact(q) * 0.999, `p${q}: merged ${v} below the union's exact ${exact(q)}`);
      // A percentile of a union lies between the parts' own (within HDR precision): a merge that dropped or misweighed a pod would leave that range.
      assert.ok(v >= Math.min(...own) * 0.999 && v <= Math.max(...own) * 1.001, `p${q}: merged ${v} outside the pods' ${own.join(', ')}`);
    }
    // A third of the samples are at least 80 ms: p95 is one of them.
    assert.ok(merged.values['p(95)'] >= 80, JSON.stringify(merged.values));
    assert.equal(merged.values.count, 150);
    for (const pid of pids) assert.equal(alive(pid), false, `pod process ${pid} is still running`);
  });

  it('fails the run on a threshold breached across pods but by no single pod', async () => {
    const { summary: s } = await runPods('across-pods');
    // One 500 per pod: each pod's own count<2 holds; the merged count is 3.
    assert.equal(s.verdict.status, 'failed');
    assert.ok(failedOn(s.verdict, 'threshold', 'http_reqs{status:500} count<2'), JSON.stringify(s.verdict.failures));
    assert.equal(s.thresholds[0]!.actual, 3);
    assert.deepEqual(
      s.pods!.map((p) => p.status),
      ['completed', 'completed', 'completed'],
    );
  });

  it('abortOnFail on the merged data stops every pod', async () => {
    const { summary: s, pids } = await runPods('abort');
    assert.equal(s.verdict.status, 'failed');
    assert.match(s.run.abortReason ?? '', /threshold: http_reqs\{status:500\} count<20/);
    assert.ok(s.thresholds[0]!.aborted);
    // Every pod was stopped, and far fewer than the 900 planned iterations ran.
    assert.deepEqual(
      s.pods!.map((p) => p.status),
      ['stopped', 'stopped', 'stopped'],
    );
    assert.ok(count(s, 'http_reqs') < 900 && server.requests < 900, `${count(s, 'http_reqs')} requests`);
    for (const p of s.pods!) assert.ok(p.requests > 0, `pod ${p.index} ran`);
    for (const pid of pids) assert.equal(alive(pid), false, `pod process ${pid} is still running`);
  });

  it('a killed pod is reported lost, its segment missing, the run an error; the others finish and nothing is left behind', async () => {
    const started: number[] = [];
    const out = runPods('known-latency', { onPodStarted: (i, pid) => (started[i] = pid!) });
    // Kill pod 1 once the load is under way (a fifth of the requests served), from the server's side of the run.
    server.onRequest = (n) => {
      if (n === 30) process.kill(started[1]!, 'SIGKILL');
    };
    const { summary: s, pids } = await out;
    assert.equal(s.verdict.status, 'error');
    assert.equal(s.verdict.exitCode, 3);
    const pods = s.pods!;
    assert.deepEqual(
      pods.map((x) => x.status),
      ['completed', 'lost', 'completed'],
    );
    assert.match(pods[1]!.reason ?? '', /SIGKILL/);
    assert.ok(
      s.verdict.failures.some((f) => f.kind === 'error' && /load pod 1 of 3 lost/.test(f.words)),
      JSON.stringify(s.verdict.failures),
    );
    // The survivors ran their whole segments; the lost one's count is what it reported before it died.
    assert.equal(pods[0]!.requests, 50);
    assert.equal(pods[2]!.requests, 50);
    assert.ok(pods[1]!.requests < 50);
    assert.equal(
      count(s, 'http_reqs'),
      pods.reduce((a, x) => a + x.requests, 0),
    );
    for (const pid of pids) assert.equal(alive(pid), false, `pod process ${pid} is still running`);
  });
});

describe('a failed start', () => {
  it('a pod that cannot load its scenario fails the start with each pod’s reason (CRUCIBLE_ERR_LOAD_POD_START), and no pod is left', async () => {
    server.reset();
    const loaded = (await loadDefinition(fixture('fails-to-load'))) as LoadedScenario;
    const pids: number[] = [];
    const engine = createDistributedEngine({ pods: 3, onPodStarted: (i, pid) => (pids[i] = pid!) });
    await assert.rejects(
      runScenario(loaded, {
        target: { kind: 'local', name: 'test', baseUrl: server.url },
        engine: ({ scenario }) => ({ engine, scenarioFile: scenario.file }),
        reportsDir,
        signal: new AbortController().signal,
        workers: 1,
      }),
      (err: Error & { code?: string; details?: readonly string[] }) => {
        assert.equal(err.code, 'CRUCIBLE_ERR_LOAD_POD_START');
        assert.match(err.details?.join('\n') ?? '', /pod \d: failed: .*the seed file is missing/);
        return true;
      },
    );
    assert.equal(server.requests, 0, 'no load was sent');
    for (const pid of pids) assert.equal(alive(pid), false, `pod process ${pid} is still running`);
  });
});

describe('crucible run --load-pods', () => {
  const MAIN = fileURLToPath(new URL('../../harness/cli/main.ts', import.meta.url));
  const cli = (...args: string[]): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });

  it('runs 3 pods against a URL target: one verdict, a row per pod', async () => {
    server.reset();
    const { code, out } = await cli(fixture('known-latency'), '--target', server.url, '--load-pods', '3', '--reports-dir', reportsDir);
    assert.equal(code, 0, out);
    assert.match(out, /PASSED/);
    assert.match(out, /requests 150 /);
    for (const i of [0, 1, 2]) assert.match(out, new RegExp(`pod +${i}: requests 50 `));
  });

  it('Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops every pod through the coordinator: aborted, no pod lost, none left', async () => {
    server.reset();
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        MAIN,
        'run',
        fixture('known-latency'),
        '--target',
        server.url,
        '--load-pods',
        '3',
        '--reports-dir',
        reportsDir,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // A fifth of the load served: every pod is running.
    server.onRequest = (n) => {
      if (n === 30) process.kill(-child.pid!, 'SIGINT');
    };
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 3, out);
    const s = JSON.parse(out.slice(out.indexOf('{'))) as RunOutcome['summary'];
    assert.equal(s.verdict.status, 'aborted');
    assert.deepEqual(
      s.pods!.map((p) => p.status),
      ['stopped', 'stopped', 'stopped'],
    );
    assert.ok(server.requests < 150, `${server.requests} requests`);
    // Nothing of the group is left: the CLI and its pods.
    assert.equal(alive(-child.pid!), false, 'a process of the run is still running');
  });

  it('refuses --target kind with a coded error saying the Indexed Job comes next', async () => {
    const { code, out } = await cli(fixture('known-latency'), '--target', 'kind', '--load-pods', '3');
    assert.equal(code, 2, out);
    assert.match(out, /CRUCIBLE_ERR_LOAD_PODS_TARGET/);
    assert.match(out, /Indexed Job/);
  });
});
