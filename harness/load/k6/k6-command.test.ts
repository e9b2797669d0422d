import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ResolvedExecutor } from '../engine-types.ts';
import { findK6, findK6Path, k6NotInstalledError, parseK6Version, versionAtLeast } from './find-k6.ts';
import { buildK6Command } from './k6-command.ts';
import { k6Exit } from './k6-exit-codes.ts';
import { parseThresholds } from '../../config/threshold-parser.ts';
import { k6Duration } from './k6-duration.ts';
import { k6OptionsFile, k6ScenariosFromPlan, wholeRates } from './k6-options.ts';
import { abortedThresholdMetrics, parseThresholdExpression, thresholdActual } from './k6-thresholds.ts';

const dir = '/runs/r1';
const thresholds = parseThresholds({
  http_req_duration: ['p(95)<200', { threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: 30_000 }],
  'http_req_duration{name:login}': [{ threshold: 'p(95)<300', delayAbortEval: '10s' as const }],
  http_req_failed: ['rate<0.01'],
});

describe('buildK6Command()', () => {
  it("builds the documented k6 run line, with crucible's thresholds in the --config file", () => {
    const c = buildK6Command({
      script: '/s/baseline.ts',
      outDir: dir,
      baseUrl: 'http://127.0.0.1:7300',
      k6Version: '2.2.0',
      options: k6OptionsFile({ thresholds }),
    });
    assert.deepEqual(c.args, [
      'run',
      '--summary-export',
      `${dir}/k6-summary-export.json`,
      '--out',
      `json=${dir}/k6-points.ndjson`,
      '--new-machine-readable-summary=false',
      '--summary-trend-stats',
      'avg,min,med,max,p(90),p(95),p(99),p(99.9),count',
      '-e',
      'BASE_URL=http://127.0.0.1:7300',
      '-e',
      `CRUCIBLE_SUMMARY_FILE=${dir}/k6-summary.json`,
      '-e',
      `CRUCIBLE_K6_OPTIONS=${dir}/k6-options.json`,
      '--config',
      `${dir}/k6-options.json`,
      '/s/baseline.ts',
    ]);
    assert.equal(c.optionsFile?.path, `${dir}/k6-options.json`);
    assert.deepEqual(JSON.parse(c.optionsFile.content), {
      thresholds: {
        http_req_duration: ['p(95)<200', { threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: '30s' }],
        'http_req_duration{name:login}': [{ threshold: 'p(95)<300', delayAbortEval: '10s' }],
        http_req_failed: ['rate<0.01'],
      },
    });
    assert.deepEqual(c.env, { K6_NO_USAGE_REPORT: 'true' });
    assert.deepEqual(c.files, {
      summaryExport: `${dir}/k6-summary-export.json`,
      points: `${dir}/k6-points.ndjson`,
      handleSummary: `${dir}/k6-summary.json`,
      stdout: `${dir}/k6-stdout.log`,
      stderr: `${dir}/k6-stderr.log`,
    });
  });

  it("leaves out --config when crucible has no option to pass, and adds the script's -e values", () => {
    const c = buildK6Command({ script: '/s/smoke.js', outDir: dir, baseUrl: 'http://x', options: k6OptionsFile({}), scriptEnv: { RATE: '20' } });
    assert.equal(c.optionsFile, undefined);
    assert.ok(!c.args.includes('--config'));
    assert.ok(!c.args.some((a) => a.startsWith('CRUCIBLE_K6_OPTIONS')));
    assert.deepEqual(c.args.slice(-3), ['-e', 'RATE=20', '/s/smoke.js']);
  });

  it('adapts to the k6 version: the summary flag from 1.5, TypeScript natively from 0.57', () => {
    const args = (v: string | undefined, script = '/s/a.ts') => buildK6Command({ script, outDir: dir, baseUrl: 'http://x', k6Version: v }).args;
    assert.ok(args(undefined).includes('--new-machine-readable-summary=false'), 'unknown version: assume a current k6');
    assert.ok(!args('1.4.2').includes('--new-machine-readable-summary=false'));
    assert.ok(args('1.5.0').includes('--new-machine-readable-summary=false'));
    assert.ok(!args('1.0.0').includes('--compatibility-mode=experimental_enhanced'));
    assert.ok(args('0.55.0').includes('--compatibility-mode=experimental_enhanced'));
    assert.ok(!args('0.55.0', '/s/a.js').includes('--compatibility-mode=experimental_enhanced'));
    assert.throws(() => args('0.50.0'), /cannot run TypeScript/);
  });
});

