import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arrivalSchedule, arrivalTimes } from './arrival-schedule.ts';
import { vuSteps } from './vu-schedule.ts';
import { globalIndex, laneOf, workerShare, WHOLE_RUN, type Segment } from './worker-share.ts';

/** Every global index a pod owns, through its workers' lanes (the engine's own arithmetic). */
function podIndices(total: number, segment: Segment, workers: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < workers; w++) {
    const { lane, lanes } = laneOf(segment, w, workers);
    for (let k = 0; k < workerShare(total, lane, lanes); k++) out.push(globalIndex(k, lane, lanes));
  }
  return out.sort((a, b) => a - b);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('execution segments (worker-share.ts)', () => {
  it('a single process is segment 0 of 1: its workers are the lanes they always were', () => {
    for (let w = 0; w < 4; w++) assert.deepEqual(laneOf(WHOLE_RUN, w, 4), { lane: w, lanes: 4 });
  });

  it('pods x workers: every VU index is owned exactly once, and a pod owns the same indices whatever its worker count', () => {
    for (const total of [0, 1, 2, 7, 10, 100, 101]) {
      for (const pods of [1, 2, 3, 5]) {
        const all: number[] = [];
        for (let p = 0; p < pods; p++) {
          const striped = range(total).filter((i) => i % pods === p);
          for (const workers of [1, 2, 3])
            assert.deepEqual(podIndices(total, { index: p, count: pods }, workers), striped, `total ${total}, pod ${p}/${pods}, ${workers} workers`);
          all.push(...striped);
        }
        assert.deepEqual(
          all.sort((a, b) => a - b),
          range(total),
        );
      }
    }
  });

  it('constant-vus 10 across 3 pods: 4 + 3 + 3', () => {
    assert.deepEqual(
      [0, 1, 2].map((p) => podIndices(10, { index: p, count: 3 }, 2).length),
      [4, 3, 3],
    );
  });

  it('ramping-vus: at every step the pods’ active VUs add up to the target (a VU index i runs while the target exceeds i)', () => {
    const steps = vuSteps(0, [
      { durationMs: 10_000, target: 17 },
      { durationMs: 5_000, target: 4 },
      { durationMs: 5_000, target: 9 },
    ]);
    for (const { vus } of steps) {
      const active = [0, 1, 2].map((p) => podIndices(17, { index: p, count: 3 }, 2).filter((i) => i < vus).length);
      assert.equal(
        active.reduce((a, n) => a + n, 0),
        vus,
      );
      // Striped: no pod is more than one VU ahead of another.
      assert.ok(Math.max(...active) - Math.min(...active) <= 1, `skewed split ${active.join('/')} of ${vus}`);
    }
  });

  it('constant and ramping arrival rates: each arrival runs in exactly one pod, and every pod gets its share of each second', () => {
    const schedules = [
      arrivalSchedule(50, [{ durationMs: 4_000, target: 50 }]),
      arrivalSchedule(5, [
        { durationMs: 3_000, target: 91 },
        { durationMs: 2_000, target: 0 },
      ]),
    ];
    for (const schedule of schedules) {
      for (const [pods, workers] of [
        [3, 1],
        [3, 2],
        [4, 3],
      ] as const) {
        const perPod = range(pods).map((p) =>
          range(workers).flatMap((w) => {
            const { lane, lanes } = laneOf({ index: p, count: pods }, w, workers);
            return [...arrivalTimes(schedule, lane, lanes)];
          }),
        );
        const union = perPod.flat().sort((a, b) => a - b);
        const whole = [...arrivalTimes(schedule, 0, 1)];
        assert.deepEqual(union, whole, `${pods} pods x ${workers} workers: the union is the plan, each arrival once`);
        // Pod p takes arrivals p, p+P, ...: over any second its count is rate/P within one.
        for (let s = 0; s * 1000 < schedule.durationMs; s++) {
          const counts = perPod.map((times) => times.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length);
          assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `second ${s}: ${counts.join('/')}`);
        }
      }
    }
  });
});
