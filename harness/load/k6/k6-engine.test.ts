import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseThresholds } from '../../config/threshold-parser.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { projectRoot } from '../../util/project-root.ts';
import type { LoadPlan } from '../engine-types.ts';
import { createK6Engine, K6RunError, phasesFromExecutors } from './k6-engine.ts';

/**
 * k6 is not installed on these machines, so these tests put a FAKE k6 first on PATH: a shell script
 * that answers `k6 version` and, for `k6 run`, copies the recorded fixtures (fixtures/k6/) to the
 * paths the adapter passed in its arguments, prints what k6 prints, and exits with FAKE_K6_EXIT.
 * That proves the adapter's path end to end (find, spawn, arguments, exit-code mapping, conversion)
 * without k6 itself; docs/k6.md says what this does not prove.
 */
const FAKE_K6 = `#!/usr/bin/env bash
set -u
if [ "\${1:-}" = "version" ]; then echo "k6 v1.2.0 (commit/fake, go1.24.6, linux/amd64)"; exit 0; fi
printf '%s\\n' "$@" > "$FAKE_K6_ARGS"
summary_export='' points='' handle_summary='' config=''
while [ $# -gt 0 ]; do
  case "$1" in
    --summary-export) summary_export="$2"; shift ;;
    --out) points="\${2#json=}"; shift ;;
    --config) config="$2"; shift ;;
    -e) case "$2" in CRUCIBLE_SUMMARY_FILE=*) handle_summary="\${2#CRUCIBLE_SUMMARY_FILE=}" ;; esac; shift ;;
  esac
  shift
done
[ -n "$config" ] && cp "$config" "$FAKE_K6_ARGS.config"
echo "     execution: local"
echo 'time="2026-08-21T10:00:03+02:00" level=error msg="Uncaught (in promise) TypeError: Cannot read property \\"id\\" of undefined" source=stacktrace' >&2
echo 'time="2026-08-21T10:00:03+02:00" level=warning msg="Request Failed" error="request timeout"' >&2
[ -n "\${FAKE_K6_STDERR:-}" ] && echo "$FAKE_K6_STDERR" >&2
if [ -n "\${FAKE_K6_WAIT:-}" ]; then
  interrupted=''
  trap 'interrupted=1' INT
  echo "fake k6: running until interrupted"
  while [ -z "$interrupted" ]; do sleep 0.05; done
fi
if [ "\${FAKE_K6_WRITE:-yes}" = yes ]; then
  cp "$FAKE_K6_FIXTURES/points-fail.ndjson" "$points"
  cp "$FAKE_K6_FIXTURES/summary-export-fail.json" "$summary_export"
  [ "\${FAKE_K6_HANDLE_SUMMARY:-yes}" = yes ] && cp "$FAKE_K6_FIXTURES/handle-summary-fail.json" "$handle_summary"
  [ "\${FAKE_K6_HANDLE_SUMMARY:-yes}" = truncated ] && printf '{"root_group":' > "$handle_summary"
fi
exit "\${FAKE_K6_EXIT:-99}"
`;

const tmp = mkdtempSync(join(tmpdir(), 'crucible-fake-k6-'));
const bin = join(tmp, 'bin');
const emptyBin = join(tmp, 'empty');
mkdirSync(bin);
mkdirSync(emptyBin);
writeFileSync(join(bin, 'k6'), FAKE_K6);
chmodSync(join(bin, 'k6'), 0o755);

const plan: LoadPlan = {
  scenarioFile: join(projectRoot(), 'scenarios', 'k6', 'baseline.ts'),
  scenarioName: 'baseline',
  baseUrl: 'http://127.0.0.1:7300',
  executors: [],
  http: { timeoutMs: 10_000, connections: 64, discardResponseBodies: false },
  workers: 1,
  seed: 1,
  intervalMs: 1_000,
};
const thresholds = parseThresholds({
  http_req_duration: [{ threshold: 'p(95)<200', abortOnFail: true }, 'p(99)<500'],
  'http_req_duration{name:login}': ['p(95)<300'],
  http_req_failed: ['rate<0.01'],
});

