import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChaosAnalysis, FaultRecord, SecurityAnalysis, SecurityCheckRecord, SloResult, ThresholdResult } from './summary-model.ts';
import { summaryFromV1, type RunSummaryV1 } from './summary-v1.ts';
import { exitCodeOf, failedOn, judgeRun, judgeSuite, worstStatus, type JudgedResults } from './verdict.ts';

const done = { kind: 'completed' } as const;
const none: JudgedResults = { thresholds: [], slos: [] };

const threshold = (over: Partial<ThresholdResult> = {}): ThresholdResult => ({
  metric: 'http_req_duration',
  expression: 'p(95)<200',
  ok: true,
  actual: 120,
  limit: { op: '<', value: 200, unit: 'ms' },
  abortOnFail: false,
  aborted: false,
  ...over,
});

const slo = (over: Partial<SloResult> = {}): SloResult => ({
  id: 'error-rate',
  objective: 'errors < 1.00 %',
  actual: 0.002,
  unit: 'ratio',
  limit: { op: '<', value: 0.01, unit: 'ratio' },
  ok: true,
  source: 'client',
  ...over,
});

const fault = (over: Partial<FaultRecord> = {}): FaultRecord => ({
  id: '0.0',
  name: 'redis latency',
  type: 'toxic',
  targets: 'gateway -> redis',
  selfHealing: false,
  injectedMs: 60_000,
  revertedMs: 90_000,
  detectedMs: 61_000,
  alertMs: 70_000,
  alertName: 'CrucibleHighLatencyP95',
  recoveredMs: 95_000,
  timeToDetectMs: 1000,
  timeToAlertMs: 10_000,
  mttrMs: 5000,
  availability: 0.97,
  verdict: 'passed',
  reasons: [],
  ...over,
});

const steady = (phase: 'before' | 'during' | 'after', ok = true): ChaosAnalysis['steadyState'][number] => ({
  phase,
  ok,
  windows: 20,
  goodWindows: ok ? 20 : 12,
  startMs: 0,
  endMs: 20_000,
  ...(ok ? {} : { note: 'probe edge-ready failed in 8 of 20 windows (status 503)' }),
});

const chaos = (over: Partial<ChaosAnalysis> = {}): ChaosAnalysis => ({
  windowMs: 1000,
  recoverWindows: 5,
  expectations: { mttrMs: 30_000, detectionMs: 10_000, availability: 0.99, maxLostWrites: 0, alert: false },
  steadyState: [steady('before'), steady('during'), steady('after')],
  faults: [fault()],
  distributions: [],
  availability: { ratio: 0.995, good: 995, total: 1000, objective: 0.99, errorBudgetConsumed: 0.5 },
  resilienceScore: 97,
  probes: [],
  ledger: {
    attempted: 100,
    acknowledged: 98,
    unacknowledged: 2,
    lost: [],
    lostCount: 0,
    duplicated: [],
    duplicatedCount: 0,
    appliedUnacknowledged: 0,
    source: 'PostgreSQL orders table',
  },
  rollback: { complete: true, problems: [] },
  ...over,
});

const check = (id: string, verdict: SecurityCheckRecord['verdict'], severity: SecurityCheckRecord['severity'] = 'high', score = 7.5): SecurityCheckRecord => ({
  id,
  title: `${id} title`,
  owasp: 'API2',
  cwe: [287],
  cvss: { vector: 'CVSS:3.1/AV:N', score },
  severity,
  attackClass: 'authentication',
  verdict,
  summary: `${id} summary`,
  description: '',
  evidence: [],
  startedMs: 0,
  endedMs: 10,
});

const security = (checks: SecurityCheckRecord[], detected = true): SecurityAnalysis => ({
  profile: 'reference',
  checks,
  detection: [
    {
      attackClass: 'authentication',
      firstAttackMs: 0,
      auditMs: 100,
      auditEvents: [],
      metricMs: 200,
      alertMs: detected ? 3000 : null,
      alertName: detected ? 'CrucibleAuthFailureBurst' : null,
      timeToDetectMs: detected ? 3000 : null,
      budgetMs: 60_000,
      ok: detected,
    },
  ],
  counts: { pass: 0, fail: 0, error: 0, notApplicable: 0, critical: 0, high: 0 },
  verdictCoverage: 1,
  vulnerableSwitches: [],
});

