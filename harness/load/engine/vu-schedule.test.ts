import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maxVus, vuSteps, vuTargetAt } from './vu-schedule.ts';

describe('vuSteps()', () => {
  it('ramps up rounding down and down rounding up, like k6', () => {
    const stages = [
      { durationMs: 10_000, target: 10 },
      { durationMs: 5_000, target: 10 },
      { durationMs: 10_000, target: 0 },
    ];
    assert.deepEqual(
      [0, 999, 1000, 5500, 10_000, 14_999, 15_000, 15_999, 16_000, 24_999, 25_000].map((t) => vuTargetAt(0, stages, t)),
      [0, 0, 1, 5, 10, 10, 10, 10, 9, 1, 0],
    );
    const steps = vuSteps(0, stages);
    assert.equal(steps.length, 21);
    assert.deepEqual(steps.slice(0, 3), [
      { atMs: 0, vus: 0 },
      { atMs: 1000, vus: 1 },
      { atMs: 2000, vus: 2 },
    ]);
    assert.equal(maxVus(0, stages), 10);
  });

  it('starts at startVUs and jumps on zero-length stages', () => {
    assert.deepEqual(
      vuSteps(3, [
        { durationMs: 0, target: 8 },
        { durationMs: 1000, target: 8 },
      ]),
      [{ atMs: 0, vus: 8 }],
    );
    assert.equal(vuTargetAt(3, [{ durationMs: 2000, target: 5 }], 0), 3);
    assert.equal(vuTargetAt(3, [{ durationMs: 2000, target: 5 }], 1000), 4);
  });

  it('summed over workers owning every n-th VU, the shares equal the target', () => {
    const stages = [{ durationMs: 7000, target: 7 }];
    for (const { vus } of vuSteps(0, stages)) {
      const shares = [0, 1, 2].map((w) => Array.from({ length: vus }, (_, i) => i).filter((i) => i % 3 === w).length);
      assert.equal(
        shares.reduce((a, b) => a + b, 0),
        vus,
      );
    }
  });
});
