import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeChaos, type ChaosFaultInput, type ChaosInput } from './analyze-chaos.ts';
import { OVERALL } from './distribution.ts';
import { probeSeries } from '../../test/support/probe-series.ts';

const END = 120_000;
const near = (actual: number | null, expected: number): void => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);

function input(over: Partial<ChaosInput>): ChaosInput {
  return {
    probes: [],
    faults: [],
    alerts: [],
    expectations: { mttrMs: 30_000, detectionMs: 5000, availability: 0.999, maxLostWrites: 0, alert: false },
    windowMs: 1000,
    recoverWindows: 5,
    endMs: END,
    ledger: null,
    rollback: { complete: true, problems: [] },
    ...over,
  };
}

const latency = (id: string, injectedMs: number, revertedMs: number | null, weight = 5): ChaosFaultInput => ({
  id,
  name: 'latency gateway-redis-*',
  type: 'toxic',
  targets: 'gateway-redis-0, gateway-redis-1',
  selfHealing: false,
  injectedMs,
  revertedMs,
  weight,
});
const kill = (id: string, injectedMs: number): ChaosFaultInput => ({
  id,
  name: 'kill gateway-1',
  type: 'process-kill',
  targets: 'gateway-1 (pid 4242)',
  selfHealing: true,
  injectedMs,
  revertedMs: null,
  weight: 8,
});