describe('judgeRun: status and exit code', () => {
  it('passes a run with nothing failed: exit 0', () => {
    assert.deepEqual(judgeRun({ thresholds: [threshold()], slos: [slo()] }, done), { status: 'passed', exitCode: 0, failures: [], warnings: [] });
    assert.deepEqual(judgeRun(none, done).status, 'passed');
  });

  it('an interrupted run is aborted (exit 3) whatever its results, and says why', () => {
    const v = judgeRun(
      { thresholds: [threshold({ ok: false, actual: 250 })], slos: [] },
      { kind: 'interrupted', reason: 'signal: interrupted (Ctrl-C or SIGTERM)' },
    );
    assert.equal(v.status, 'aborted');
    assert.equal(v.exitCode, 3);
    assert.deepEqual(
      v.failures.map((f) => [f.kind, f.subject, f.words]),
      [
        ['abort', 'signal', 'signal: interrupted (Ctrl-C or SIGTERM)'],
        ['threshold', 'http_req_duration p(95)<200', 'threshold http_req_duration p(95)<200 failed: actual 250'],
      ],
    );
  });

  it('a run that could not complete is an error: exit 3', () => {
    const v = judgeRun(none, { kind: 'error', reason: 'target unreachable' });
    assert.deepEqual([v.status, v.exitCode, v.failures[0]!.kind, v.failures[0]!.words], ['error', 3, 'error', 'the run did not complete: target unreachable']);
  });

  it('maps every status to its exit code, and a suite to its worst run', () => {
    assert.deepEqual((['passed', 'failed', 'aborted', 'error'] as const).map(exitCodeOf), [0, 1, 3, 3]);
    assert.equal(worstStatus([]), 'passed');
    assert.equal(worstStatus(['passed', 'failed', 'passed']), 'failed');
    assert.equal(worstStatus(['failed', 'aborted', 'passed']), 'aborted');
    assert.equal(worstStatus(['error', 'failed']), 'error');
  });

  it('a suite is its worst run; interrupted it is aborted; stopped before its last scenario it cannot pass', () => {
    const complete = { interrupted: false, complete: true };
    assert.deepEqual(judgeSuite([{ status: 'passed' }, { status: 'passed' }], complete), { status: 'passed', exitCode: 0 });
    assert.deepEqual(judgeSuite([{ status: 'passed' }, { status: 'failed' }], complete), { status: 'failed', exitCode: 1 });
    assert.deepEqual(judgeSuite([{ status: 'error' }, { status: 'failed' }], complete), { status: 'error', exitCode: 3 });
    assert.deepEqual(judgeSuite([{ status: 'passed' }], { interrupted: true, complete: false }), { status: 'aborted', exitCode: 3 });
    assert.deepEqual(judgeSuite([{ status: 'passed' }], { interrupted: false, complete: false }), { status: 'failed', exitCode: 1 });
  });
});

describe('judgeRun: thresholds and SLOs', () => {
  it('a failed threshold carries its value and structured limit', () => {
    const v = judgeRun(
      { thresholds: [threshold({ ok: false, actual: 238.134 }), threshold({ metric: 'checks', expression: 'rate>0.99', actual: 0.999 })], slos: [] },
      done,
    );
    assert.equal(v.status, 'failed');
    assert.equal(v.exitCode, 1);
    assert.deepEqual(v.failures, [
      {
        kind: 'threshold',
        subject: 'http_req_duration p(95)<200',
        actual: 238.134,
        limit: { op: '<', value: 200, unit: 'ms' },
        words: 'threshold http_req_duration p(95)<200 failed: actual 238.134',
      },
    ]);
  });

  it('a threshold without samples fails; one that aborted the run fails even if its final figure holds', () => {
    const v = judgeRun(
      {
        thresholds: [
          threshold({ ok: false, actual: null }),
          threshold({ metric: 'http_req_failed', expression: 'rate<0.1', aborted: true, abortOnFail: true }),
        ],
        slos: [],
      },
      done,
    );
    assert.deepEqual(
      v.failures.map((f) => f.words),
      ['threshold http_req_duration p(95)<200 failed: no samples', 'threshold http_req_failed rate<0.1 failed: actual 120 (aborted the run)'],
    );
  });

  it('a failed SLO carries its limit; an unmeasured one is neither met nor failed', () => {
    const v = judgeRun(
      { thresholds: [], slos: [slo({ ok: false, actual: 0.034 }), slo({ id: 'cache-hit-rate', actual: null, ok: true, note: 'not measured' })] },
      done,
    );
    assert.deepEqual(v.failures, [
      {
        kind: 'slo',
        subject: 'error-rate',
        actual: 0.034,
        limit: { op: '<', value: 0.01, unit: 'ratio' },
        words: 'SLO errors < 1.00 % failed: 3.40 % (client)',
      },
    ]);
    assert.equal(judgeRun({ thresholds: [], slos: [slo({ actual: null, ok: false })] }, done).status, 'passed');
  });
});

