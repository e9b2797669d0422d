import { escapeHtml as e } from './escape-html.ts';
import { formatClock, formatCount, formatDuration, formatPercent } from './format-values.ts';
import { htmlTable } from './html-table.ts';
import { applicableCount, checksByOwasp, detectionWords, findingsOf, owaspLabel, requestLine } from './security-findings.ts';
import type { DetectionRecord, RunSummary, SecurityAnalysis, SecurityCheckRecord } from '../result/summary-model.ts';

/**
 * The penetration run's part of report.html: the verdict figures, the findings grouped by OWASP
 * API Security Top 10 category (a failed check opens to its evidence), and detection per attack
 * class. Every value from the run is escaped; evidence is shown as text in <pre>, never as markup.
 */

const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * A severity as a word and its score, coloured but never by colour alone. Only a finding gets the
 * solid badge: on a check that passed it is the severity of what was looked for, not of anything found.
 */
function severityBadge(c: SecurityCheckRecord): string {
  return `<span class="sev sev-${e(c.severity)}${c.verdict === 'fail' ? '' : ' sev-muted'}">${e(c.severity.toUpperCase())} ${e(c.cvss.score.toFixed(1))}</span>`;
}

/** A value as an id or test id: ids must not carry spaces, and markup-looking text has no business there. */
const slug = (x: string): string => x.replace(/[^A-Za-z0-9_.-]/g, '_');

/** A short delay: milliseconds below a second (audit lines follow an attack within a few ms). */
const delta = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(ms));

const VERDICT_CELL: Readonly<Record<SecurityCheckRecord['verdict'], string>> = {
  pass: '<span class="result result-pass">✓ PASS</span>',
  fail: '<span class="result result-fail">✗ FAIL</span>',
  error: '<span class="result result-error">! ERROR</span>',
  'not-applicable': '<span class="result result-skip">– N/A</span>',
};

/**
 * The platform ran deliberately weakened: said above everything else, so a report of a run with
 * vulnerable switches is never mistaken for the platform as it ships.
 */
export function securityAlerts(s: RunSummary): string {
  const sw = s.security?.vulnerableSwitches ?? [];
  if (sw.length === 0) return '';
  return `<section class="alert" role="alert" data-testid="vulnerable-switches-alert"><strong class="big">⚠ ${e(plural(sw.length, 'vulnerable switch was', 'vulnerable switches were'))} ON</strong>
The platform was deliberately weakened for this run (mode test): ${sw.map((x) => `<code>${e(x)}</code>`).join(', ')}. Findings show what the checks catch, not how the platform ships.</section>`;
}

function figures(sec: SecurityAnalysis): string {
  const c = sec.counts;
  const fig = (label: string, value: string, cls = '', testid = ''): string =>
    `<div${testid ? ` data-testid="${testid}"` : ''}><dt>${e(label)}</dt><dd${cls ? ` class="${cls}"` : ''}>${value}</dd></div>`;
  const detected = sec.detection.filter((d) => d.ok).length;
  const measured = sec.detection.filter((d) => d.notMeasured === undefined).length;
  const detectionFigure =
    measured === 0
      ? fig('attack classes detected', '<span class="small">not measured</span>', '', 'figure-detection')
      : fig(
          'attack classes detected',
          `${e(detected)} <span class="small">of ${e(measured)}${measured < sec.detection.length ? ` measured (${e(sec.detection.length - measured)} not measured)` : ''}</span>`,
          detected < measured ? 'result-fail' : 'result-pass',
          'figure-detection',
        );
  return `<dl class="figures" data-testid="security-figures">
${fig('critical findings', e(c.critical), c.critical ? 'result-fail' : 'result-pass', 'figure-critical')}
${fig('high findings', e(c.high), c.high ? 'result-fail' : 'result-pass', 'figure-high')}
${fig('checks passed', `${e(c.pass)} <span class="small">of ${e(applicableCount(sec))} applicable</span>`)}
${fig('failed', e(c.fail), c.fail ? 'result-fail' : '')}
${fig('could not run', e(c.error), c.error ? 'result-error' : '')}
${fig('not applicable', e(c.notApplicable))}
${fig('verdict coverage', e(formatPercent(sec.verdictCoverage)), sec.verdictCoverage < 1 ? 'result-fail' : 'result-pass', 'figure-coverage')}
${sec.detection.length ? detectionFigure : ''}
</dl>`;
}

