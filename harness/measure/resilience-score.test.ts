import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resilienceScore } from './resilience-score.ts';

describe('resilienceScore', () => {
  it('weighs each fault’s probe success % by its step weight', () => {
    // (10 × 100 + 5 × 70) / 15
    assert.equal(
      resilienceScore([
        { weight: 10, availability: 1 },
        { weight: 5, availability: 0.7 },
      ]),
      90,
    );
    assert.equal(
      resilienceScore([
        { weight: 5, availability: 0.5 },
        { weight: 5, availability: 1 },
      ]),
      75,
    );
  });

  it('leaves unmeasured faults out of both sums', () => {
    assert.equal(
      resilienceScore([
        { weight: 10, availability: null },
        { weight: 5, availability: 0.8 },
      ]),
      80,
    );
  });

  it('has no score without a weighted, measured fault', () => {
    assert.equal(resilienceScore([]), null);
    assert.equal(resilienceScore([{ weight: 0, availability: 1 }]), null);
    assert.equal(resilienceScore([{ weight: 5, availability: null }]), null);
  });
});