describe('k6 options from crucible executors', () => {
  const base = { startTimeMs: 0, gracefulStopMs: 10_000, tags: {} };
  const executors: ResolvedExecutor[] = [
    {
      ...base,
      name: 'steady',
      executor: 'constant-arrival-rate',
      ratePerSec: 2.5,
      durationMs: 60_000,
      preAllocatedVUs: 10,
      maxVUs: 50,
      flows: [{ name: 'browse', weight: 1 }],
    },
    {
      ...base,
      name: 'ramp',
      executor: 'ramping-arrival-rate',
      startRatePerSec: 0,
      stages: [
        { durationMs: 30_000, target: 100 },
        { durationMs: 90_000, target: 100 },
      ],
      preAllocatedVUs: 20,
      maxVUs: 200,
      flows: [
        { name: 'a', weight: 0.5 },
        { name: 'b', weight: 0.5 },
      ],
      startTimeMs: 60_000,
      tags: { phase: 'ramp' },
    },
    { ...base, name: 'users', executor: 'constant-vus', vus: 5, durationMs: 1_500, flows: [{ name: 'default', weight: 1 }] },
    { ...base, name: 'wave', executor: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 3_600_000, target: 10 }], flows: [{ name: 'browse', weight: 1 }] },
  ];

  it('converts each executor kind, whole rates per timeUnit, one flow as exec', () => {
    const { scenarios, notes } = k6ScenariosFromPlan(executors);
    assert.deepEqual(scenarios, {
      steady: {
        gracefulStop: '10s',
        exec: 'browse',
        executor: 'constant-arrival-rate',
        rate: 5,
        timeUnit: '2s',
        duration: '1m',
        preAllocatedVUs: 10,
        maxVUs: 50,
      },
      ramp: {
        gracefulStop: '10s',
        startTime: '1m',
        tags: { phase: 'ramp' },
        executor: 'ramping-arrival-rate',
        startRate: 0,
        timeUnit: '1s',
        stages: [
          { duration: '30s', target: 100 },
          { duration: '90s', target: 100 },
        ],
        preAllocatedVUs: 20,
        maxVUs: 200,
      },
      users: { gracefulStop: '10s', executor: 'constant-vus', vus: 5, duration: '1500ms' },
      wave: { gracefulStop: '10s', exec: 'browse', executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '1h', target: 10 }] },
    });
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /'ramp' runs the script's default function/);
  });

  it('writes durations and rates the way k6 reads them', () => {
    assert.deepEqual([0, 999, 1_000, 90_000, 120_000, 7_200_000].map(k6Duration), ['0s', '999ms', '1s', '90s', '2m', '2h']);
    assert.deepEqual(wholeRates([50]), { timeUnit: '1s', rates: [50], exact: true });
    assert.deepEqual(wholeRates([0.1, 1.5]), { timeUnit: '10s', rates: [1, 15], exact: true });
    assert.equal(wholeRates([1 / 3]).timeUnit, '1m', 'twenty per minute');
    assert.equal(wholeRates([Math.PI]).exact, false);
  });
});