describe('judgeRun: the chaos rule', () => {
  const judge = (c: ChaosAnalysis): ReturnType<typeof judgeRun> => judgeRun({ ...none, chaos: c }, done);

  it('passes an experiment that met every expectation', () => {
    assert.deepEqual(judge(chaos()), { status: 'passed', exitCode: 0, failures: [], warnings: [] });
  });

  it('judges the hypothesis before and after the faults; a disturbed "during" is reported, not a failure', () => {
    assert.equal(judge(chaos({ steadyState: [steady('before'), steady('during', false), steady('after')] })).status, 'passed');
    const v = judge(chaos({ steadyState: [steady('before', false), steady('during', false), steady('after', false)] }));
    assert.deepEqual(
      v.failures.map((f) => [f.kind, f.subject, f.words]),
      [
        ['steady-state', 'before', 'steady state before the faults did not hold: probe edge-ready failed in 8 of 20 windows (status 503)'],
        ['steady-state', 'after', 'steady state after the faults did not hold: probe edge-ready failed in 8 of 20 windows (status 503)'],
      ],
    );
  });

  it('a fault fails on each expectation it missed, with its measure, value and limit', () => {
    const v = judge(
      chaos({ faults: [fault(), fault({ id: '1.0', name: 'postgres stop', mttrMs: 42_000, timeToDetectMs: 12_000 }), fault({ id: '2.0', mttrMs: null })] }),
    );
    assert.equal(v.status, 'failed');
    assert.deepEqual(v.failures, [
      {
        kind: 'fault',
        subject: 'postgres stop (1.0)',
        measure: 'mttr',
        actual: 42_000,
        limit: { op: '<=', value: 30_000, unit: 'ms' },
        words: 'postgres stop (1.0): MTTR 42.0 s > 30.0 s',
      },
      {
        kind: 'fault',
        subject: 'postgres stop (1.0)',
        measure: 'time-to-detect',
        actual: 12_000,
        limit: { op: '<=', value: 10_000, unit: 'ms' },
        words: 'postgres stop (1.0): time to detect 12.0 s > 10.0 s',
      },
      {
        kind: 'fault',
        subject: 'redis latency (2.0)',
        measure: 'mttr',
        actual: null,
        limit: { op: '<=', value: 30_000, unit: 'ms' },
        words: 'redis latency (2.0): never recovered before the end of the experiment',
      },
    ]);
  });

  it('reports find a row in the verdict by kind, subject and measure (warnings on request)', () => {
    const ledger = chaos().ledger!;
    const v = judge(
      chaos({
        faults: [fault({ mttrMs: 42_000 })],
        ledger: { ...ledger, lost: ['k'], lostCount: 1 },
        expectations: { ...chaos().expectations, maxLostWrites: 1 },
      }),
    );
    assert.equal(failedOn(v, 'fault', 'redis latency (0.0)'), true);
    assert.equal(failedOn(v, 'fault', 'redis latency (0.0)', { measure: 'mttr' }), true);
    assert.equal(failedOn(v, 'fault', 'redis latency (0.0)', { measure: 'time-to-detect' }), false);
    assert.equal(failedOn(v, 'data-loss', 'lost'), false, 'within the allowance: a warning, not a failure');
    assert.equal(failedOn(v, 'data-loss', 'lost', { warnings: true }), true);
  });

  it('requires an alert per detected fault only when the experiment expects one', () => {
    const silent = fault({ alertMs: null, alertName: null, timeToAlertMs: null });
    assert.equal(judge(chaos({ faults: [silent] })).status, 'passed');
    const v = judge(chaos({ faults: [silent], expectations: { ...chaos().expectations, alert: true } }));
    assert.deepEqual(
      v.failures.map((f) => [f.measure, f.words]),
      [['alert', 'redis latency (0.0): no alert fired although the probes detected it after 1.0 s']],
    );
  });

  it('fails availability under the objective', () => {
    const v = judge(chaos({ availability: { ratio: 0.94, good: 940, total: 1000, objective: 0.99, errorBudgetConsumed: 6 } }));
    assert.deepEqual(v.failures, [
      {
        kind: 'availability',
        subject: 'experiment',
        actual: 0.94,
        limit: { op: '>=', value: 0.99, unit: 'ratio' },
        words: 'availability 94.00 % < 99.0 % (60 bad probe samples of 1000)',
      },
    ]);
  });

  it('judges lost writes against expect.lostWrites (0 by default); a loss within it is a warning; a duplicate always fails', () => {
    const ledger = chaos().ledger!;
    const lost = (n: number, max: number): ReturnType<typeof judgeRun> =>
      judge(chaos({ ledger: { ...ledger, lost: ['k-1'], lostCount: n }, expectations: { ...chaos().expectations, maxLostWrites: max } }));
    assert.deepEqual(lost(1, 0).failures, [
      { kind: 'data-loss', subject: 'lost', actual: 1, limit: { op: '<=', value: 0, unit: 'count' }, words: '1 acknowledged write lost' },
    ]);
    assert.equal(lost(3, 2).failures[0]!.words, '3 acknowledged writes lost (2 allowed)');
    const within = lost(2, 2);
    assert.equal(within.status, 'passed');
    assert.deepEqual(within.warnings, [
      {
        kind: 'data-loss',
        subject: 'lost',
        actual: 2,
        limit: { op: '<=', value: 2, unit: 'count' },
        words: '2 acknowledged writes lost (within the 2 allowed)',
      },
    ]);
    const dup = judge(chaos({ ledger: { ...ledger, duplicated: ['k-2'], duplicatedCount: 1 }, expectations: { ...chaos().expectations, maxLostWrites: 5 } }));
    assert.deepEqual(dup.failures, [
      { kind: 'data-loss', subject: 'duplicated', actual: 1, limit: { op: '==', value: 0, unit: 'count' }, words: '1 write applied twice' },
    ]);
    assert.equal(judge(chaos({ ledger: null })).status, 'passed', 'no ledger, nothing to judge');
  });

  it('fails an incomplete rollback and an experiment stopped by its abort condition', () => {
    const v = judge(
      chaos({
        rollback: { complete: false, problems: ['toxic on redis still present'] },
        abortedBy: { probe: 'edge-ready', atMs: 91_500, reason: 'bad for 30 s' },
      }),
    );
    assert.equal(v.status, 'failed');
    assert.deepEqual(
      v.failures.map((f) => [f.kind, f.subject, f.words]),
      [
        ['abort', 'edge-ready', 'experiment aborted at 91.5 s: bad for 30 s'],
        ['rollback', 'rollback', 'ROLLBACK INCOMPLETE: toxic on redis still present'],
      ],
    );
  });
});

