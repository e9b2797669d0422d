import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
import { sarifSchemaErrors } from '../../fixtures/sarif/validate-sarif.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { docsBaseFromEnv, readSummary, writeRunReports } from './write-run-reports.ts';
import type { RunSummary } from '../result/summary-model.ts';
import type { RunSummaryV1 } from '../result/summary-v1.ts';
import { judgeRun } from '../result/verdict.ts';

/** A summary as crucible wrote it before v2: status and exit code in `run`, no verdict, limits in words only. */
function asV1(s: RunSummary): RunSummaryV1 {
  const { verdict, ...rest } = s;
  return {
    ...rest,
    schema: 'crucible.summary/v1',
    run: { ...s.run, status: verdict.status, exitCode: verdict.exitCode },
    thresholds: s.thresholds.map(({ limit: _limit, ...t }) => t),
    slos: s.slos.map(({ limit: _limit, ...o }) => o),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'crucible-reports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeRunReports / readSummary', () => {
  it('writes the four files, and summary.json reads back equal', async () => {
    const s = sampleSummary({ kind: 'fail' });
    const runDir = join(dir, 'run-1');
    const paths = await writeRunReports(runDir, s);
    assert.deepEqual(readdirSync(runDir).sort(), ['junit.xml', 'report.html', 'summary.json', 'summary.md']);
    assert.equal(paths.html, join(runDir, 'report.html'));
    const json = readFileSync(join(runDir, 'summary.json'), 'utf8');
    assert.match(json, /^\{\n {2}"schema": "crucible\.summary\/v2",\n/, '2-space JSON');
    assert.deepEqual(readSummary(join(runDir, 'summary.json')), JSON.parse(JSON.stringify(s)));
    assert.match(readFileSync(join(runDir, 'summary.md'), 'utf8'), /FAILED/);
  });

  it('a penetration run also gets findings.sarif, valid SARIF 2.1.0; its links come from the options or GitHub Actions', async () => {
    const runDir = join(dir, 'pentest');
    const vulnerable = samplePentestSummary('vulnerable');
    const paths = await writeRunReports(runDir, vulnerable, { sarif: { docsBaseUri: 'https://git.example/crucible/' } });
    assert.deepEqual(readdirSync(runDir).sort(), ['findings.sarif', 'junit.xml', 'report.html', 'summary.json', 'summary.md']);
    assert.equal(paths.sarif, join(runDir, 'findings.sarif'));
    const sarif = JSON.parse(readFileSync(paths.sarif, 'utf8')) as { runs: { results: unknown[]; tool: { driver: { informationUri?: string } } }[] };
    assert.deepEqual(sarifSchemaErrors(sarif), []);
    assert.equal(sarif.runs[0]!.results.length, vulnerable.security!.counts.fail, 'a result per finding');
    assert.equal(sarif.runs[0]!.tool.driver.informationUri, 'https://git.example/crucible/');
    assert.equal((await writeRunReports(join(dir, 'load'), sampleSummary({ kind: 'pass' }))).sarif, undefined, 'no security section, no SARIF');
    assert.equal(
      docsBaseFromEnv({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/crucible', GITHUB_SHA: 'f00' }, 'abc123'),
      'https://github.com/acme/crucible/blob/abc123/',
    );
    assert.equal(
      docsBaseFromEnv({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/crucible', GITHUB_SHA: 'f00' }, undefined),
      'https://github.com/acme/crucible/blob/f00/',
    );
    assert.equal(docsBaseFromEnv({}, 'abc123'), undefined, 'outside GitHub Actions nothing is known');
  });

  it('reads a v1 summary (from an older crucible) as v2, its verdict judged from its results', () => {
    for (const s of [
      sampleSummary({ kind: 'fail' }),
      sampleSummary({ kind: 'aborted' }),
      sampleSummary({ kind: 'chaos' }),
      samplePentestSummary('vulnerable'),
    ]) {
      const file = join(dir, `${s.run.id}.v1.json`);
      writeFileSync(file, JSON.stringify(asV1(s)));
      const read = readSummary(file);
      assert.equal(read.schema, 'crucible.summary/v2');
      // v1 kept limits in words only: the failures are the same, without them.
      const unlimited = (v: RunSummary['verdict']): unknown => ({ ...v, failures: v.failures.map(({ limit: _limit, ...f }) => f) });
      assert.deepEqual(unlimited(read.verdict), unlimited(s.verdict), s.run.id);
      assert.equal('status' in read.run, false);
    }
  });

  it('refuses what is not a crucible summary, naming the file and the reason', () => {
    const cases: [string, string, RegExp][] = [
      ['not-json.json', '{"schema": ', /not-json\.json is not a crucible summary: not JSON/],
      ['array.json', '[]', /array\.json is not a crucible summary: not a JSON object/],
      [
        'k6.json',
        JSON.stringify({ metrics: {}, root_group: {} }),
        /k6\.json is not a crucible summary: it has no "schema" field \(expected "crucible\.summary\/v2"\)/,
      ],
      [
        'v3.json',
        JSON.stringify({ ...sampleSummary({ kind: 'pass' }), schema: 'crucible.summary/v3' }),
        /v3\.json is not a crucible summary: its schema is crucible\.summary\/v3; this crucible reads crucible\.summary\/v2 and crucible\.summary\/v1/,
      ],
      ['other.json', JSON.stringify({ schema: 'something/v1' }), /its "schema" is "something\/v1"/],
      [
        'truncated.json',
        JSON.stringify({ schema: 'crucible.summary/v1', run: { id: 'x', status: 'passed', scenario: {} } }),
        /missing or malformed: engine, metrics, phases, requests, checks, thresholds, slos, notes, series, droppedIterations/,
      ],
      [
        'no-verdict.json',
        JSON.stringify({ ...sampleSummary({ kind: 'pass' }), verdict: undefined }),
        /no-verdict\.json is not a crucible summary: missing or malformed: verdict/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const file = join(dir, name);
      writeFileSync(file, content);
      assert.throws(
        () => readSummary(file),
        (err: unknown) =>
          err instanceof CrucibleError &&
          err.code === 'CRUCIBLE_ERR_REPORT_INPUT' &&
          err.exitCode === 2 &&
          message.test(err.message) &&
          err.message.includes(file),
        name,
      );
    }
    assert.throws(() => readSummary(join(dir, 'absent.json')), /cannot read .*absent\.json: ENOENT/);
  });
});

describe('a run that produced no data', () => {
  it('still renders every report, as ERROR, without throwing', async () => {
    const s = sampleSummary({ kind: 'pass' });
    const empty = { t: [], rps: [], errorRate: [], p50Ms: [], p95Ms: [], p99Ms: [], vus: [], targetRps: [], dropped: [], cacheHitRate: [] };
    const results = {
      thresholds: [{ metric: 'http_req_duration', expression: 'p(95)<200', ok: false, actual: null, abortOnFail: false, aborted: false }],
      slos: s.slos.map((o) => ({ ...o, actual: null, ok: true, note: 'no requests were made' })),
    };
    const broken = {
      ...s,
      ...results,
      run: { ...s.run, abortReason: 'error: target unreachable', durationMs: 1200 },
      verdict: judgeRun(results, { kind: 'error', reason: 'error: target unreachable' }),
      phases: [],
      metrics: {},
      requests: [],
      checks: [],
      series: { intervalMs: 1000, ...empty },
      platform: undefined,
      notes: [],
    };
    const runDir = join(dir, 'run-empty');
    await writeRunReports(runDir, broken);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    assert.match(html, /data-testid="verdict-word">! ERROR</);
    assert.doesNotMatch(html, /data-chart=/, 'no chart without data');
    assert.match(
      readFileSync(join(runDir, 'junit.xml'), 'utf8'),
      /<failure message="no samples: http_req_duration was never recorded, so p\(95\)&#60;200 could not hold"/,
    );
    assert.match(readFileSync(join(runDir, 'summary.md'), 'utf8'), /^## ! ERROR: /);
  });
});
