// The built-in engine against autocannon and wrk on one trivial endpoint, its open-model accuracy,
// and (optionally) its memory over a long run. Usage:
//   node bench/engine-bench.ts [--quick] [--soak-minutes N] [--only throughput|accuracy|soak]
//                              [--rounds N] [--workers N] [--connections N] [--port 7840]
// Results and how to read them: docs/performance.md.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EngineHooks, EngineResult, LoadPlan, ResolvedExecutor } from '../harness/load/engine-types.ts';
import { createBuiltinEngine } from '../harness/load/engine/index.ts';
import { runAutocannon, runWrk, type ToolResult } from './external-tools.ts';
import { startHaproxy } from './haproxy-target.ts';
import { leastSquaresSlope } from '../harness/util/least-squares.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    workers: { type: 'string' },
    connections: { type: 'string', default: '64' },
    // The project's ad-hoc port range is 7800-7849.
    port: { type: 'string', default: '7840' },
  },
});
const seconds = args.quick ? 5 : 10;
const rounds = Number(args.rounds ?? (args.quick ? 1 : 3));
const connections = Number(args.connections);
const workerCounts = args.workers ? [Number(args.workers)] : [...new Set([1, availableParallelism()])];
const openWorkers = workerCounts.at(-1)!;
const rates = [1000, 2500, 5000];
const soakMinutes = Number(args['soak-minutes'] ?? 0);
const runs = (section: string): boolean => (args.only ? args.only === section : section !== 'soak' || soakMinutes > 0);

const engine = createBuiltinEngine();
const scenarioFile = fileURLToPath(new URL('./trivial-scenario.ts', import.meta.url));
const base = { startTimeMs: 0, gracefulStopMs: 5000, flows: [{ name: 'get', weight: 1 }], tags: {} };
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function plan(url: string, executor: ResolvedExecutor, workers: number): LoadPlan {
  return {
    scenarioFile,
    scenarioName: 'engine-bench',
    baseUrl: new URL(url).origin,
    executors: [executor],
    // The connection budget is split over the workers: the same total as the other tools.
    http: { timeoutMs: 10_000, connections: Math.max(1, Math.round(connections / workers)), discardResponseBodies: true },
    workers,
    seed: 1,
    intervalMs: 1000,
  };
}

async function crucibleClosed(url: string, workers: number): Promise<ToolResult> {
  const cpu0 = process.cpuUsage();
  const r = await engine.run(plan(url, { ...base, name: 'closed', executor: 'constant-vus', vus: connections, durationMs: seconds * 1000 }, workers));
  const cpu = process.cpuUsage(cpu0);
  const requests = r.view.counter('http_reqs')!.count;
  const t = r.view.trend('http_req_duration')!;
  // Whole process (main thread, workers, their start-up), as autocannon's figure includes its own start-up.
  return { rps: requests / seconds, p50Ms: t.med, p99Ms: t['p(99)'], requests, cpuUsPerRequest: (cpu.user + cpu.system) / requests };
}

function crucibleOpen(url: string, rate: number, durationS: number, hooks?: EngineHooks): Promise<EngineResult> {
  const executor: ResolvedExecutor = {
    ...base,
    name: 'open',
    executor: 'constant-arrival-rate',
    ratePerSec: rate,
    durationMs: durationS * 1000,
    preAllocatedVUs: Math.max(50, rate / 20),
    maxVUs: Math.max(200, rate / 5),
  };
  return engine.run(plan(url, executor, openWorkers), hooks);
}

function table(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const width = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of cells.slice(1)) console.log(line(r));
  console.log();
}

interface Goals {
  vsAutocannon?: number;
  at5000?: number;
  rssSlope?: number;
}

const plural = (n: number, what: string): string => `${n} ${what}${n > 1 ? 's' : ''}`;

async function throughput(url: string, goals: Goals): Promise<void> {
  // Every tool at every thread count: the fair comparison is at the same number of threads.
  const tools: [string, () => Promise<ToolResult>][] = workerCounts.flatMap((w): [string, () => Promise<ToolResult>][] => [
    [`crucible, ${plural(w, 'worker')}`, () => crucibleClosed(url, w)],
    [`autocannon, ${plural(w, 'thread')}`, () => runAutocannon(url, connections, seconds, w)],
    [`wrk, ${plural(w, 'thread')}`, () => runWrk(url, connections, seconds, w)],
  ]);
  const results = new Map<string, ToolResult[]>(tools.map(([n]) => [n, []]));
  // Rounds rotate the order: a noisy neighbour or a warming target does not favour one tool.
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < tools.length; k++) {
      const [name, fn] = tools[(k + round) % tools.length]!;
      results.get(name)!.push(await fn());
    }
  }
  const med = (name: string, key: keyof ToolResult): number => median(results.get(name)!.map((r) => r[key]));
  console.log(`## Max throughput, closed model: ${connections} connections, ${seconds} s, median of ${plural(rounds, 'round')}`);
  table(
    ['tool', 'req/s', 'req/s per round', 'p50 ms', 'p99 ms', 'CPU µs/request'],
    tools.map(([n]) => [
      n,
      fmt(med(n, 'rps')),
      results
        .get(n)!
        .map((r) => fmt(r.rps / 1000, 1) + 'k')
        .join(' '),
      fmt(med(n, 'p50Ms'), 3),
      fmt(med(n, 'p99Ms'), 3),
      fmt(med(n, 'cpuUsPerRequest'), 1),
    ]),
  );
  const ratios = workerCounts.map((w) => {
    const c = med(`crucible, ${plural(w, 'worker')}`, 'rps');
    const ac = c / med(`autocannon, ${plural(w, 'thread')}`, 'rps');
    console.log(`${plural(w, 'thread')}: crucible / autocannon = ${fmt(ac, 2)}   crucible / wrk = ${fmt(c / med(`wrk, ${plural(w, 'thread')}`, 'rps'), 2)}`);
    return ac;
  });
  console.log();
  goals.vsAutocannon = Math.min(...ratios);
}

