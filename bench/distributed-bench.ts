// The distributed engine's bench (docs/distributed.md): achieved vs target rate for 1, 2 and 3 load
// pods (processes on this host) at fixed total rates, and what the coordinator (this process) costs
// per pod in CPU and memory. Not a timed test: figures to read, on an otherwise idle machine.
//   node bench/distributed-bench.ts [--seconds 10] [--rates 1000,4000] [--pods 1,2,3] [--port 7845]
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDistributedEngine } from '../harness/distributed/distributed-engine.ts';
import type { LoadPlan } from '../harness/load/engine-types.ts';
import { startHaproxy } from './haproxy-target.ts';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string' }, rates: { type: 'string' }, pods: { type: 'string' }, port: { type: 'string' } },
});
const seconds = Number(args.seconds ?? 10);
const rates = (args.rates ?? '1000,4000').split(',').map(Number);
const podCounts = (args.pods ?? '1,2,3').split(',').map(Number);
const scenarioFile = fileURLToPath(new URL('./trivial-scenario.ts', import.meta.url));
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function plan(url: string, rate: number): LoadPlan {
  return {
    scenarioFile,
    scenarioName: 'distributed-bench',
    baseUrl: new URL(url).origin,
    executors: [
      {
        name: 'open',
        executor: 'constant-arrival-rate',
        ratePerSec: rate,
        durationMs: seconds * 1000,
        preAllocatedVUs: Math.max(50, rate / 20),
        maxVUs: Math.max(200, rate / 5),
        startTimeMs: 0,
        gracefulStopMs: 5000,
        flows: [{ name: 'get', weight: 1 }],
        tags: {},
      },
    ],
    http: { timeoutMs: 10_000, connections: 64, discardResponseBodies: true },
    // One worker thread per pod: the pods are the parallelism measured here.
    workers: 1,
    seed: 1,
    intervalMs: 1000,
  };
}

interface Row {
  readonly pods: number;
  readonly rate: number;
  readonly achieved: number;
  readonly dropped: number;
  readonly p99Ms: number;
  readonly split: string;
  readonly cpuMsPerPodS: number;
  readonly rssMb: number;
}

async function measure(url: string, pods: number, rate: number): Promise<Row> {
  const engine = createDistributedEngine({ pods });
  const rss0 = process.memoryUsage().rss;
  let rssMax = rss0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 200);
  let cpu0 = process.cpuUsage();
  const r = await engine.run(plan(url, rate), { onStart: () => (cpu0 = process.cpuUsage()) });
  // From the release to the end: the coordinator's share (merging, judging), not the pods' start-up.
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  const requests = r.view.counter('http_reqs')!.count;
  return {
    pods,
    rate,
    // Of the planned arrivals (rate x seconds), how many were sent: 100 % is the plan delivered.
    achieved: requests / (rate * seconds),
    dropped: r.droppedIterations,
    p99Ms: r.view.trend('http_req_duration')?.['p(99)'] ?? NaN,
    split: (r.pods ?? []).map((p) => fmt(p.requests)).join(' / '),
    cpuMsPerPodS: (cpu.user + cpu.system) / 1000 / pods / (r.durationMs / 1000),
    rssMb: (rssMax - rss0) / 1e6,
  };
}

const target = await startHaproxy(Number(args.port ?? 7845));
try {
  console.log(
    `${cpus()[0]?.model ?? 'cpu'} x ${availableParallelism()}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}, ${seconds} s per run\n`,
  );
  const rows: Row[] = [];
  for (const rate of rates) for (const pods of podCounts) rows.push(await measure(target.url, pods, rate));
  console.log(
    '| total rate /s | pods | sent / planned | dropped | p99 ms | requests per pod | coordinator CPU ms per pod-second | coordinator RSS growth MB |',
  );
  console.log('|---:|---:|---:|---:|---:|---|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${fmt(r.rate)} | ${r.pods} | ${fmt(r.achieved * 100, 2)} % | ${fmt(r.dropped)} | ${fmt(r.p99Ms, 2)} | ${r.split} | ${fmt(r.cpuMsPerPodS, 1)} | ${fmt(r.rssMb, 1)} |`,
    );
} finally {
  await target.stop();
}
