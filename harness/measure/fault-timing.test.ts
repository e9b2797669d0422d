import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeSeries } from '../result/summary-model.ts';
import { alertFirings, type AlertInput } from './alert-firings.ts';
import { alertBound, detectionBound, faultTiming, recoveryReference, type TimedFault } from './fault-timing.ts';
import { probeSeries } from '../../test/support/probe-series.ts';
import { probeWindows } from './probe-windows.ts';

const END = 60_000;

function timing(
  f: TimedFault,
  probes: readonly ProbeSeries[],
  o: { faults?: readonly TimedFault[]; alerts?: readonly AlertInput[]; recoverWindows?: number } = {},
) {
  return faultTiming(f, {
    probes,
    windows: probeWindows(probes, 1000, END),
    recoverWindows: o.recoverWindows ?? 5,
    endMs: END,
    faults: o.faults ?? [f],
    alerts: alertFirings(o.alerts ?? []),
    alertSlackMs: 30_000,
  });
}

const latency = (revertedMs: number): TimedFault => ({ id: '0.0', injectedMs: 10_000, revertedMs, selfHealing: false });

describe('fault timing', () => {
  it('measures a latency fault detected after 2 s and recovering 3 s after its revert', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[12_000, 23_000]] });
    const t = timing(latency(20_000), [edge]);
    assert.equal(t.detectedMs, 12_000);
    assert.equal(t.timeToDetectMs, 2000);
    assert.equal(t.recoveredMs, 23_000);
    assert.equal(t.mttrMs, 3000);
    assert.equal(t.recoveryRunEndMs, 28_000);
  });

  it('rounds recovery up to the next window boundary after the revert', () => {
    // Bad until 23.0 s, revert at 20.3 s: windows are on a 1 s grid, so MTTR is exact to the window.
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[12_000, 23_000]] });
    assert.equal(timing(latency(20_300), [edge]).mttrMs, 2700);
    const edgeLate = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[12_000, 23_100]] });
    assert.equal(timing(latency(20_300), [edgeLate]).recoveredMs, 24_000);
  });

  it('measures a self-healing kill from its injection', () => {
    const kill: TimedFault = { id: '1.0', injectedMs: 30_000, revertedMs: null, selfHealing: true };
    assert.equal(recoveryReference(kill), 30_000);
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[30_500, 34_200]] });
    const t = timing(kill, [edge]);
    assert.equal(t.detectedMs, 30_500);
    assert.equal(t.recoveredMs, 35_000);
    assert.equal(t.mttrMs, 5000);
  });

  it('gives MTTR 0 at the reference itself when nothing noticed the fault', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END });
    const t = timing(latency(20_300), [edge]);
    assert.equal(t.detectedMs, null);
    assert.equal(t.recoveredMs, 20_300);
    assert.equal(t.mttrMs, 0);
  });

  it('has no recovery when the probes stay bad to the end', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[12_000, END]] });
    const t = timing(latency(20_000), [edge]);
    assert.equal(t.recoveredMs, null);
    assert.equal(t.mttrMs, null);
    assert.equal(t.recoveryRunEndMs, null);
  });

  it('needs recoverWindows good windows in a row: a flapping probe delays recovery', () => {
    // Good windows 21-22, bad 23, good 24-25, bad 26, then good from 27.
    const edge = probeSeries('edge', {
      everyMs: 250,
      toMs: END,
      bad: [
        [12_000, 21_000],
        [23_000, 23_250],
        [26_500, 26_750],
      ],
    });
    assert.equal(timing(latency(20_000), [edge], { recoverWindows: 3 }).recoveredMs, 27_000);
    assert.equal(timing(latency(20_000), [edge], { recoverWindows: 2 }).recoveredMs, 21_000);
  });

  it('does not recover before a breach that a slow probe reports after the revert', () => {
    // Only a browser journey every 5 s; the one at 15 s fails, after the revert at 11 s.
    const shop = probeSeries('shop', { type: 'browser', everyMs: 5000, toMs: END, bad: [[15_000, 15_001]] });
    const t = timing(latency(11_000), [shop], { recoverWindows: 3 });
    assert.equal(t.detectedMs, 15_000);
    assert.equal(t.recoveredMs, 20_000);
    assert.equal(t.mttrMs, 9000);
  });

  it('blames a breach on a fault only until a fault of another step is injected', () => {
    const a: TimedFault = { id: '0.0', injectedMs: 10_000, revertedMs: 14_000, selfHealing: false };
    const b: TimedFault = { id: '1.0', injectedMs: 15_000, revertedMs: null, selfHealing: true };
    const repeat: TimedFault = { id: '0.1', injectedMs: 15_000, revertedMs: 19_000, selfHealing: false };
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[16_000, 18_000]] });
    assert.equal(detectionBound(a, [a, b], END), 15_000);
    assert.equal(timing(a, [edge], { faults: [a, b] }).detectedMs, null);
    assert.equal(timing(b, [edge], { faults: [a, b] }).detectedMs, 16_000);
    // A repeat of the same step does not end the span (the brief's rule).
    assert.equal(detectionBound(a, [a, repeat], END), END);
    assert.equal(timing(a, [edge], { faults: [a, repeat] }).detectedMs, 16_000);
  });

  it('takes the first alert that fired after the injection, within the slack after recovery', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[12_000, 23_000]] });
    const alerts = [
      { name: 'CrucibleLowCacheHitRate', firstFiringMs: 4000 },
      { name: 'CrucibleHighErrorRate', spans: [{ startMs: 14_000, endMs: 24_000 }] },
    ];
    const t = timing(latency(20_000), [edge], { alerts });
    assert.equal(t.alertName, 'CrucibleHighErrorRate');
    assert.equal(t.alertMs, 14_000);
    assert.equal(t.timeToAlertMs, 4000);
    // Recovered at 23 s: an alert starting 30 s after that belongs to something else.
    assert.equal(timing(latency(20_000), [edge], { alerts: [{ name: 'late', firstFiringMs: 53_000 }] }).alertMs, null);
    assert.equal(timing(latency(20_000), [edge], { alerts: [{ name: 'late', firstFiringMs: 52_999 }] }).alertMs, 52_999);
  });

  it('leaves an alert that started after a later injection to the later fault once this one recovered', () => {
    const a: TimedFault = { id: '0.0', injectedMs: 10_000, revertedMs: 14_000, selfHealing: false };
    const b: TimedFault = { id: '0.1', injectedMs: 30_000, revertedMs: 34_000, selfHealing: false };
    const ctx = { faults: [a, b], alertSlackMs: 30_000 };
    assert.equal(alertBound(a, 20_000, ctx), 30_000);
    // Still unrecovered when b came: alerts up to its own recovery remain a's.
    assert.equal(alertBound(a, 35_000, ctx), 35_000);
    assert.equal(alertBound(a, null, ctx), 30_000);
    assert.equal(alertBound(b, 40_000, ctx), 70_000);
    assert.equal(alertBound(b, null, ctx), Infinity);
  });
});
