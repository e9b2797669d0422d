import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostileChaosSummary, hostilePentestSummary, hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary, type SampleKind } from '../../fixtures/reports/make-sample-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
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
    assert.match(md, /\| `http_req_duration` \| `p\(95\)<200` \| 325\.631 ms \|/);
    assert.match(md, /\| `dropped_iterations` \| `count<50` \| 235 \|/);
    assert.doesNotMatch(md.slice(failed, md.indexOf('**SLOs**')), /http_req_failed/, 'passing thresholds are not in the failed table');
    assert.match(md, /✓ 2 of 5 thresholds passed\./);
    assert.match(md, /\| p95 &lt; 200 ms \| 359\.4 ms \| ✗ FAIL \| client \|/);
  });

  it('flags dropped iterations and lists the slowest requests by p95', () => {
    const md = renderMarkdown(sampleSummary({ kind: 'fail' }));
    assert.match(md, /^> \*\*! 235 iterations were DROPPED\*\*/m);
    const rows = md
      .split('**Slowest requests (p95)**')[1]!
      .split('\n')
      .filter((l) => l.startsWith('| POST') || l.startsWith('| GET'));
    assert.equal(rows.length, 5);
    assert.match(rows[0]!, /^\| POST login \|/);
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
    assert.match(md, /^1 fault of 5 \(PostgreSQL stop\) and availability \(93\.8 % &lt; 99\.0 %\) failed; 1 acknowledged write LOST\. {2}$/m);
    assert.match(
      md,
      /^\*\*Chaos\*\*: 4 of 5 faults passed · availability 93\.8 % ✗ \(objective 99\.0 %; 620\.7 % of the error budget\) · resilience score 78\.6\/100$/m,
    );
    const rows = md.split('\n').filter((l) => /^\| (Redis|gateway|PostgreSQL)/.test(l));
    assert.deepEqual(rows, [
      '| Redis latency 300 ms (0.0) | +1.0 s | CrucibleHighLatencyP95 +14.0 s | 5.0 s | 84.3 % | ✓ pass |',
      '| gateway replica kill (1.0) | +0.0 s | CrucibleHighErrorRate +6.0 s | 2.0 s | 69.2 % | ✓ pass |',
      '| gateway replica kill (1.1) | +0.0 s | CrucibleInstanceDown +3.0 s | 6.0 s | 83.8 % | ✓ pass |',
      '| gateway replica kill (1.2) | +0.3 s | none | 2.0 s | 61.5 % | ✓ pass |',
      '| PostgreSQL stop (2.0) | +0.0 s | CrucibleCircuitOpen +4.0 s | 36.0 s | 90.8 % | ✗ FAIL: MTTR 36.0 s > 30.0 s |',
    ]);
  });

  it('has the steady state, the ledger (loud on a loss) and the rollback', () => {
    assert.match(md, /^Steady state: ✓ before · ✓ during · ✓ after {2}$/m);
    // A fault that never recovered leaves 'during' bad: shown with its note, not judged.
    const during = { ...s.chaos!, steadyState: s.chaos!.steadyState.map((x) => (x.phase === 'during' ? { ...x, ok: false } : x)) };
    assert.match(
      renderMarkdown({ ...s, chaos: during }),
      /^Steady state: ✓ before · – during \(probe edge-ready failed in 6 of 186 windows \(status 502\); .*\) · ✓ after {2}$/m,
    );
    assert.match(
      md,
      new RegExp(
        `^> \\*\\*! Ledger: 1 acknowledged write LOST, 0 DUPLICATED\\*\\* \\(allowed lost: 0\\): \`${s.chaos!.ledger!.lost[0]}\`; 1,036 acknowledged of 1,325 attempted, 289 unacknowledged, 3 applied without acknowledgement\\.$`,
        'm',
      ),
    );
    assert.match(md, /^Rollback: ✓ every fault rolled back\.$/m);
    const c = s.chaos!;
    const fixed = renderMarkdown({
      ...s,
      chaos: { ...c, ledger: { ...c.ledger!, lost: [], lostCount: 0 }, rollback: { complete: false, problems: ['postgres still stopped'] } },
    });
    assert.match(fixed, /^Ledger: ✓ every acknowledged write read back once; 1,036 acknowledged of 1,325 attempted/m);
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

describe('renderMarkdown: penetration runs', () => {
  const vulnerable = samplePentestSummary('vulnerable');
  const md = renderMarkdown(vulnerable);
  const cleanSummary = samplePentestSummary('clean');
  const clean = renderMarkdown(cleanSummary);
  const sec = vulnerable.security!;
  const failed = sec.checks.filter((c) => c.verdict === 'fail').sort((a, b) => b.cvss.score - a.cvss.score || a.id.localeCompare(b.id));

  it('leads with the findings, then the counts, the switches, the failed checks worst first and detection', () => {
    assert.match(
      md,
      /^## ✗ FAILED: pentest \(pentest\)\n\n2 critical findings: SEC-INJ-01 SQL injection in query inputs, SEC-JWT-01 Unsigned token accepted \(alg none, any case\); 3 high findings: SEC-SSRF-01 /,
    );
    const { counts: c } = sec;
    const applicable = sec.checks.length - c.notApplicable;
    assert.ok(
      md.includes(
        `**Penetration test**: ✗ ${c.fail} findings (2 critical, 3 high, 3 medium) · ${c.pass} passed · ! ${c.error} could not run · ${c.notApplicable} not applicable · verdict coverage ${((100 * (c.pass + c.fail)) / applicable).toFixed(1)} % of ${applicable} applicable checks\n`,
      ),
    );
    assert.ok(md.includes(`> **! Vulnerable switches ON**: ${sec.vulnerableSwitches.map((x) => `\`${x}\``).join(', ')} `));
    const rows = md.split('\n').filter((l) => l.startsWith('| SEC-'));
    assert.deepEqual(
      rows.map((r) => r.split(' | ').slice(0, 3)),
      failed.map((f) => [`| ${f.id} ${f.title}`, `${f.severity} ${f.cvss.score}`, f.owasp]),
    );
    assert.equal(rows[0]?.split(' | ')[0], '| SEC-INJ-01 SQL injection in query inputs', 'worst first');
    const jwt = failed.find((f) => f.id === 'SEC-JWT-01')!;
    assert.ok(rows[1]!.endsWith(`| ${jwt.summary} |`));
    const errored = sec.checks.find((x) => x.verdict === 'error')!;
    assert.ok(md.includes(`\n**Could not run** (not a pass): ${errored.id} (${errored.summary})`));
    assert.match(
      md,
      /^Detection: ✗ 7 of 9 attack classes alerted on within budget · ✗ authorization no alert \(audit lines only\) · ✗ ssrf not detected \(no audit line, no alert\)$/m,
    );
    assert.ok(md.split('\n').length <= 60, `${md.split('\n').length} lines`);
  });

  it('a clean run says so in a few lines', () => {
    const { counts: c } = cleanSummary.security!;
    assert.ok(
      clean.includes(
        `## ✓ PASSED: pentest (pentest)\n\nNo vulnerability found: all ${c.pass} applicable checks passed (${c.notApplicable} not applicable); all 9 attack classes detected in time.  \n`,
      ),
    );
    assert.ok(
      clean.includes(
        `\n**Penetration test**: ✓ no finding · ${c.pass} passed · 0 errors · ${c.notApplicable} not applicable · verdict coverage 100.0 % of ${c.pass} applicable checks\n`,
      ),
    );
    assert.match(clean, /^Detection: ✓ 9 of 9 attack classes alerted on within budget$/m);
    assert.doesNotMatch(clean, /Vulnerable switches|\| SEC-|Could not run/);
  });

  it('has no security lines for a run without security', () => {
    assert.doesNotMatch(renderMarkdown(sampleSummary({ kind: 'fail' })), /Penetration test|Detection:/);
  });

  it('escapes hostile checks and keeps the findings table in shape', () => {
    const h = renderMarkdown(hostilePentestSummary());
    assert.doesNotMatch(h.replace(/`[^`\n]*`/g, ''), /<img|<script|<!--/i);
    const table = h.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| check'));
    assert.equal(table.length, 8 + 1, 'eight findings and the "more" row');
    for (const line of table) assert.equal(line.replace(/\\\|/g, '').split('|').length, 6, `four columns: ${line}`);
    assert.ok(h.split('\n').length <= 62);
  });
});