/** The findings worst first, one line each (the OWASP tables below have the evidence). */
function findingsList(sec: SecurityAnalysis): string {
  const found = findingsOf(sec);
  if (found.length === 0)
    return `<p data-testid="no-findings"><span class="result-pass">✓ No vulnerability found</span>${sec.counts.error ? ` <strong class="result-error">but ${e(plural(sec.counts.error, 'check'))} could not reach a verdict</strong>` : ''}.</p>`;
  const rows = found.map((c) => ({
    className: 'row-fail',
    cells: [severityBadge(c), `<code class="check-id">${e(c.id)}</code>`, e(c.title), e(c.owasp), `<span class="small">${e(c.summary)}</span>`],
  }));
  return htmlTable(
    [{ label: 'severity' }, { label: 'check' }, { label: 'title', name: true }, { label: 'OWASP' }, { label: 'finding', name: true }],
    rows,
    'findings-table',
  );
}

function headersText(h: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(h ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** One request and its answer, as text. */
function exchange(x: SecurityCheckRecord['evidence'][number], i: number, n: number): string {
  const req = [requestLine(x), headersText(x.requestHeaders), x.requestBody !== undefined ? `\n${x.requestBody}` : ''].filter(Boolean).join('\n');
  const status = x.status === 0 ? 'no HTTP answer' : `HTTP ${x.status}`;
  return `<div class="exchange">${n > 1 ? `<p class="small">request ${e(i + 1)} of ${e(n)}</p>` : ''}
<pre class="http" data-testid="evidence-request">${e(req)}</pre>
<pre class="http http-response" data-testid="evidence-response">${e(`→ ${status}${x.responseExcerpt ? `\n${x.responseExcerpt}` : ''}`)}</pre>
${x.note ? `<p class="small">${e(x.note)}</p>` : ''}</div>`;
}

/** A failed check opens to its evidence; the facts (CVSS vector, CWE, when it ran) come with it. */
function evidenceBlock(c: SecurityCheckRecord): string {
  const cwes = c.cwe.map((n) => `CWE-${n}`).join(', ');
  const exchanges = c.evidence.map((x, i) => exchange(x, i, c.evidence.length)).join('\n');
  return `<details class="evidence" data-testid="evidence-${slug(c.id)}"><summary>${e(c.summary)} <span class="small">(${e(plural(c.evidence.length, 'request'))})</span></summary>
<p class="small">${e(c.description)}</p>
<p class="small">CVSS ${e(c.cvss.score.toFixed(1))} <code>${e(c.cvss.vector)}</code> · ${e(cwes || 'no CWE')} · attack class ${e(c.attackClass)} · ran ${e(formatClock(c.startedMs))}–${e(formatClock(c.endedMs))}</p>
${exchanges || '<p class="small">No evidence was recorded.</p>'}
</details>`;
}

function checkRow(c: SecurityCheckRecord): { className: string; cells: string[] } {
  const summary = c.verdict === 'fail' ? evidenceBlock(c) : `<span class="small">${e(c.summary)}</span>`;
  return {
    className: c.verdict === 'fail' ? 'row-fail' : c.verdict === 'error' ? 'row-error' : c.verdict === 'not-applicable' ? 'row-skip' : '',
    cells: [`<code class="check-id" id="check-${slug(c.id)}">${e(c.id)}</code>`, e(c.title), severityBadge(c), VERDICT_CELL[c.verdict], summary],
  };
}

function owaspTables(sec: SecurityAnalysis): string {
  return checksByOwasp(sec.checks)
    .map(([category, checks]) => {
      const n = (v: SecurityCheckRecord['verdict']): number => checks.filter((c) => c.verdict === v).length;
      const parts = [
        `${n('pass')} passed`,
        n('fail') ? `<strong class="result-fail">${n('fail')} FAILED</strong>` : '',
        n('error') ? `<strong class="result-error">${n('error')} could not run</strong>` : '',
        n('not-applicable') ? `${n('not-applicable')} not applicable` : '',
      ].filter(Boolean);
      return `<h3 id="owasp-${slug(category)}" data-testid="owasp-${slug(category)}">${e(owaspLabel(category))} <span class="small">${e(plural(checks.length, 'check'))}: ${parts.join(', ')}</span></h3>
${htmlTable([{ label: 'check' }, { label: 'title', name: true }, { label: 'severity' }, { label: 'verdict' }, { label: 'summary and evidence', name: true }], checks.map(checkRow), `owasp-${slug(category)}-table`)}`;
    })
    .join('\n');
}

function detectionTable(sec: SecurityAnalysis): string {
  if (sec.detection.length === 0) return '<p class="small">No attack class was measured.</p>';
  const plus = (d: DetectionRecord, ms: number | null): string =>
    ms === null ? '' : `<span class="small">+${e(delta(Math.max(0, ms - d.firstAttackMs)))}</span>`;
  const rows = sec.detection.map((d) => ({
    className: d.ok || d.notMeasured !== undefined ? '' : 'row-fail',
    cells: [
      e(d.attackClass),
      e(formatClock(d.firstAttackMs)),
      d.auditMs === null
        ? '<span class="small">none</span>'
        : `${plus(d, d.auditMs)}${d.auditEvents.length ? `<br><span class="small">${d.auditEvents.map((x) => `<code>${e(x)}</code>`).join(' ')}</span>` : ''}`,
      d.metricMs === null ? '<span class="small">none</span>' : plus(d, d.metricMs),
      d.alertMs === null ? '<span class="small">none fired</span>' : `${e(d.alertName ?? 'alert')}<br>${plus(d, d.alertMs)}`,
      d.notMeasured !== undefined
        ? '<span class="small">not measured</span>'
        : `${d.timeToDetectMs === null ? '<strong>not detected</strong>' : e(formatDuration(d.timeToDetectMs))} <span class="small">/ ${e(formatDuration(d.budgetMs))}</span>`,
      d.notMeasured !== undefined
        ? `<span class="result">not measured</span><br><span class="small">${e(d.notMeasured)}</span>`
        : d.ok
          ? '<span class="result result-pass">✓ PASS</span>'
          : `<span class="result result-fail">✗ FAIL</span><br><span class="small">${e(detectionWords(d))}</span>`,
    ],
    cellClass: [undefined, undefined, undefined, undefined, undefined, d.ok || d.notMeasured !== undefined ? undefined : 'over'],
  }));
  const cols = [
    { label: 'attack class' },
    { label: 'first attack', num: true },
    { label: 'audit line' },
    { label: 'metric' },
    { label: 'alert' },
    { label: 'time to detect / budget', num: true },
    { label: 'result' },
  ];
  return `${htmlTable(cols, rows, 'detection-table')}
<p class="small">Times are from the start of the run; +Δ from the class's first attack request. Time to detect runs from that request to the first alert (the incident-response clock); audit lines and the metric show how far the signal got when no alert fired.</p>`;
}

export function securitySection(s: RunSummary): string {
  const sec = s.security;
  if (!sec) return '';
  const switches = sec.vulnerableSwitches.length
    ? `<strong class="result-fail">${e(plural(sec.vulnerableSwitches.length, 'vulnerable switch', 'vulnerable switches'))} ON</strong>: ${sec.vulnerableSwitches.map((x) => `<code>${e(x)}</code>`).join(', ')}`
    : 'none (the platform as it ships)';
  return `<section id="security" data-testid="security"><h2>Penetration test</h2>
${figures(sec)}
<p class="small">Profile <code>${e(sec.profile)}</code> · vulnerable switches: ${switches} · verdict coverage is checks that reached a verdict (pass or fail) / checks that apply; a check that could not run is never a pass.</p>
<h3>Findings</h3>${findingsList(sec)}</section>
<section id="owasp" data-testid="owasp"><h2>Checks by OWASP API Security Top 10 (2023)</h2>
${owaspTables(sec)}</section>
<section id="detection" data-testid="detection"><h2>Detection per attack class</h2>
${detectionTable(sec)}</section>`;
}