describe('judgeRun: penetration runs', () => {
  const judge = (s: SecurityAnalysis): ReturnType<typeof judgeRun> => judgeRun({ ...none, security: s }, done);

  it('fails on findings, listed worst first', () => {
    const v = judge(
      security([check('SEC-A', 'fail', 'medium', 5.3), check('SEC-B', 'pass'), check('SEC-C', 'fail', 'critical', 9.1), check('SEC-D', 'error')]),
    );
    assert.equal(v.status, 'failed');
    assert.deepEqual(
      v.failures.map((f) => [f.kind, f.subject, f.actual]),
      [
        ['security-finding', 'SEC-C', 9.1],
        ['security-finding', 'SEC-A', 5.3],
        ['check-error', 'SEC-D', null],
      ],
    );
    assert.equal(v.failures[0]!.words, 'critical finding SEC-C SEC-C title (CVSS 9.1): SEC-C summary');
    assert.equal(v.failures[2]!.words, 'SEC-D SEC-D title could not reach a verdict: SEC-D summary');
  });

  it('a check that could not reach a verdict, and nothing found, is an error (exit 3): no verdict is not a pass', () => {
    const v = judge(security([check('SEC-B', 'pass'), check('SEC-D', 'error'), check('SEC-E', 'not-applicable')]));
    assert.deepEqual([v.status, v.exitCode], ['error', 3]);
  });

  it('a run in which no check applied tested nothing: an error (exit 3), not PASSED at 0 % coverage', () => {
    const v = judge(security([check('SEC-A', 'not-applicable'), check('SEC-B', 'not-applicable')]));
    assert.deepEqual([v.status, v.exitCode], ['error', 3]);
    assert.deepEqual(
      v.failures.map((f) => [f.kind, f.subject, f.actual, f.limit]),
      [['coverage', 'checks', 0, { op: '>=', value: 1, unit: 'count' }]],
    );
    assert.match(v.failures[0]!.words, /^no check applied \(2 checks not applicable\): nothing was tested/);
    assert.equal(judge(security([check('SEC-A', 'not-applicable'), check('SEC-B', 'pass')])).status, 'passed', 'one applicable check is a verdict');
  });

  it('detection that was not measured (no alert source) is neither detected nor missed: no warning', () => {
    const s = security([check('SEC-B', 'pass')], false);
    const unmeasured = { ...s, detection: s.detection.map((d) => ({ ...d, notMeasured: 'no alert source' })) };
    const v = judge(unmeasured);
    assert.equal(v.status, 'passed');
    assert.deepEqual(v.warnings, []);
  });

  it('an attack class not detected in time is a warning: the run is judged on its checks', () => {
    const v = judge(security([check('SEC-B', 'pass')], false));
    assert.equal(v.status, 'passed');
    assert.deepEqual(v.warnings, [
      {
        kind: 'detection',
        subject: 'authentication',
        actual: null,
        limit: { op: '<=', value: 60_000, unit: 'ms' },
        words: 'authentication attacks not detected within the 60 s budget',
      },
    ]);
  });
});

