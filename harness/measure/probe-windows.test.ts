import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstGoodRun, probeWindows, type ProbeWindow, type WindowState } from './probe-windows.ts';
import { probeSamples, probeSeries } from '../../test/support/probe-series.ts';

const states = (ws: readonly ProbeWindow[]): WindowState[] => ws.map((w) => w.state);
/** Windows of 1 s from a string: g good, b bad, u unknown. */
const windowsOf = (pattern: string): ProbeWindow[] =>
  [...pattern].map((c, k) => ({
    startMs: k * 1000,
    endMs: (k + 1) * 1000,
    state: c === 'g' ? 'good' : c === 'b' ? 'bad' : 'unknown',
    badProbes: c === 'b' ? ['p'] : [],
  }));

describe('probeWindows', () => {
  it('cuts whole windows from 0 and leaves a trailing partial window unjudged', () => {
    const ws = probeWindows([probeSeries('edge', { everyMs: 250, toMs: 10_500 })], 1000, 10_500);
    assert.equal(ws.length, 10);
    assert.deepEqual(ws.at(-1), { startMs: 9000, endMs: 10_000, state: 'good', badProbes: [] });
  });

  it('marks windows before any probe has sampled unknown', () => {
    const ws = probeWindows([probeSeries('edge', { everyMs: 250, fromMs: 3000, toMs: 6000 })], 1000, 6000);
    assert.deepEqual(states(ws), ['unknown', 'unknown', 'unknown', 'good', 'good', 'good']);
    assert.deepEqual(states(probeWindows([], 1000, 3000)), ['unknown', 'unknown', 'unknown']);
  });

  it('makes a window bad when one sample of one probe in it is bad', () => {
    const ws = probeWindows(
      [probeSeries('edge', { everyMs: 250, toMs: 4000, bad: [[2750, 3000]] }), probeSeries('db', { everyMs: 500, toMs: 4000 })],
      1000,
      4000,
    );
    assert.deepEqual(states(ws), ['good', 'good', 'bad', 'good']);
    assert.deepEqual(ws[2]!.badProbes, ['edge']);
  });

  it("carries a slow probe's latest verdict into the windows it has no sample in", () => {
    // A browser journey every 5 s fails once at 10 s: it says "bad" until its next journey at 15 s.
    const shop = probeSeries('shop', { type: 'browser', everyMs: 5000, toMs: 20_000, bad: [[10_000, 10_001]] });
    const edge = probeSeries('edge', { everyMs: 250, toMs: 20_000 });
    const ws = probeWindows([edge, shop], 1000, 20_000);
    assert.deepEqual(states(ws), [...Array(10).fill('good'), ...Array(5).fill('bad'), ...Array(5).fill('good')]);
    assert.deepEqual(ws[14]!.badProbes, ['shop']);
  });

  it('uses samples taken before 0 as the verdict carried into the first windows, whatever the series order', () => {
    const p = probeSamples('edge', [
      [2000, true],
      [-500, false],
    ]);
    assert.deepEqual(states(probeWindows([p], 1000, 3000)), ['bad', 'bad', 'good']);
  });

  it('carries the latest sample of a window, not the worst', () => {
    const p = probeSamples('edge', [
      [100, false],
      [900, true],
      [3000, true],
    ]);
    assert.deepEqual(states(probeWindows([p], 1000, 4000)), ['bad', 'good', 'good', 'good']);
  });

  it('refuses a window that is not positive', () => {
    assert.throws(() => probeWindows([], 0, 1000), RangeError);
  });
});

describe('firstGoodRun', () => {
  it('finds the first run of good windows starting at or after the reference', () => {
    assert.deepEqual(firstGoodRun(windowsOf('gggbbggggg'), 3000, 3), { first: 5, last: 7 });
    assert.deepEqual(firstGoodRun(windowsOf('gggbbggggg'), 0, 3), { first: 0, last: 2 });
    assert.deepEqual(firstGoodRun(windowsOf('gggbbggggg'), 5500, 3), { first: 6, last: 8 });
  });

  it('lets flapping windows break a run', () => {
    assert.deepEqual(firstGoodRun(windowsOf('ggbggbgbggg'), 0, 3), { first: 8, last: 10 });
    assert.equal(firstGoodRun(windowsOf('ggbggbgbgg'), 0, 3), null);
  });

  it('neither breaks nor extends a run on unknown windows, and starts a run on a good one', () => {
    assert.deepEqual(firstGoodRun(windowsOf('gugg'), 0, 3), { first: 0, last: 3 });
    assert.deepEqual(firstGoodRun(windowsOf('uuggg'), 0, 3), { first: 2, last: 4 });
    assert.deepEqual(firstGoodRun(windowsOf('gubggg'), 0, 3), { first: 3, last: 5 });
    assert.equal(firstGoodRun(windowsOf('guuuu'), 0, 2), null);
  });
});
