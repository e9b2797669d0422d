import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrng } from './prng.ts';
import { weightedPick } from './weighted-pick.ts';
import { zipf } from './zipf.ts';

describe('createPrng()', () => {
  it('is reproducible per (seed, stream) and differs between streams', () => {
    const a = createPrng(42, 1);
    const b = createPrng(42, 1);
    const c = createPrng(42, 2);
    const xs = Array.from({ length: 5 }, a);
    assert.deepEqual(xs, Array.from({ length: 5 }, b));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, c));
  });

  it('is uniform in [0, 1)', () => {
    const r = createPrng(7, 3);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r();
      assert.ok(x >= 0 && x < 1);
      buckets[Math.floor(x * 10)]!++;
    }
    for (const b of buckets) assert.ok(Math.abs(b - 10_000) < 500, `bucket ${b}`);
  });
});

describe('zipf()', () => {
  it('follows 1/k^s: rank 1 twice as likely as rank 2 for s = 1', () => {
    const r = createPrng(1, 1);
    const counts = new Map<number, number>();
    for (let i = 0; i < 200_000; i++) {
      const k = zipf(1000, 1, r());
      assert.ok(k >= 1 && k <= 1000);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const ratio = counts.get(1)! / counts.get(2)!;
    assert.ok(ratio > 1.9 && ratio < 2.1, `ratio ${ratio}`);
    // H(1000) ~ 7.485: rank 1 gets ~13.4 %.
    assert.ok(Math.abs(counts.get(1)! / 200_000 - 0.1336) < 0.005);
  });

  it('edges: n = 1 and u close to 1', () => {
    assert.equal(zipf(1, 1, 0.99), 1);
    assert.equal(zipf(10, 1.2, 0.999999999), 10);
    assert.equal(zipf(10, 1.2, 0), 1);
  });
});

describe('weightedPick()', () => {
  it('uniform without weights, proportional with them', () => {
    assert.equal(weightedPick(['a', 'b', 'c', 'd'], 0.5), 'c');
    const w = [1, 0, 3];
    assert.equal(weightedPick(['a', 'b', 'c'], 0.2, w), 'a');
    assert.equal(weightedPick(['a', 'b', 'c'], 0.26, w), 'c');
    assert.throws(() => weightedPick([], 0.1), /at least one/);
  });
});
