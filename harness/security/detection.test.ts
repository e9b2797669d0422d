import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecurityCheckRecord } from '../result/summary-model.ts';
import { alertCoversClass, detectionFrom, DETECTION_EVENTS, firstIncrease, NO_ALERT_SOURCE } from './detection.ts';

// The platform's detection alerts (platform/prometheus/rules.yml, slo="detection").
const ALERTS = [
  'CrucibleAuthFailureBurst',
  'CrucibleRateLimitBurst',
  'CrucibleAuthzDeniedBurst',
  'CrucibleRequestRejectedBurst',
  'CrucibleGraphqlRejectedBurst',
  'CrucibleSsrfBlocked',
  'CrucibleRouteProbeBurst',
];

describe('which alert can detect which attack class', () => {
  it('credits each class only with the alerts about its own events', () => {
    const covered = (cls: string): string[] => ALERTS.filter((a) => alertCoversClass(a, cls));
    assert.deepEqual(
      covered('misconfiguration'),
      ['CrucibleRequestRejectedBurst', 'CrucibleRouteProbeBurst'],
      'a GraphQL refusal is not a misconfiguration probe',
    );
    assert.deepEqual(covered('injection'), ['CrucibleRequestRejectedBurst', 'CrucibleRouteProbeBurst']);
    assert.deepEqual(covered('graphql'), ['CrucibleRateLimitBurst', 'CrucibleGraphqlRejectedBurst']);
    assert.deepEqual(covered('ssrf'), ['CrucibleSsrfBlocked']);
    assert.deepEqual(covered('authorization'), ['CrucibleAuthzDeniedBurst']);
    assert.deepEqual(covered('authentication'), ['CrucibleAuthFailureBurst', 'CrucibleRateLimitBurst']);
  });

  it('gives every attack class of the catalogue at least one platform alert', () => {
    for (const cls of Object.keys(DETECTION_EVENTS))
      assert.ok(
        ALERTS.some((a) => alertCoversClass(a, cls)),
        `${cls} has no alert`,
      );
  });
});

describe("a class's first metric increase", () => {
  it('is the first positive point of the increase() answer, from the second of the first attack, in ms from the origin', () => {
    const origin = 1_000_000_000;
    const values = [
      [origin / 1000 + 9, 2],
      [origin / 1000 + 10, 0],
      [origin / 1000 + 11, 0],
      [origin / 1000 + 12, 3],
    ] as const;
    assert.equal(firstIncrease([{ labels: {}, values }], origin + 10_400, origin), 12_000);
    assert.equal(firstIncrease([{ labels: {}, values }], origin + 9_400, origin), 9_000, 'the second the attack began in counts');
    assert.equal(firstIncrease([], origin, origin), null, 'no series: no increase');
  });
});

describe('detection with no alert source', () => {
  const record = (id: string, attackClass: string, startedMs: number): SecurityCheckRecord => ({
    id,
    title: id,
    owasp: 'API2',
    cwe: [287],
    cvss: { vector: 'CVSS:3.1/AV:N', score: 9.1 },
    severity: 'critical',
    attackClass,
    verdict: 'pass',
    summary: '',
    description: '',
    evidence: [],
    startedMs,
    endedMs: startedMs + 100,
  });
  const records = [record('SEC-A', 'authentication', 0), record('SEC-B', 'injection', 500)];

  it('is not measured, with the reason, and keeps the audit lines it saw', () => {
    const d = detectionFrom(records, { audit: [{ ms: 20, event: 'auth.failure' }], alerts: null, metricMs: new Map() }, 60_000);
    assert.deepEqual(
      d.map((x) => [x.attackClass, x.notMeasured, x.auditMs, x.ok]),
      [
        ['authentication', NO_ALERT_SOURCE, 20, false],
        ['injection', NO_ALERT_SOURCE, null, false],
      ],
    );
  });

  it('with an alert source, a class nothing alerted on is measured (not detected)', () => {
    const d = detectionFrom(records, { audit: [], alerts: [], metricMs: new Map() }, 60_000);
    assert.deepEqual(
      d.map((x) => x.notMeasured),
      [undefined, undefined],
    );
  });
});