describe('summaryFromV1', () => {
  const v1 = (status: RunSummaryV1['run']['status'], results: Partial<JudgedResults>, abortReason?: string): RunSummaryV1 =>
    ({
      schema: 'crucible.summary/v1',
      run: { id: 'r', status, exitCode: exitCodeOf(status), ...(abortReason ? { abortReason } : {}) },
      thresholds: [],
      slos: [],
      ...results,
    }) as unknown as RunSummaryV1;

  it('derives the verdict with judgeRun, from the results and how the run ended', () => {
    const failed = summaryFromV1(v1('failed', { thresholds: [threshold({ ok: false, actual: 250, limit: undefined })] }));
    assert.equal(failed.schema, 'crucible.summary/v2');
    assert.deepEqual([failed.verdict.status, failed.verdict.exitCode], ['failed', 1]);
    assert.equal('status' in failed.run || 'exitCode' in failed.run, false, 'the verdict is the only home of the status');
    const aborted = summaryFromV1(v1('aborted', {}, 'signal: interrupted (Ctrl-C or SIGTERM)'));
    assert.deepEqual([aborted.verdict.status, aborted.verdict.failures[0]!.words], ['aborted', 'signal: interrupted (Ctrl-C or SIGTERM)']);
    const error = summaryFromV1(v1('error', {}, 'error: target unreachable'));
    assert.deepEqual([error.verdict.status, error.verdict.failures[0]!.words], ['error', 'the run did not complete: error: target unreachable']);
  });

  it("a penetration run's error comes from its checks, not from how it ended", () => {
    const s = summaryFromV1(v1('error', { security: security([check('SEC-D', 'error')]) }));
    assert.deepEqual(
      s.verdict.failures.map((f) => f.kind),
      ['check-error'],
    );
    assert.equal(s.verdict.status, 'error');
  });
});
