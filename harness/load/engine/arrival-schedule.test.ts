import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arrivalSchedule, arrivalTimes } from './arrival-schedule.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { runTimeline } from './timeline.ts';

/** Runs the schedule on a fake clock (split over `workers` like the engine) and counts starts per second. */
async function startsPerSecond(schedule: ReturnType<typeof arrivalSchedule>, workers = 1): Promise<number[]> {
  const perSecond = new Array<number>(Math.ceil(schedule.durationMs / 1000)).fill(0);
  const signal = new AbortController().signal;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const clock = new FakeClock({ monotonicMs: 5_000 });
      const run = runTimeline(arrivalTimes(schedule, w, workers), clock.monotonicMs(), clock, signal, (dueAt) => {
        assert.equal(clock.monotonicMs(), dueAt, 'started on time');
        perSecond[Math.floor((dueAt - 5_000) / 1000)]!++;
      });
      await clock.advance(schedule.durationMs);
      await run;
    }),
  );
  return perSecond;
}

describe('arrivalSchedule()', () => {
  it('constant rate: exactly rate arrivals in every second', async () => {
    const s = arrivalSchedule(200, [{ durationMs: 3000, target: 200 }]);
    assert.equal(s.total, 600);
    assert.deepEqual(await startsPerSecond(s), [200, 200, 200]);
    assert.equal(s.timeOf(0), 0);
    assert.equal(s.timeOf(1), 5);
  });

  it('split over workers, the shares add up to the same schedule', async () => {
    const s = arrivalSchedule(333, [{ durationMs: 4000, target: 333 }]);
    assert.deepEqual(await startsPerSecond(s, 3), [333, 333, 333, 333]);
  });

  it('ramp 0 -> 100/s over 10 s: 500 arrivals, 5, 15, ... 95 per second', async () => {
    const s = arrivalSchedule(0, [{ durationMs: 10_000, target: 100 }]);
    assert.equal(s.total, 500);
    assert.deepEqual(await startsPerSecond(s), [5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
    assert.equal(s.rateAt(5_000), 50);
  });

  it('stages: ramp up, hold, ramp down (linear between targets, reached at stage end)', async () => {
    const s = arrivalSchedule(10, [
      { durationMs: 2000, target: 30 },
      { durationMs: 2000, target: 30 },
      { durationMs: 2000, target: 0 },
    ]);
    // Areas: 15 + 25, 30 + 30, 22.5 + 7.5.
    assert.deepEqual(await startsPerSecond(s), [15, 25, 30, 30, 23, 7]);
    assert.equal(s.total, 130);
    const times = [...arrivalTimes(s, 0, 1)];
    assert.ok(
      times.every((t, i) => i === 0 || t >= times[i - 1]!),
      'ascending',
    );
  });

  it('a zero-length stage is a jump in rate', async () => {
    const s = arrivalSchedule(10, [
      { durationMs: 1000, target: 10 },
      { durationMs: 0, target: 50 },
      { durationMs: 1000, target: 50 },
    ]);
    assert.deepEqual(await startsPerSecond(s), [10, 50]);
  });

  it('a stalled clock catches up: every due arrival starts at the wake-up', async () => {
    const s = arrivalSchedule(100, [{ durationMs: 1000, target: 100 }]);
    const clock = new FakeClock();
    const lags: number[] = [];
    let fired = 0;
    const run = runTimeline(arrivalTimes(s, 0, 1), 0, clock, new AbortController().signal, (dueAt) => {
      lags.push(clock.monotonicMs() - dueAt);
      if (++fired === 10) clock.blockEventLoop(300); // this iteration blocked the event loop for 300 ms
    });
    await clock.advance(s.durationMs);
    await run;
    assert.equal(fired, 100);
    assert.equal(Math.max(...lags), 290);
  });

  it('stops when the signal aborts', async () => {
    const s = arrivalSchedule(100, [{ durationMs: 10_000, target: 100 }]);
    const clock = new FakeClock();
    const ac = new AbortController();
    let fired = 0;
    const run = runTimeline(arrivalTimes(s, 0, 1), 0, clock, ac.signal, () => {
      if (++fired === 50) ac.abort();
    });
    await clock.advance(s.durationMs);
    await run;
    assert.equal(fired, 50);
  });
});
