import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertSpans } from './prometheus-alerts.ts';

describe('alertSpans()', () => {
  const origin = 1_000_000_000;
  const series = (name: string, seconds: readonly number[]) => ({
    labels: { __name__: 'ALERTS', alertname: name, alertstate: 'firing', slo: 'detection' },
    values: seconds.map((t) => [origin / 1000 + t, 1] as const),
  });

  it('makes a span of consecutive points, in ms from the origin, keeping the labels but the name and state', () => {
    assert.deepEqual(alertSpans([series('A', [3, 4, 5])], origin, 1), [
      { name: 'A', startMs: 3_000, endMs: 5_000, labels: { __name__: 'ALERTS', slo: 'detection' } },
    ]);
  });

  it('bridges a gap of up to two steps, and starts a new span after a longer one; spans of all alerts by start', () => {
    const spans = alertSpans([series('B', [10, 12, 16, 17]), series('A', [11])], origin, 1);
    assert.deepEqual(
      spans.map((s) => [s.name, s.startMs, s.endMs]),
      [
        ['B', 10_000, 12_000],
        ['A', 11_000, 11_000],
        ['B', 16_000, 17_000],
      ],
    );
  });
});
