// `bin/crucible` as a child process, as a user runs it: its exit code and output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunSummary } from '../../harness/result/summary-model.ts';
import { projectRoot } from '../../harness/util/project-root.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `killWhen` SIGKILLs it once its output so far matches (a crashed harness). */
export function crucible(args: string[], opts: { killWhen?: (stdout: string) => boolean } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(projectRoot(), 'bin', 'crucible'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (opts.killWhen?.(stdout)) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `crucible run <load scenario> --json` against a platform a target started: the load went through
 * `baseUrl`, no request failed, the platform's Prometheus answered, and the verdict failed on nothing
 * but latency. Latency on a busy two-core machine (a kind cluster, other tests) is not a test's to
 * judge (a speed assertion); the exit code must still agree with the verdict.
 */
export function assertServedRun(run: CliResult, baseUrl: string, minRequests: number): RunSummary {
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr.slice(-2000)}`);
  const summary = JSON.parse(run.stdout) as RunSummary;
  assert.equal(summary.run.target.baseUrl, baseUrl);
  const requests = summary.requests.reduce((n, r) => n + r.count, 0);
  assert.ok(requests >= minRequests, `the load ran: ${requests} requests`);
  assert.equal(
    summary.requests.reduce((n, r) => n + r.failed, 0),
    0,
    'no request failed',
  );
  assert.equal(summary.platform?.available, true, `the platform's metrics from its Prometheus: ${summary.platform?.error ?? ''}`);
  assert.ok((summary.platform?.responsesByStatus['200'] ?? 0) > 0, 'the gateways counted the requests');
  // Latency, and the iterations an open model drops when every VU waits on slow answers, measure the
  // machine as much as the platform: a busy shared machine sets them, so they are not judged here.
  const latency = (f: { subject: string }): boolean =>
    f.subject.startsWith('http_req_duration') || f.subject === 'p95-latency' || f.subject === 'dropped-iterations';
  assert.deepEqual(
    summary.verdict.failures.filter((f) => !latency(f)).map((f) => f.words),
    [],
  );
  assert.equal(run.code, summary.verdict.failures.length === 0 ? 0 : 1);
  return summary;
}
