import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary, type SampleKind } from '../../fixtures/reports/make-sample-summary.ts';
import { mdText, renderMarkdown } from './render-markdown.ts';

describe('renderMarkdown', () => {
  it('opens with the verdict line', () => {
    assert.match(renderMarkdown(sampleSummary({ kind: 'pass' })), /^## ✓ PASSED: storefront-baseline \(load\)\n/);
    assert.match(renderMarkdown(sampleSummary({ kind: 'fail' })), /^## ✗ FAILED: /);
    assert.match(renderMarkdown(sampleSummary({ kind: 'aborted' })), /^## ! ABORTED: /);
  });

  it('lists the failed thresholds first, with their actual figures, before the SLOs', () => {
    const md = renderMarkdown(sampleSummary({ kind: 'fail' }));
    const failed = md.indexOf('**Failed thresholds**');
    assert.ok(failed > 0 && failed < md.indexOf('**SLOs**'));
    assert.match(md, /\| `http_req_duration` \| `p\(95\)<200` \| 238\.13 ms \|/);
    assert.match(md, /\| `dropped_iterations` \| `count<50` \| 340 \|/);
    assert.doesNotMatch(md.slice(failed, md.indexOf('**SLOs**')), /http_req_failed/, 'passing thresholds are not in the failed table');
    assert.match(md, /✓ 3 of 5 thresholds passed\./);
    assert.match(md, /\| p95 &lt; 200 ms \| 238\.1 ms \| ✗ FAIL \| client \|/);
  });

  it('flags dropped iterations and lists the slowest requests by p95', () => {
    const md = renderMarkdown(sampleSummary({ kind: 'fail' }));
    assert.match(md, /^> \*\*! 340 iterations were DROPPED\*\*/m);
    const rows = md.split('**Slowest requests (p95)**')[1]!.split('\n').filter((l) => l.startsWith('| POST') || l.startsWith('| GET'));
    assert.equal(rows.length, 5);
    assert.match(rows[0]!, /^\| POST order \|/);
  });

  it('stays short enough for a PR comment', () => {
    for (const kind of ['pass', 'fail', 'stress', 'soak', 'aborted'] as SampleKind[]) {
      const lines = renderMarkdown(sampleSummary({ kind })).split('\n').length;
      assert.ok(lines <= 60, `${kind}: ${lines} lines`);
    }
    assert.ok(renderMarkdown(hostileSummary()).split('\n').length <= 62);
  });

  it('escapes names: no HTML, no broken table, no mention', () => {
    const md = renderMarkdown(hostileSummary());
    // Code spans are literal in Markdown (no HTML inside them), so only text outside them can inject.
    const outsideCode = md.replace(/`[^`\n]*`/g, '');
    assert.doesNotMatch(outsideCode, /<img|<script|<!--/i);
    assert.match(md, /&lt;\/script>&lt;img src=x onerror=alert\(1\)>/);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('|---'))) {
      const cells = line.replace(/\\\|/g, '').split('|').length;
      assert.ok(cells === 5 || cells === 6 || cells === 7, `a row kept its columns: ${line}`);
    }
    assert.equal(mdText('a|b*c_d`e[f]<g&h@team\ni'), 'a\\|b\\*c\\_d\\`e\\[f\\]&lt;g&amp;h@\u200bteam i');
  });
});
