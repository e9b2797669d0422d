import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertFirings, firstAlert } from './alert-firings.ts';

describe('alert firings', () => {
  const firings = alertFirings([
    {
      name: 'CrucibleHighLatencyP95',
      spans: [
        { startMs: 30_000, endMs: 40_000 },
        { startMs: 5000, endMs: 8000 },
      ],
    },
    { name: 'CrucibleHighErrorRate', firstFiringMs: 14_000 },
    { name: 'CrucibleInstanceDown', spans: [{ startMs: 14_000, endMs: null }] },
  ]);

  it('turns spans and firing starts into one list, earliest first', () => {
    assert.deepEqual(firings, [
      { name: 'CrucibleHighLatencyP95', firstFiringMs: 5000 },
      { name: 'CrucibleHighErrorRate', firstFiringMs: 14_000 },
      { name: 'CrucibleInstanceDown', firstFiringMs: 14_000 },
      { name: 'CrucibleHighLatencyP95', firstFiringMs: 30_000 },
    ]);
  });

  it('takes the first alert that started firing in the span, not one already firing', () => {
    assert.deepEqual(firstAlert(firings, 6000, 60_000), { name: 'CrucibleHighErrorRate', firstFiringMs: 14_000 });
    assert.deepEqual(firstAlert(firings, 14_000, 60_000), { name: 'CrucibleHighErrorRate', firstFiringMs: 14_000 });
    assert.deepEqual(firstAlert(firings, 14_001, 60_000), { name: 'CrucibleHighLatencyP95', firstFiringMs: 30_000 });
    assert.equal(firstAlert(firings, 14_001, 30_000), null);
  });
});
