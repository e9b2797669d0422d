import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Phase } from './summary-model.ts';
import { phasesWithin } from './run-phases.ts';

const planned: readonly Phase[] = [
  { name: 'warmup: 0→80/s', kind: 'ramp', startMs: 0, endMs: 20_000 },
  { name: 'steady: 80/s', kind: 'steady', startMs: 20_000, endMs: 120_000 },
  { name: 'cooldown: 80→0/s', kind: 'ramp', startMs: 120_000, endMs: 130_000 },
];

describe('phasesWithin()', () => {
  it('a run stopped at 45 s ends its current phase there and drops the phases it never reached', () => {
    assert.deepEqual(phasesWithin(planned, 45_000), [
      { name: 'warmup: 0→80/s', kind: 'ramp', startMs: 0, endMs: 20_000 },
      { name: 'steady: 80/s', kind: 'steady', startMs: 20_000, endMs: 45_000 },
    ]);
  });

  it('a phase planned to start exactly where the run stopped never started', () => {
    assert.deepEqual(
      phasesWithin(planned, 20_000).map((p) => p.name),
      ['warmup: 0→80/s'],
    );
  });

  it('a run that lasted its plan (or longer, with the graceful stop) keeps every phase as planned', () => {
    assert.deepEqual(phasesWithin(planned, 130_000), planned);
    assert.deepEqual(phasesWithin(planned, 135_000), planned);
  });
});
