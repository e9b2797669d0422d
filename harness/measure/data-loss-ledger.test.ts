import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataLossLedger, LEDGER_LIST_LIMIT } from './data-loss-ledger.ts';

describe('dataLossLedger', () => {
  it('finds lost, duplicated and applied-but-unacknowledged writes', () => {
    const l = dataLossLedger({
      writes: [
        { key: 'k1', acknowledged: true, orderId: '1' },
        { key: 'k2', acknowledged: true, orderId: '2' }, // lost
        { key: 'k3', acknowledged: true, orderId: '3' }, // applied twice
        { key: 'k4', acknowledged: false }, // landed, answer lost
        { key: 'k5', acknowledged: false }, // never landed: not a loss
      ],
      rows: [
        { key: 'k1', count: 1 },
        { key: 'k3', count: 2 },
        { key: 'k4', count: 1 },
      ],
      source: 'PostgreSQL orders table',
    });
    assert.deepEqual(l, {
      attempted: 5,
      acknowledged: 3,
      unacknowledged: 2,
      lost: ['k2'],
      lostCount: 1,
      duplicated: ['k3'],
      duplicatedCount: 1,
      appliedUnacknowledged: 1,
      source: 'PostgreSQL orders table',
    });
  });

  it('counts a key once when it was written again, acknowledged when any attempt was', () => {
    const l = dataLossLedger({
      writes: [
        { key: 'k1', acknowledged: true },
        { key: 'k1', acknowledged: false },
      ],
      rows: [{ key: 'k1', count: 1 }],
      source: 's',
    });
    assert.equal(l.attempted, 1);
    assert.equal(l.acknowledged, 1);
    assert.equal(l.appliedUnacknowledged, 0);
    assert.equal(l.lostCount, 0);
  });

  it('sums rows reported twice for one key', () => {
    const l = dataLossLedger({
      writes: [{ key: 'k1', acknowledged: true }],
      rows: [
        { key: 'k1', count: 1 },
        { key: 'k1', count: 1 },
      ],
      source: 's',
    });
    assert.deepEqual(l.duplicated, ['k1']);
  });

  it('keeps the first 50 keys of each list and the full counts', () => {
    const writes = Array.from({ length: 120 }, (_, i) => ({ key: `k${i}`, acknowledged: true }));
    const rows = writes.slice(60).map((w) => ({ key: w.key, count: 3 }));
    const l = dataLossLedger({ writes, rows, source: 's' });
    assert.equal(l.lostCount, 60);
    assert.equal(l.lost.length, LEDGER_LIST_LIMIT);
    assert.equal(l.lost[0], 'k0');
    assert.equal(l.duplicatedCount, 60);
    assert.equal(l.duplicated.length, 50);
    assert.equal(l.duplicated[0], 'k60');
  });
});
