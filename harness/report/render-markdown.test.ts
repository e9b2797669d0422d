import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostileChaosSummary, hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
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
    for (const kind of ['pass', 'fail', 'stress', 'soak', 'aborted', 'chaos'] as SampleKind[]) {
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

describe('renderMarkdown: chaos runs', () => {
  const s = sampleSummary({ kind: 'chaos' });
  const md = renderMarkdown(s);

  it('leads with the chaos failures, then a line per fault', () => {
    assert.match(md, /^1 fault of 5 \(PostgreSQL stop\), the steady state during the faults and availability \(94\.0 % &lt; 99\.0 %\) failed; 1 acknowledged write LOST\. {2}$/m);
    assert.match(md, /^\*\*Chaos\*\*: 4 of 5 faults passed · availability 94\.0 % ✗ \(objective 99\.0 %; 599\.0 % of the error budget\) · resilience score 86\.2\/100$/m);
    const rows = md.split('\n').filter((l) => /^\| (Redis|gateway|PostgreSQL)/.test(l));
    assert.deepEqual(rows, [
      '| Redis latency 300 ms (0.0) | +2.5 s | CrucibleHighLatencyP95 +15.0 s | 9.0 s | 84.7 % | ✓ pass |',
      '| gateway replica kill (1.0) | +0.1 s | CrucibleHighErrorRate +6.0 s | 5.0 s | 83.9 % | ✓ pass |',
      '| gateway replica kill (1.1) | +0.1 s | CrucibleInstanceDown +3.0 s | 2.0 s | 76.9 % | ✓ pass |',
      '| gateway replica kill (1.2) | +1.4 s | none | 2.0 s | 92.3 % | ✓ pass |',
      '| PostgreSQL stop (2.0) | +0.3 s | CrucibleCircuitOpen +4.0 s | 35.0 s | 90.6 % | ✗ FAIL: MTTR 35.0 s > 30 s |',
    ]);
  });

  it('has the steady state, the ledger (loud on a loss) and the rollback', () => {
    assert.match(md, /^Steady state: ✓ before · ✗ during \(bad in 65 of 150 windows: gateway-p95 37, shop-journey 25, postgres 20, edge-ready 5\) · ✓ after {2}$/m);
    assert.match(md, /^> \*\*! Ledger: 1 acknowledged write LOST, 0 DUPLICATED\*\* \(allowed lost: 0\): `ledger-s1-000848`; 940 acknowledged of 1,225 attempted, 285 unacknowledged, 1 applied without acknowledgement\.$/m);
    assert.match(md, /^Rollback: ✓ every fault rolled back\.$/m);
    const c = s.chaos!;
    const fixed = renderMarkdown({ ...s, chaos: { ...c, ledger: { ...c.ledger!, lost: [], lostCount: 0 }, rollback: { complete: false, problems: ['postgres still stopped'] } } });
    assert.match(fixed, /^Ledger: ✓ every acknowledged write read back once; 940 acknowledged of 1,225 attempted/m);
    assert.doesNotMatch(fixed, /LOST\*\*/);
    assert.match(fixed, /^> \*\*! Rollback INCOMPLETE\*\*: postgres still stopped$/m);
  });

  it('has no chaos lines for a run without chaos', () => {
    assert.doesNotMatch(renderMarkdown(sampleSummary({ kind: 'fail' })), /\*\*Chaos\*\*|Ledger|Rollback|Steady state/);
  });

  it('escapes hostile chaos names and keeps the fault table in shape', () => {
    const h = renderMarkdown(hostileChaosSummary());
    assert.doesNotMatch(h.replace(/`[^`\n]*`/g, ''), /<img|<script|<!--/i);
    assert.match(h, /^> \*\*! Experiment ABORTED\*\* at 3:20 by probe &lt;\/script>&lt;img src=x onerror=alert\(1\)>: /m);
    const table = h.split('\n').filter((l) => l.startsWith('| ') && h.indexOf(l) > h.indexOf('**Chaos**') && h.indexOf(l) < h.indexOf('Steady state'));
    assert.equal(table.length, 1 + 5);
    for (const line of table) assert.equal(line.replace(/\\\|/g, '').split('|').length, 8, `six columns: ${line}`);
    assert.ok(h.split('\n').length <= 62);
  });
});