let runs = 0;
function setup(extra: Record<string, string> = {}) {
  const outDir = join(tmp, `run-${++runs}`);
  const argsFile = join(tmp, `args-${runs}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
    FAKE_K6_ARGS: argsFile,
    FAKE_K6_FIXTURES: join(projectRoot(), 'fixtures', 'k6'),
    ...extra,
  };
  delete env['K6_BINARY'];
  return { outDir, argsFile, env };
}

describe('the k6 engine, with a fake k6 on PATH', () => {
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs k6, maps exit code 99 to failed thresholds and converts every output', async () => {
    const { outDir, argsFile, env } = setup();
    const lines: string[] = [];
    const result = await createK6Engine({ thresholds, outDir, env, onOutput: (l) => lines.push(l) }).run(plan);

    assert.deepEqual(result.k6.exit, { outcome: 'thresholds-failed', exitCode: 99, meaning: 'thresholds failed' });
    assert.equal(result.k6.version, '1.2.0');
    assert.equal(result.k6.summaryShape, 'handle-summary');

    // What k6 was given.
    const args = readFileSync(argsFile, 'utf8').trim().split('\n');
    assert.deepEqual(args, [...result.k6.args]);
    assert.equal(args.at(-1), plan.scenarioFile);
    assert.ok(args.includes('BASE_URL=http://127.0.0.1:7300'));
    assert.ok(!args.includes('--new-machine-readable-summary=false'), 'k6 1.2 has no such flag');
    const config = JSON.parse(readFileSync(`${argsFile}.config`, 'utf8')) as { thresholds: Record<string, unknown> };
    assert.deepEqual(Object.keys(config.thresholds), [...new Set(thresholds.map((t) => t.selector.key))]);

    // Thresholds in crucible's polarity, abortOnFail from crucible's own thresholds.
    const verdicts = Object.fromEntries(result.k6.thresholds.map((t) => [`${t.metric} ${t.expression}`, t.ok]));
    assert.equal(verdicts['http_req_duration p(95)<200'], false);
    assert.equal(verdicts['http_req_duration{name:login} p(95)<300'], true);
    assert.equal(verdicts['http_req_failed rate<0.01'], false);
    assert.ok(result.k6.thresholds.find((t) => t.expression === 'p(95)<200')?.abortOnFail);
    assert.ok(result.k6.thresholds.every((t) => !t.aborted));
    // Their limits as data, as crucible's own engine states them.
    const p95 = result.k6.thresholds.find((t) => t.expression === 'p(95)<200');
    assert.deepEqual([p95?.aggregation, p95?.limit], ['p(95)', { op: '<', value: 200, unit: 'ms' }]);
    assert.deepEqual(result.k6.thresholds.find((t) => t.expression === 'rate<0.01')?.limit, { op: '<', value: 0.01, unit: 'ratio' });

    // The engine-neutral result.
    assert.equal(result.view.trend('http_req_duration', { name: 'login' })?.count, 21);
    assert.equal(result.view.rate('http_req_failed')?.passes, 4);
    assert.equal(result.droppedIterations, 9);
    assert.equal(result.checks.length, 5);
    assert.equal(result.series.t.length, 11);
    assert.equal(
      result.series.rps.reduce((a, b) => a + b, 0),
      120,
    );
    assert.equal(result.startedAtMs, Date.UTC(2026, 7, 21, 8, 0, 0));
    assert.equal(result.durationMs, 10_002.687);
    assert.equal(
      result.requests.reduce((a, r) => a + r.count, 0),
      120,
    );
    assert.equal(result.stoppedEarly, false);
    assert.equal(result.workers, 1);
    assert.deepEqual(result.flowErrors, { 'Uncaught (in promise) TypeError: Cannot read property "id" of undefined': 1 });
    assert.ok(lines.includes('     execution: local'));
    assert.match(readFileSync(join(outDir, 'k6-stderr.log'), 'utf8'), /Request Failed/);
  });

  it('falls back on the --summary-export file when the script has no crucible handleSummary', async () => {
    const { outDir, env } = setup({ FAKE_K6_HANDLE_SUMMARY: 'no', FAKE_K6_EXIT: '0' });
    const result = await createK6Engine({ thresholds, outDir, env }).run(plan);
    assert.equal(result.k6.exit.outcome, 'passed');
    assert.equal(result.k6.summaryShape, 'summary-export');
    assert.equal(result.k6.thresholds.find((t) => t.metric === 'http_req_duration' && t.expression === 'p(95)<200')?.ok, false, 'inverted booleans read right');
    assert.equal(result.durationMs, 10_000, "the export has no duration: the points' span");
    assert.ok(result.k6.notes.some((n) => /inferred/.test(n)));
  });

  it('falls back on the export, with a note, when the handleSummary file is unreadable', async () => {
    const { outDir, env } = setup({ FAKE_K6_HANDLE_SUMMARY: 'truncated' });
    const result = await createK6Engine({ outDir, env }).run(plan);
    assert.equal(result.k6.summaryShape, 'summary-export');
    assert.ok(result.k6.notes.some((n) => n.includes('k6-summary.json could not be read as a k6 summary')));
  });

  it('marks the thresholds k6 aborted on, from its abortOnFail log line', async () => {
    const line = `time="2026-08-21T10:00:05+02:00" level=error msg="thresholds on metrics 'http_req_duration' were crossed; at least one has abortOnFail enabled, stopping test prematurely"`;
    const { outDir, env } = setup({ FAKE_K6_STDERR: line });
    const result = await createK6Engine({ thresholds, outDir, env }).run(plan);
    assert.equal(result.k6.thresholds.find((t) => t.expression === 'p(95)<200')?.aborted, true);
    assert.equal(result.k6.thresholds.find((t) => t.expression === 'p(99)<500')?.aborted, false, 'no abortOnFail on that one');
    assert.equal(result.stoppedEarly, true);
    assert.equal(Object.keys(result.flowErrors).length, 1, 'the abort line is not a flow error');
  });

  it('sends SIGINT when the signal aborts, and returns what k6 wrote (exit 105)', async () => {
    const { outDir, env } = setup({ FAKE_K6_WAIT: '1', FAKE_K6_EXIT: '105' });
    const controller = new AbortController();
    // Abort once k6 runs (and handles SIGINT): a timer could fire before k6 started on a busy machine.
    const onOutput = (line: string): void => void (line.includes('running until interrupted') && controller.abort());
    const result = await createK6Engine({ outDir, env, onOutput }).run(plan, { signal: controller.signal });
    assert.deepEqual(result.k6.exit, { outcome: 'aborted', exitCode: 105, meaning: 'aborted by a signal (SIGINT/SIGTERM)' });
    assert.equal(result.stoppedEarly, true);
  });

  for (const [code, crucibleExit, meaning] of [
    [107, 3, /script exception/],
    [104, 2, /invalid configuration/],
  ] as const) {
    it(`throws K6RunError for k6's exit ${code}, with k6's stderr`, async () => {
      const { outDir, env } = setup({ FAKE_K6_EXIT: String(code), FAKE_K6_WRITE: 'no' });
      await assert.rejects(createK6Engine({ outDir, env }).run(plan), (err: unknown) => {
        assert.ok(err instanceof K6RunError);
        assert.equal(err.exitCode, crucibleExit);
        assert.equal(err.k6Exit.exitCode, code);
        assert.match(err.message, meaning);
        assert.ok(err.details.some((l) => l.includes('TypeError')));
        return true;
      });
    });
  }

  it('throws K6RunError when k6 exits 99 without writing a summary', async () => {
    const { outDir, env } = setup({ FAKE_K6_WRITE: 'no' });
    await assert.rejects(createK6Engine({ outDir, env }).run(plan), /wrote no readable summary/);
  });

  it('says k6 is not installed, and that the built-in engine is the default, when there is none', async () => {
    const env = { PATH: emptyBin };
    await assert.rejects(createK6Engine({ env }).run(plan), (err: unknown) => {
      assert.ok(err instanceof CrucibleError);
      assert.equal(err.code, 'CRUCIBLE_ERR_TOOL_MISSING');
      assert.match(err.message, /k6 is not installed.*the built-in engine is the default/);
      return true;
    });
  });
});

describe('phasesFromExecutors()', () => {
  it('shades constant executors as steady and ramping stages as ramps', () => {
    const base = { gracefulStopMs: 0, tags: {}, flows: [] };
    assert.deepEqual(
      phasesFromExecutors([
        { ...base, name: 'steady', startTimeMs: 0, executor: 'constant-vus', vus: 1, durationMs: 5_000 },
        {
          ...base,
          name: 'ramp',
          startTimeMs: 5_000,
          executor: 'ramping-arrival-rate',
          startRatePerSec: 0,
          stages: [
            { durationMs: 1_000, target: 10 },
            { durationMs: 2_000, target: 10 },
          ],
          preAllocatedVUs: 1,
          maxVUs: 1,
        },
      ]),
      [
        { name: 'steady', kind: 'steady', startMs: 0, endMs: 5_000 },
        { name: 'ramp stage 1', kind: 'ramp', startMs: 5_000, endMs: 6_000 },
        { name: 'ramp stage 2', kind: 'steady', startMs: 6_000, endMs: 8_000 },
      ],
    );
  });
});
