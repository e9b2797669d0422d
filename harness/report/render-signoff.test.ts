import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
import { evidenceLabel, renderSignoffHtml, renderSignoffMarkdown } from './render-signoff.ts';
import { judgeSignoff, signoffMetrics } from '../result/signoff-verdict.ts';
import { SIGNOFF_SCHEMA, type SignoffReport } from '../result/signoff-model.ts';

const metrics = signoffMetrics({
  pentest: { summary: samplePentestSummary('clean'), runDir: '/s/20260302-093000-pentest-7c1e' },
  load: { summary: sampleSummary({ kind: 'pass' }), runDir: '/s/20260302-093100-baseline-load-1a2b' },
  chaos: [{ summary: sampleSummary({ kind: 'chaos' }), runDir: '/s/suite/20260302-093300-redis-latency-bc3e' }],
  rel: (d) => d.replace('/s/', ''),
});
const report: SignoffReport = {
  schema: SIGNOFF_SCHEMA,
  id: 'x',
  profile: 'full',
  target: 'http://127.0.0.1:7300',
  startedAt: '2026-03-02T09:30:00.000Z',
  durationMs: 600_000,
  verdict: judgeSignoff(metrics, { interrupted: false }),
  metrics,
  steps: [],
  notes: [],
};

describe('sign-off renderers', () => {
  it('name a run folder by what ran in it', () => {
    assert.equal(evidenceLabel('20261127-193307-suite-game-day-85a1/20261127-193307-redis-latency-bc3e'), 'redis-latency');
    assert.equal(evidenceLabel('20261127-192755-pentest-63e7'), 'pentest');
  });

  it('give each chaos run its own value beside its link, so a FAIL points at its experiment', () => {
    const md = renderSignoffMarkdown(report);
    assert.match(
      md,
      /\| availability \| availability ≥ 99\.9 % \| 93\.79 % \| \*\*FAIL\*\* \| \[redis-latency: 93\.79 %\]\(suite\/20260302-093300-redis-latency-bc3e\) \|/,
    );
    assert.match(md, /\| data-loss \| zero data loss \| 1 \| \*\*FAIL\*\* \| \[redis-latency: 1\]/);
    assert.match(md, /\| p95-latency \| p95 < 200 ms \| 70\.7 ms \| PASS \| \[baseline-load\]\(20260302-093100-baseline-load-1a2b\) \|/);
    const html = renderSignoffHtml(report);
    assert.match(
      html,
      /<a href="suite\/20260302-093300-redis-latency-bc3e\/report\.html" title="suite\/20260302-093300-redis-latency-bc3e">redis-latency: 36\.0 s<\/a>/,
    );
  });
});
