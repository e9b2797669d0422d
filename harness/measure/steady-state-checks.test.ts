import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeSeries, SteadyStateCheck } from '../result/summary-model.ts';
import { probeSeries } from '../../test/support/probe-series.ts';
import { probeWindows } from './probe-windows.ts';
import { steadyStateChecks } from './steady-state-checks.ts';

const END = 40_000;

function checks(
  probes: readonly ProbeSeries[],
  faults: readonly { id: string; injectedMs: number; recoveredMs: number | null }[],
): Record<string, SteadyStateCheck> {
  const list = steadyStateChecks({ windows: probeWindows(probes, 1000, END), recoverWindows: 5, probes, faults, endMs: END });
  assert.deepEqual(
    list.map((c) => c.phase),
    ['before', 'during', 'after'],
  );
  return Object.fromEntries(list.map((c) => [c.phase, c]));
}

describe('steadyStateChecks', () => {
  it('passes a platform steady before, recovered during and steady after', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[12_000, 14_000]] });
    const c = checks([edge], [{ id: '0.0', injectedMs: 10_500, recoveredMs: 16_000 }]);
    assert.deepEqual(c.before, { phase: 'before', ok: true, windows: 10, goodWindows: 10, startMs: 0, endMs: 10_500 });
    // Windows 10 (holding the injection) to 15; 12 and 13 bad.
    assert.deepEqual(c.during, {
      phase: 'during',
      ok: true,
      windows: 6,
      goodWindows: 4,
      startMs: 10_500,
      endMs: 16_000,
      note: 'probe edge failed in 2 of 6 windows (status 503)',
    });
    assert.deepEqual(c.after, { phase: 'after', ok: true, windows: 5, goodWindows: 5, startMs: 35_000, endMs: 40_000 });
  });

  it('fails before when a window before the first fault was bad', () => {
    const edge = probeSeries('edge', {
      everyMs: 250,
      toMs: END,
      bad: [
        [3000, 3250],
        [7000, 7250],
      ],
    });
    const c = checks([edge], [{ id: '0.0', injectedMs: 10_000, recoveredMs: 10_000 }]);
    assert.equal(c.before!.ok, false);
    assert.equal(c.before!.goodWindows, 8);
    assert.equal(c.before!.note, 'probe edge failed in 2 of 10 windows (status 503)');
  });

  it('says, with the first check, how many timed-out samples were left out because the harness was stalled', () => {
    const edge = { ...probeSeries('edge', { everyMs: 250, toMs: END }), harnessStalled: 3 };
    const c = checks([edge, probeSeries('db', { everyMs: 1000, toMs: END })], [{ id: '0.0', injectedMs: 10_000, recoveredMs: 10_000 }]);
    assert.equal(c.before!.ok, true, 'left-out samples judge nothing');
    assert.equal(c.before!.note, 'timed-out probe samples left out across the run because the harness itself was stalled for most of their time (edge 3)');
    assert.equal(c.after!.note, undefined);
  });

  it('fails before when fewer than recoverWindows windows were judged, leaving unknown ones out', () => {
    const edge = probeSeries('edge', { everyMs: 250, fromMs: 7000, toMs: END });
    const c = checks([edge], [{ id: '0.0', injectedMs: 10_000, recoveredMs: 10_000 }]);
    assert.equal(c.before!.ok, false);
    assert.equal(c.before!.windows, 3);
    assert.equal(c.before!.note, 'only 3 good window(s) before the first fault, 5 needed; 7 window(s) without any probe sample yet');
  });

  it('fails during and after when a fault never recovered', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[12_000, END]] });
    const c = checks(
      [edge],
      [
        { id: '0.0', injectedMs: 10_000, recoveredMs: 11_000 },
        { id: '1.0', injectedMs: 11_000, recoveredMs: null },
      ],
    );
    assert.equal(c.during!.ok, false);
    assert.equal(c.during!.endMs, END);
    assert.match(c.during!.note!, /^never recovered: 1\.0; probe edge failed in 28 of 30 windows/);
    assert.deepEqual(c.after, {
      phase: 'after',
      ok: false,
      windows: 5,
      goodWindows: 0,
      startMs: 35_000,
      endMs: 40_000,
      note: 'probe edge failed in 5 of 5 windows (status 503)',
    });
  });

  it('fails after when a probe flaps in the last windows', () => {
    const edge = probeSeries('edge', { everyMs: 250, toMs: END, bad: [[37_500, 37_750]] });
    const db = probeSeries('db', { everyMs: 1000, toMs: END, bad: [[39_000, 39_001]], error: 'timeout' });
    const c = checks([edge, db], [{ id: '0.0', injectedMs: 10_000, recoveredMs: 10_000 }]);
    assert.equal(c.after!.ok, false);
    assert.equal(c.after!.goodWindows, 3);
    assert.equal(c.after!.note, 'probe edge failed in 1 of 5 windows (status 503); probe db failed in 1 of 5 windows (timeout)');
  });

  it('judges the whole run as before when no fault was injected', () => {
    const c = checks([probeSeries('edge', { everyMs: 250, toMs: END })], []);
    assert.equal(c.before!.windows, 40);
    assert.equal(c.before!.ok, true);
    assert.deepEqual(c.during, { phase: 'during', ok: true, windows: 0, goodWindows: 0, startMs: END, endMs: END, note: 'no fault was injected' });
  });

  it('judges after on judged windows only', () => {
    const edge = probeSeries('edge', { everyMs: 250, fromMs: 37_000, toMs: END });
    const c = checks([edge], []);
    assert.deepEqual(c.after, {
      phase: 'after',
      ok: false,
      windows: 3,
      goodWindows: 3,
      startMs: 37_000,
      endMs: 40_000,
      note: 'only 3 judged window(s) in the run, 5 needed',
    });
  });
});
