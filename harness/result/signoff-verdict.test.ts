import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
import { judgeSignoff, signoffMetrics, type SignoffEvidence } from './signoff-verdict.ts';
import type { SignoffMetric } from './signoff-model.ts';
import type { RunSummary } from './summary-model.ts';

const ev = (summary: RunSummary, runDir: string): SignoffEvidence => ({ summary, runDir });
const rel = (d: string): string => d.replace('/signoff/', '');
const byId = (ms: readonly SignoffMetric[]): Record<string, SignoffMetric> => Object.fromEntries(ms.map((m) => [m.id, m]));

const pentest = ev(samplePentestSummary('clean'), '/signoff/pentest');
const load = ev(sampleSummary({ kind: 'pass' }), '/signoff/baseline');
const chaos = ev(sampleSummary({ kind: 'chaos' }), '/signoff/game-day');

describe('signoffMetrics', () => {
  it('judges the nine roadmap metrics from the runs, each with its evidence folder', () => {
    const m = byId(signoffMetrics({ pentest, load, chaos: [chaos], rel }));
    assert.deepEqual(Object.keys(m), [
      'p95-latency',
      'cache-hit-rate',
      'error-rate',
      'critical-vulnerabilities',
      'check-verdicts',
      'time-to-detect',
      'mttr',
      'availability',
      'data-loss',
    ]);
    assert.equal(m['p95-latency']!.actual, load.summary.slos.find((o) => o.id === 'p95-latency')!.actual);
    assert.equal(m['p95-latency']!.pass, true);
    assert.deepEqual(m['p95-latency']!.evidence, ['baseline']);
    assert.equal(m['cache-hit-rate']!.pass, true);
    assert.equal(m['critical-vulnerabilities']!.actual, 0);
    assert.equal(m['check-verdicts']!.actual, 1);
    // The worst detection over attack classes (the rate-limiting alert) and the chaos faults the probes saw.
    const worstClass = Math.max(...pentest.summary.security!.detection.map((d) => d.timeToDetectMs ?? Infinity));
    const worstFault = Math.max(...chaos.summary.chaos!.faults.filter((f) => f.detectedMs !== null).map((f) => f.timeToDetectMs ?? Infinity));
    assert.ok(worstClass > worstFault, 'here an attack class is the slowest');
    assert.equal(m['time-to-detect']!.actual, worstClass);
    assert.equal(pentest.summary.security!.detection.find((d) => d.timeToDetectMs === worstClass)?.attackClass, 'rate-limiting');
    assert.deepEqual(m['time-to-detect']!.evidence, ['pentest', 'game-day']);
    assert.equal(m['mttr']!.actual, 36_000, 'the worst fault, not the mean');
    assert.equal(m['availability']!.actual, 1224 / 1305);
    assert.equal(m['availability']!.pass, false, '94 % is below 99.9 %');
    assert.equal(m['data-loss']!.actual, 1, 'one acknowledged order lost');
    assert.equal(m['data-loss']!.pass, false);
    // Each chaos run's own value, so a FAIL points at its experiment.
    assert.deepEqual(m['availability']!.perRun, { 'game-day': 1224 / 1305 });
    assert.deepEqual(m['mttr']!.perRun, { 'game-day': 36_000 });
    assert.deepEqual(m['data-loss']!.perRun, { 'game-day': 1 });
  });

  it('fails a metric without evidence: no chaos runs, no load, no pentest', () => {
    const m = byId(signoffMetrics({ pentest: undefined, load: undefined, chaos: [], rel }));
    for (const x of Object.values(m)) {
      assert.equal(x.actual, null, `${x.id} is not measured`);
      assert.equal(x.pass, false, `${x.id} fails without evidence`);
    }
  });

  it('counts an attack class that was never detected as not measured, which fails', () => {
    const s = samplePentestSummary('clean');
    const sec = s.security!;
    const undetected: RunSummary = { ...s, security: { ...sec, detection: sec.detection.map((d, i) => (i === 0 ? { ...d, timeToDetectMs: null } : d)) } };
    const m = byId(signoffMetrics({ pentest: ev(undetected, '/signoff/pentest'), load, chaos: [chaos], rel }));
    assert.equal(m['time-to-detect']!.actual, null);
    assert.equal(m['time-to-detect']!.pass, false);
  });

  it('fails on a critical finding and on a check that could not run', () => {
    const vuln = samplePentestSummary('vulnerable');
    const m = byId(signoffMetrics({ pentest: ev(vuln, '/signoff/pentest'), load, chaos: [chaos], rel }));
    assert.ok(vuln.security!.counts.critical > 0);
    assert.equal(m['critical-vulnerabilities']!.pass, false);
    const errored: RunSummary = { ...pentest.summary, security: { ...pentest.summary.security!, counts: { ...pentest.summary.security!.counts, error: 1 } } };
    assert.equal(byId(signoffMetrics({ pentest: ev(errored, '/signoff/pentest'), load, chaos: [chaos], rel }))['check-verdicts']!.pass, false);
  });

  it('each metric carries the roadmap limit it was judged against', () => {
    const m = byId(signoffMetrics({ pentest, load, chaos: [chaos], rel }));
    assert.deepEqual(m['p95-latency']!.limit, { op: '<', value: 200, unit: 'ms' });
    assert.deepEqual(m['availability']!.limit, { op: '>=', value: 0.999, unit: 'ratio' });
    assert.deepEqual(m['mttr']!.limit, { op: '<', value: 15 * 60_000, unit: 'ms' });
    assert.deepEqual(m['data-loss']!.limit, { op: '<=', value: 0, unit: 'count' });
  });
});

describe('judgeSignoff', () => {
  const metrics = signoffMetrics({ pentest, load, chaos: [chaos], rel });

  it('fails on every metric that did not pass, with its value and limit; exit 1', () => {
    const v = judgeSignoff(metrics, { interrupted: false });
    assert.deepEqual([v.status, v.exitCode], ['failed', 1]);
    assert.deepEqual(
      v.failures.map((f) => [f.kind, f.subject, f.words]),
      [
        ['objective', 'availability', 'availability ≥ 99.9 % not met: 93.79 %'],
        ['objective', 'data-loss', 'zero data loss not met: 1'],
      ],
    );
    assert.deepEqual(v.failures[0]!.limit, { op: '>=', value: 0.999, unit: 'ratio' });
  });

  it('passes when every metric passed; interrupted, it is aborted (exit 3)', () => {
    const all = metrics.map((m) => ({ ...m, pass: true }));
    assert.deepEqual(judgeSignoff(all, { interrupted: false }), { status: 'passed', exitCode: 0, failures: [], warnings: [] });
    assert.deepEqual([judgeSignoff(all, { interrupted: true }).status, judgeSignoff(all, { interrupted: true }).exitCode], ['aborted', 3]);
  });
});
