import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

export interface ToolResult {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** CPU time (user + system, all threads) per request, µs: less sensitive than req/s to other load on the machine. */
  readonly cpuUsPerRequest: number;
}

/** Runs a command under bash and returns its stdout and its CPU time (bash's `times`: the children's user and system time). */
async function timed(cmd: string, args: readonly string[]): Promise<{ stdout: string; cpuSeconds: number }> {
  const { stdout } = await run('/bin/bash', ['-c', '"$@" && times', 'bench', cmd, ...args], { maxBuffer: 1 << 24 });
  const lines = stdout.trimEnd().split('\n');
  const children = lines.at(-1)!.match(/(\d+)m([\d.]+)s/g) ?? [];
  const cpuSeconds = children.reduce((s, t) => {
    const [, m, sec] = /(\d+)m([\d.]+)s/.exec(t)!;
    return s + Number(m) * 60 + Number(sec);
  }, 0);
  return { stdout: lines.slice(0, -2).join('\n'), cpuSeconds };
}

/**
 * autocannon's CLI in its own process (as users run it), JSON output; `workers` > 1 uses its
 * worker threads (`-w`), each with its share of the connections. Its latencies are whole milliseconds.
 */
export async function runAutocannon(url: string, connections: number, seconds: number, workers = 1): Promise<ToolResult> {
  const threads = workers > 1 ? ['-w', String(workers)] : [];
  const { stdout, cpuSeconds } = await timed(process.execPath, [AUTOCANNON, ...threads, '-c', String(connections), '-d', String(seconds), '-j', url]);
  const r = JSON.parse(stdout) as { duration: number; requests: { total: number }; latency: { p50: number; p99: number } };
  const requests = r.requests.total;
  return { rps: requests / r.duration, p50Ms: r.latency.p50, p99Ms: r.latency.p99, requests, cpuUsPerRequest: (cpuSeconds * 1e6) / requests };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
const toMs = (v: string | undefined, unit: string | undefined): number => Number(v) * (UNIT_MS[unit ?? 'ms'] ?? NaN);

/** wrk with `threads` threads and its latency distribution. */
export async function runWrk(url: string, connections: number, seconds: number, threads = 1): Promise<ToolResult> {
  const { stdout, cpuSeconds } = await timed('/usr/bin/wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s)$/m.exec(stdout);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)$/m.exec(stdout);
  const total = /(\d+) requests in/.exec(stdout);
  if (!rps || !p50 || !p99 || !total) throw new Error(`unexpected wrk output:\n${stdout}`);
  const requests = Number(total[1]);
  return { rps: Number(rps[1]), p50Ms: toMs(p50[1], p50[2]), p99Ms: toMs(p99[1], p99[2]), requests, cpuUsPerRequest: (cpuSeconds * 1e6) / requests };
}
