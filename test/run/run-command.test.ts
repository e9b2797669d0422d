// `crucible run` end to end, as a user runs it on a machine where nothing is up: the CLI starts the
// local platform for the run, drives it, writes every report file and stops the platform again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findLeftovers } from '../../platform/local/process-reaper.ts';
import type { RunSummary } from '../../harness/result/summary-model.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { TEST_PORT_BASE } from '../platform/platform-fixture.ts';

const MAIN = join(projectRoot(), 'harness', 'cli', 'main.ts');
const reports = mkdtempSync(join(tmpdir(), 'crucible-run-test-'));

interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as a child process; `interruptWhen` sends SIGINT once its output (progress goes to stderr) matches it. */
function cli(args: readonly string[], opts: { timeoutMs: number; interruptWhen?: RegExp }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, ...args], {
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    const watch = (): void => {
      if (opts.interruptWhen && !interrupted && opts.interruptWhen.test(stdout + stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      watch();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      watch();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const runArgs = (file: string): string[] => ['run', file, '--port-base', String(TEST_PORT_BASE), '--reports-dir', reports];

/** The single folder directly under `dir` whose name contains `part`. */
function folder(dir: string, part: string): string {
  const found = readdirSync(dir).filter((n) => n.includes(part) && statSync(join(dir, n)).isDirectory());
  assert.equal(found.length, 1, `one folder named *${part}* in ${dir}, found: ${found.join(', ') || 'none'}`);
  return join(dir, found[0]!);
}

const summaryOf = (runDir: string): RunSummary => JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;

/** The platform this run started was stopped by it: its state says so, and no process of it is left. */
function assertPlatformStopped(): void {
  const platformDir = join(projectRoot(), '.crucible', `local-${TEST_PORT_BASE}`);
  const state = JSON.parse(readFileSync(join(platformDir, 'state.json'), 'utf8')) as { phase: string };
  assert.equal(state.phase, 'stopped', 'the platform the run started was stopped');
  assert.deepEqual(findLeftovers(platformDir, []), [], 'no process of the platform is left');
}

describe('crucible run against the local platform', () => {
  after(() => rmSync(reports, { recursive: true, force: true }));

  it('runs the smoke suite: exit 0, every report file, and report/compare work on its run', { timeout: 180_000 }, async () => {
    const r = await cli(runArgs('scenarios/suites/smoke.ts'), { timeoutMs: 170_000 });
    assert.equal(r.code, 0, `exit 0\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /starting the local platform on port base/);
    assert.match(r.stdout, /PASSED {2}smoke \(load\)/);
    assertPlatformStopped();

    const suiteDir = folder(reports, 'suite-smoke');
    for (const f of ['suite.json', 'summary.md', 'junit.xml']) assert.ok(existsSync(join(suiteDir, f)), `suite ${f}`);
    const runDir = folder(suiteDir, '-smoke-');
    for (const f of ['summary.json', 'report.html', 'junit.xml', 'summary.md']) assert.ok(statSync(join(runDir, f)).size > 0, `run ${f}`);

    const s = summaryOf(runDir);
    assert.equal(s.schema, 'crucible.summary/v2');
    assert.equal(s.verdict.status, 'passed');
    assert.equal(s.verdict.exitCode, 0);
    assert.equal(s.run.suite, 'smoke');
    assert.ok(s.thresholds.length >= 3 && s.thresholds.every((t) => t.ok && t.actual !== null), 'every threshold judged and held');
    const reqs = s.metrics['http_reqs'];
    assert.ok(reqs?.type === 'counter' && reqs.values.count > 100, 'the load really ran');
    assert.ok(s.platform?.available, `Prometheus was read: ${s.platform?.error ?? ''}`);
    assert.ok(s.platform.cacheHitRate !== null && s.platform.cacheHitRate > 0, 'the platform counted cache hits');
    const names = s.requests.map((q) => q.name);
    for (const n of ['product', 'login', 'place order', 'graphql batch']) assert.ok(names.includes(n), `request row ${n} (have ${names.join(', ')})`);

    const junit = readFileSync(join(runDir, 'junit.xml'), 'utf8');
    assert.equal((junit.match(/<testcase /g) ?? []).length, s.thresholds.length + s.slos.length, 'a testcase per threshold and SLO');
    assert.doesNotMatch(junit, /<failure/);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<(script|link)[^>]+(src|href)="https?:/, 'self-contained: nothing loaded from the network');
    assert.match(readFileSync(join(suiteDir, 'summary.md'), 'utf8'), /Suite smoke: PASSED/);

    // report re-renders every file from summary.json alone.
    unlinkSync(join(runDir, 'report.html'));
    const rendered = await cli(['report', runDir], { timeoutMs: 30_000 });
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.ok(existsSync(join(runDir, 'report.html')), 'report.html written again');

    // A run compared with itself has no regression.
    const same = await cli(['compare', runDir, runDir], { timeoutMs: 30_000 });
    assert.equal(same.code, 0, same.stdout + same.stderr);
  });

  it('exits 1 when a threshold cannot hold, and every report says which and by how much', { timeout: 120_000 }, async () => {
    const r = await cli(runArgs('fixtures/scenarios/valid/impossible-threshold.ts'), { timeoutMs: 110_000 });
    assert.equal(r.code, 1, `exit 1\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /FAIL {2}http_req_duration\{name:product\} p\(95\)<0\.01: \d/);
    assertPlatformStopped();

    const runDir = folder(reports, 'impossible-threshold');
    const s = summaryOf(runDir);
    assert.equal(s.verdict.status, 'failed');
    assert.equal(s.verdict.exitCode, 1);
    const [t] = s.thresholds;
    assert.ok(t && !t.ok && t.actual !== null && t.actual > 0.01, `the threshold failed with its measured p95 (${t?.actual})`);
    // The expression is escaped (&lt; or &#60;) in XML and HTML.
    assert.match(readFileSync(join(runDir, 'junit.xml'), 'utf8'), /<failure message="actual [\d.]+ ms, expected p\(95\)(&lt;|&#60;)0\.01"/);
    assert.match(readFileSync(join(runDir, 'summary.md'), 'utf8'), /FAIL/);
    assert.match(readFileSync(join(runDir, 'report.html'), 'utf8'), /p\(95\)(&lt;|&#60;)0\.01/);
  });

  it('Ctrl-C mid-run stops cleanly: a partial report marked aborted, exit 3, the platform stopped', { timeout: 120_000 }, async () => {
    // The baseline load lasts 100 s; the interrupt comes at its first progress line.
    const r = await cli(runArgs('scenarios/load/baseline.ts'), { timeoutMs: 110_000, interruptWhen: /req\/s {2}p95/ });
    assert.equal(r.signal, null, 'exited by itself, not killed by the test timeout');
    assert.equal(r.code, 3, `exit 3\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /interrupted: stopping the run and writing a partial report/);
    assertPlatformStopped();

    const runDir = folder(reports, 'baseline-load');
    const s = summaryOf(runDir);
    assert.equal(s.verdict.status, 'aborted');
    assert.equal(s.verdict.exitCode, 3);
    assert.match(s.run.abortReason ?? '', /interrupted/);
    assert.ok(s.run.durationMs < 100_000, `stopped before its planned end (${s.run.durationMs} ms of 100 s)`);
    for (const f of ['report.html', 'junit.xml', 'summary.md']) assert.ok(existsSync(join(runDir, f)), `partial ${f}`);
  });
});
