import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import type { PodSummary, RunSummary } from '../result/summary-model.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';

const pod = (index: number, more: Partial<PodSummary> = {}): PodSummary => ({
  index,
  status: 'completed',
  workers: 1,
  requests: 50,
  iterations: 50,
  droppedIterations: 0,
  errorRate: 0,
  p50Ms: 12.8,
  p95Ms: 19.3,
  p99Ms: 36.3,
  vusMax: 5,
  ...more,
});
const distributed: RunSummary = {
  ...sampleSummary({ kind: 'pass' }),
  pods: [pod(0), pod(1, { status: 'lost', requests: 9, lostAtMs: 1_200, reason: 'exited (signal SIGKILL) before its end' }), pod(2)],
};

describe('a distributed run’s load pods in the reports', () => {
  it('summary.md has a row per pod, a lost one marked with when', () => {
    const md = renderMarkdown(distributed);
    assert.match(md, /\*\*Load pods\*\*/);
    assert.match(md, /\| 0 \| completed \| 50 \|/);
    assert.match(md, /\| 1 \| ✗ lost at 1\.2 s \| 9 \|/);
    assert.doesNotMatch(renderMarkdown(sampleSummary({ kind: 'pass' })), /Load pods/, 'a single-engine run has no such table');
  });

  it('report.html has the pod table, the lost pod’s reason escaped', () => {
    const html = renderHtml({ ...distributed, pods: [pod(0, { status: 'lost', lostAtMs: 500, reason: '<script>x</script>' })] });
    assert.match(html, /data-testid="pod-table"/);
    assert.match(html, /✗ LOST<\/strong> at 0\.5 s/);
    assert.match(html, /&#60;script&#62;x/);
    assert.doesNotMatch(html, /<script>x<\/script>/);
    assert.doesNotMatch(renderHtml(sampleSummary({ kind: 'pass' })), /pod-table/);
  });
});