describe('analyzeChaos', () => {
  it('finds nothing wrong in a clean run: MTTR 0, availability 1', () => {
    const a = analyzeChaos(input({ probes: [probeSeries('edge', { everyMs: 250, toMs: END })], faults: [latency('0.0', 20_000, 30_000)] }));
    const f = a.faults[0]!;
    assert.equal(f.detectedMs, null);
    assert.equal(f.recoveredMs, 30_000);
    assert.equal(f.mttrMs, 0);
    assert.equal(f.availability, 1);
    assert.deepEqual([f.verdict, f.reasons], ['passed', []]);
    assert.deepEqual(a.availability, { ratio: 1, good: 400, total: 400, objective: 0.999, errorBudgetConsumed: 0 });
    assert.equal(a.resilienceScore, 100);
    assert.deepEqual(
      a.steadyState.map((c) => c.ok),
      [true, true, true],
    );
    assert.deepEqual(a.distributions, [
      {
        name: OVERALL,
        mttr: { count: 1, p50: 0, p95: 0, max: 0 },
        timeToDetect: { count: 0, p50: null, p95: null, max: null },
        timeToAlert: { count: 0, p50: null, p95: null, max: null },
      },
    ]);
    assert.equal(a.ledger, null);
    assert.equal('abortedBy' in a, false);
  });

  it('gives an absorbed self-healing kill MTTR 0 and the availability of its recovery windows', () => {
    const a = analyzeChaos(input({ probes: [probeSeries('edge', { everyMs: 250, toMs: END })], faults: [kill('0.0', 20_300)] }));
    assert.equal(a.faults[0]!.mttrMs, 0);
    assert.equal(a.faults[0]!.recoveredMs, 20_300);
    assert.equal(a.faults[0]!.availability, 1);
    assert.equal(a.faults[0]!.verdict, 'passed');
  });

  describe('repeated kills and a latency fault', () => {
    // Kills at 20, 50 and 80 s, each seen 0.5 s later and bad for 1, 3 and 5 s; a latency fault
    // from 100 to 105 s seen at 102 s and bad until 107 s. One probe every 250 ms.
    const edge = probeSeries('edge', {
      everyMs: 250,
      toMs: END,
      bad: [
        [20_500, 21_500],
        [50_500, 53_500],
        [80_500, 85_500],
        [102_000, 107_000],
      ],
    });
    const a = analyzeChaos(
      input({
        probes: [edge],
        faults: [kill('0.0', 20_000), kill('0.1', 50_000), kill('0.2', 80_000), latency('1.0', 100_000, 105_000, 2)],
        alerts: [
          {
            name: 'CrucibleInstanceDown',
            spans: [
              { startMs: 21_000, endMs: 23_000 },
              { startMs: 83_000, endMs: 87_000 },
            ],
          },
          { name: 'CrucibleHighLatencyP95', firstFiringMs: 104_000 },
        ],
        expectations: { mttrMs: 5000, detectionMs: 1000, availability: 0.2, maxLostWrites: 0, alert: true },
      }),
    );
    const byId = Object.fromEntries(a.faults.map((f) => [f.id, f]));

    it('measures each kill from its injection and the latency fault from its revert', () => {
      assert.deepEqual(
        a.faults.map((f) => [f.id, f.detectedMs, f.recoveredMs, f.mttrMs]),
        [
          ['0.0', 20_500, 22_000, 2000],
          ['0.1', 50_500, 54_000, 4000],
          ['0.2', 80_500, 86_000, 6000],
          ['1.0', 102_000, 107_000, 2000],
        ],
      );
      assert.deepEqual(
        a.faults.map((f) => [f.alertName, f.timeToAlertMs]),
        [
          ['CrucibleInstanceDown', 1000],
          [null, null],
          ['CrucibleInstanceDown', 3000],
          ['CrucibleHighLatencyP95', 4000],
        ],
      );
    });

    it('counts availability from the injection to the recovery', () => {
      assert.equal(byId['0.0']!.availability, 4 / 8);
      assert.equal(byId['0.1']!.availability, 4 / 16);
      assert.equal(byId['0.2']!.availability, 4 / 24);
      assert.equal(byId['1.0']!.availability, 8 / 28);
    });

    it('judges every fault against the expectations (availability is judged over the whole experiment, not per fault)', () => {
      assert.deepEqual(
        a.faults.map((f) => [f.id, f.verdict, f.reasons]),
        [
          ['0.0', 'passed', []],
          ['0.1', 'failed', ['no alert fired although the probes detected it after 0.5 s']],
          ['0.2', 'failed', ['MTTR 6.0 s > 5.0 s']],
          ['1.0', 'failed', ['time to detect 2.0 s > 1.0 s']],
        ],
      );
    });

    it('reports distributions overall and for the repeated step', () => {
      const [overall, kills] = a.distributions;
      assert.equal(a.distributions.length, 2);
      assert.deepEqual(overall, {
        name: OVERALL,
        mttr: { count: 4, p50: 2000, p95: 6000, max: 6000 },
        timeToDetect: { count: 4, p50: 500, p95: 2000, max: 2000 },
        timeToAlert: { count: 3, p50: 3000, p95: 4000, max: 4000 },
      });
      assert.deepEqual(kills, {
        name: 'kill gateway-1',
        mttr: { count: 3, p50: 4000, p95: 6000, max: 6000 },
        timeToDetect: { count: 3, p50: 500, p95: 500, max: 500 },
        timeToAlert: { count: 2, p50: 1000, p95: 3000, max: 3000 },
      });
    });

    it('computes availability, error budget and resilience score over the experiment', () => {
      // From the first injection (20 s) to the end: 400 samples, 4 + 12 + 20 + 20 bad.
      assert.deepEqual(
        { ...a.availability, errorBudgetConsumed: null },
        { ratio: 344 / 400, good: 344, total: 400, objective: 0.2, errorBudgetConsumed: null },
      );
      near(a.availability.errorBudgetConsumed, 0.14 / 0.8);
      near(a.resilienceScore, ((8 * (1 / 2 + 1 / 4 + 1 / 6) + 2 * (2 / 7)) * 100) / 26);
    });

    it('finds the platform steady before, recovered during, steady after', () => {
      assert.deepEqual(
        a.steadyState.map((c) => [c.phase, c.ok, c.windows, c.startMs, c.endMs]),
        [
          ['before', true, 20, 0, 20_000],
          ['during', true, 87, 20_000, 107_000],
          ['after', true, 5, 115_000, 120_000],
        ],
      );
    });
  });

  it('fails a fault that never recovers, and one whose revert failed', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[21_000, END]] });
    const broken = { ...latency('1.0', 40_000, null), revertError: 'toxiproxy: 500' };
    const a = analyzeChaos(input({ probes: [edge], faults: [latency('0.0', 20_000, 30_000), broken] }));
    assert.equal(a.faults[0]!.mttrMs, null);
    assert.equal(a.faults[0]!.recoveredMs, null);
    assert.deepEqual(a.faults[0]!.reasons, ['never recovered before the end of the experiment']);
    assert.equal(a.faults[0]!.availability, 4 / 400);
    assert.equal(a.faults[1]!.revertError, 'toxiproxy: 500');
    assert.equal(a.faults[1]!.reasons[0], 'revert failed: toxiproxy: 500');
    assert.deepEqual(
      a.steadyState.map((c) => c.ok),
      [true, false, false],
    );
    assert.equal(a.availability.ratio, 4 / 400);
    near(a.availability.errorBudgetConsumed, 0.99 / 0.001);
  });

  it('lets a slow browser probe hold its failure until its next journey', () => {
    // The edge probe is bad for 1 s; the journey at 20 s failed and the next is at 25 s.
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[20_000, 21_000]] });
    const shop = probeSeries('shop', { type: 'browser', everyMs: 5000, toMs: END, bad: [[20_000, 20_001]], error: 'login timed out' });
    const withShop = analyzeChaos(input({ probes: [edge, shop], faults: [kill('0.0', 20_000)] }));
    const withoutShop = analyzeChaos(input({ probes: [edge], faults: [kill('0.0', 20_000)] }));
    assert.equal(withShop.faults[0]!.recoveredMs, 25_000);
    assert.equal(withoutShop.faults[0]!.recoveredMs, 21_000);
    assert.equal(withShop.steadyState[1]!.note, 'probe edge failed in 1 of 5 windows (status 503); probe shop failed in 5 of 5 windows (login timed out)');
  });

  it('passes the ledger, the rollback and the abort through', () => {
    const a = analyzeChaos(
      input({
        probes: [probeSeries('edge', { everyMs: 250, toMs: END })],
        ledger: {
          writes: [
            { key: 'a', acknowledged: true },
            { key: 'b', acknowledged: true },
          ],
          rows: [{ key: 'a', count: 1 }],
          source: 'PostgreSQL orders table',
        },
        rollback: { complete: false, problems: ['gateway-redis-0: toxic latency still present'] },
        abortedBy: { probe: 'edge', atMs: 90_000, reason: 'bad for 30 s' },
      }),
    );
    assert.deepEqual(a.ledger?.lost, ['b']);
    assert.deepEqual(a.rollback.problems, ['gateway-redis-0: toxic latency still present']);
    assert.deepEqual(a.abortedBy, { probe: 'edge', atMs: 90_000, reason: 'bad for 30 s' });
    assert.deepEqual(a.expectations, { mttrMs: 30_000, detectionMs: 5000, availability: 0.999, maxLostWrites: 0, alert: false });
    // No fault: the whole run is the experiment span.
    assert.equal(a.availability.total, 480);
    assert.equal(a.resilienceScore, null);
  });
});
