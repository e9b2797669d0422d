import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leastSquaresSlope } from './least-squares.ts';

describe('leastSquaresSlope', () => {
  it('fits the slope of the least-squares line', () => {
    assert.equal(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
      2,
    );
    // Noisy points around y = -0.5x + 10: the fit, not any pair's slope.
    assert.equal(
      leastSquaresSlope([
        [0, 10],
        [2, 10],
        [4, 7],
        [6, 7],
      ]),
      -0.6,
    );
    assert.equal(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
      ]),
      2,
    );
  });

  it('is null where no line is defined: fewer than two points, or no spread in x', () => {
    assert.equal(leastSquaresSlope([]), null);
    assert.equal(leastSquaresSlope([[1, 1]]), null);
    assert.equal(
      leastSquaresSlope([
        [3, 1],
        [3, 5],
        [3, 9],
      ]),
      null,
    );
  });

  it('is 0 for a flat series', () => {
    assert.equal(
      leastSquaresSlope([
        [0, 4],
        [1, 4],
        [2, 4],
      ]),
      0,
    );
  });
});