async function accuracy(url: string, goals: Goals): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const rate of rates) {
    const r = await crucibleOpen(url, rate, seconds);
    const done = r.view.counter('iterations')!.count;
    const lag = r.view.trend('iteration_lag')!;
    const lat = r.view.trend('http_req_duration')!;
    const ratio = done / (rate * seconds);
    if (rate === 5000) goals.at5000 = ratio;
    rows.push([
      fmt(rate),
      fmt(done / seconds, 1),
      fmt(ratio, 4),
      fmt(r.droppedIterations),
      fmt(lag.med, 3),
      fmt(lag['p(99)'], 3),
      fmt(lag.max, 1),
      fmt(lat.med, 3),
      fmt(lat['p(99)'], 3),
    ]);
  }
  console.log(`## Open-model accuracy: constant-arrival-rate, ${seconds} s each, ${openWorkers} worker${openWorkers > 1 ? 's' : ''}`);
  table(['target/s', 'achieved/s', 'ratio', 'dropped', 'lag p50 ms', 'lag p99 ms', 'lag max ms', 'latency p50 ms', 'latency p99 ms'], rows);
}

async function soak(url: string, goals: Goals): Promise<void> {
  const rate = 1000;
  const samples: [number, number][] = [];
  let next = 0;
  console.log(`## Memory: constant-arrival-rate ${rate}/s for ${soakMinutes} min, RSS every 10 s (main thread and workers share one process)`);
  const r = await crucibleOpen(url, rate, soakMinutes * 60, {
    onInterval: (s) => {
      if (s.elapsedMs < next) return;
      next += 10_000;
      samples.push([s.elapsedMs / 1000, process.memoryUsage().rss / 1024 / 1024]);
    },
  });
  const slope = (from: number): number => leastSquaresSlope(samples.filter(([t]) => t >= from).map(([t, m]) => [t / 3600, m])) ?? 0;
  console.log(`t s:    ${samples.map(([t]) => fmt(t)).join(' ')}`);
  console.log(`RSS MB: ${samples.map(([, m]) => fmt(m, 1)).join(' ')}`);
  console.log(`slope: ${fmt(slope(0), 1)} MB/hour over the whole run, ${fmt(slope(60), 1)} MB/hour after the first minute (start-up and JIT warm-up)`);
  const lat = r.view.trend('http_req_duration')!;
  console.log(
    `requests: ${fmt(r.view.counter('http_reqs')!.count)}, dropped: ${r.droppedIterations}, latency p50 ${fmt(lat.med, 3)} ms, p99 ${fmt(lat['p(99)'], 3)} ms\n`,
  );
  goals.rssSlope = slope(60);
}

const target = await startHaproxy(Number(args.port));
const onSignal = (): void => void target.stop().then(() => process.exit(130));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  const [l1, l5] = loadavg();
  console.log(
    `# crucible engine bench: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, node ${process.version}, target ${target.url} (haproxy, nbthread 1)`,
  );
  console.log(`# load average at start: ${fmt(l1!, 2)} (1 min), ${fmt(l5!, 2)} (5 min)\n`);
  // Warm-up: the target's first seconds should not count against whichever tool runs first.
  await runWrk(target.url, connections, 2);
  const goals: Goals = {};
  if (runs('throughput')) await throughput(target.url, goals);
  if (runs('accuracy')) await accuracy(target.url, goals);
  if (runs('soak')) await soak(target.url, goals);

  const verdict = (ok: boolean | undefined): string => (ok === undefined ? '-' : ok ? 'yes' : 'NO');
  console.log('## Goals');
  table(
    ['goal', 'measured', 'holds'],
    [
      [
        'throughput >= autocannon (same threads, worst case)',
        goals.vsAutocannon === undefined ? 'not run' : `${fmt(goals.vsAutocannon, 2)}× autocannon`,
        verdict(goals.vsAutocannon === undefined ? undefined : goals.vsAutocannon >= 1),
      ],
      [
        'achieved within 1 % of 5,000 req/s',
        goals.at5000 === undefined ? 'not run' : `${fmt(goals.at5000 * 100, 2)} %`,
        verdict(goals.at5000 === undefined ? undefined : Math.abs(goals.at5000 - 1) <= 0.01),
      ],
      [
        'RSS flat over 10 minutes (|slope| < 10 MB/h)',
        goals.rssSlope === undefined ? 'not run (--soak-minutes 10)' : `${fmt(goals.rssSlope, 1)} MB/hour`,
        verdict(goals.rssSlope === undefined ? undefined : Math.abs(goals.rssSlope) < 10),
      ],
    ],
  );
} finally {
  await target.stop();
}