describe('thresholds', () => {
  it('parses k6 expressions', () => {
    assert.deepEqual(parseThresholdExpression('p(99.9) <= 500'), { aggregation: 'p', percentile: 99.9, operator: '<=', value: 500 });
    assert.deepEqual(parseThresholdExpression('count==0'), { aggregation: 'count', operator: '==', value: 0 });
    assert.equal(parseThresholdExpression('p95 under 200'), undefined);
  });

  it('finds the value an expression is judged on, null when the summary lacks it', () => {
    const trend = {
      type: 'trend',
      unit: 'ms',
      values: { count: 3, min: 1, max: 9, avg: 5, med: 4, 'p(90)': 8, 'p(95)': 8.5, 'p(99)': 8.9, 'p(99.9)': 8.99 },
    } as const;
    assert.equal(thresholdActual('p(99.9)<10', trend), 8.99);
    assert.equal(thresholdActual('p(50)<10', trend), 4);
    assert.equal(thresholdActual('avg<10', trend), 5);
    assert.equal(thresholdActual('p(75)<10', trend), null);
    assert.equal(thresholdActual('rate<0.1', { type: 'rate', unit: 'ratio', values: { rate: 0, passes: 0, fails: 0 } }), null, 'no samples');
    assert.equal(thresholdActual('value<10', { type: 'gauge', unit: 'count', values: { value: 3, min: 1, max: 4 } }), 3);
    assert.equal(thresholdActual('rate<10', undefined), null);
  });

  it('reads the metrics k6 names when an abortOnFail threshold stopped the run', () => {
    assert.deepEqual(
      abortedThresholdMetrics(
        `time="2026-08-21T10:00:05+02:00" level=error msg="thresholds on metrics 'http_req_duration{name:login}', 'checks' were crossed; at least one has abortOnFail enabled, stopping test prematurely"`,
      ),
      ['http_req_duration{name:login}', 'checks'],
    );
    assert.deepEqual(
      abortedThresholdMetrics('thresholds on metrics http_req_failed were breached; at least one has abortOnFail enabled, stopping test prematurely...'),
      ['http_req_failed'],
    );
    assert.deepEqual(abortedThresholdMetrics('level=info msg="all good"'), []);
  });
});

describe('finding k6', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'crucible-find-k6-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const exe = (path: string, body: string): string => {
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('takes K6_BINARY first, then the first k6 on PATH, and reads its version', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'k6'), 'not executable');
    const k6 = exe(join(b, 'k6'), 'echo "k6 v1.2.3 (commit/abc, go1.24.6, linux/amd64)"');
    const other = exe(join(tmp, 'my-k6'), 'echo "k6 v2.2.0"');
    assert.equal(findK6Path({ PATH: `${a}:${b}` }), k6);
    assert.equal(findK6Path({ PATH: `${a}:${b}`, K6_BINARY: other }), other);
    assert.equal(findK6Path({ PATH: a }), undefined);
    assert.equal(findK6Path({ PATH: `${a}:${b}`, K6_BINARY: join(tmp, 'missing') }), undefined);
    assert.deepEqual(await findK6({ PATH: b }), { path: k6, version: '1.2.3', versionLine: 'k6 v1.2.3 (commit/abc, go1.24.6, linux/amd64)' });
  });

  it('says k6 is not installed and that the built-in engine is the default', () => {
    const err = k6NotInstalledError({ PATH: '/nowhere' });
    assert.equal(err.code, 'CRUCIBLE_ERR_TOOL_MISSING');
    assert.match(err.message, /k6 is not installed/);
    assert.match(err.message, /built-in engine is the default/);
    assert.match(k6NotInstalledError({ K6_BINARY: '/opt/k6' }).message, /K6_BINARY=\/opt\/k6 is not an executable/);
  });

  it('parses and compares versions', () => {
    assert.equal(parseK6Version('k6 v0.57.0 (go1.23.4, linux/amd64)'), '0.57.0');
    assert.equal(parseK6Version('k6 v1.0.0-rc1 (commit/41b4984b75, go1.24.2, linux/amd64)'), '1.0.0-rc1');
    assert.equal(parseK6Version('command not found'), undefined);
    assert.ok(versionAtLeast('1.10.0', '1.5.0') && !versionAtLeast('1.4.9', '1.5.0') && versionAtLeast(undefined, '9.0.0'));
  });
});

describe('k6Exit()', () => {
  it("maps k6's exit codes to outcomes", () => {
    assert.deepEqual(k6Exit(0), { outcome: 'passed', exitCode: 0, meaning: 'success' });
    assert.equal(k6Exit(99).outcome, 'thresholds-failed');
    assert.equal(k6Exit(105).outcome, 'aborted');
    assert.equal(k6Exit(108).outcome, 'aborted');
    assert.equal(k6Exit(110).outcome, 'marked-failed');
    for (const code of [97, 100, 104, 107, 109, 1, 255]) assert.equal(k6Exit(code).outcome, 'error', String(code));
    assert.deepEqual(k6Exit(null, 'SIGKILL'), { outcome: 'error', exitCode: null, meaning: 'killed by SIGKILL' });
  });
});
