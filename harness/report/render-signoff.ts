import { escapeHtml } from './escape-html.ts';
import type { SignoffMetric, SignoffReport } from './signoff-model.ts';

const value = (m: SignoffMetric): string => {
  if (m.actual === null) return 'not measured';
  if (m.unit === 'ratio') return `${(m.actual * 100).toFixed(2)} %`;
  if (m.unit === 'ms') return m.actual >= 60_000 ? `${(m.actual / 60_000).toFixed(1)} min` : m.actual >= 1000 ? `${(m.actual / 1000).toFixed(1)} s` : `${m.actual.toFixed(1)} ms`;
  return String(m.actual);
};
const minutes = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;

/** signoff.md: the table CI step summaries and PR comments show. */
export function renderSignoffMarkdown(r: SignoffReport): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `## Phase-4 hardening sign-off: ${r.pass ? 'PASS' : 'FAIL'}`,
    '',
    `${r.profile === 'short' ? 'Short profile' : 'Full profile'} against ${cell(r.target)}, ${minutes(r.durationMs)}.`,
    '',
    '| metric | objective | measured | result | evidence |',
    '|---|---|---|---|---|',
    ...r.metrics.map((m) => `| ${m.id} | ${cell(m.objective)} | ${cell(value(m))} | ${m.pass ? 'PASS' : '**FAIL**'} | ${m.evidence.map((e) => `[${cell(e)}](${e})`).join(', ')} |`),
    '',
    ...r.steps.map((s) => `- ${cell(s.name)}: ${s.status} in ${minutes(s.durationMs)} ([${cell(s.runDir)}](${s.runDir}))`),
    ...(r.notes.length ? ['', ...r.notes.map((n) => `> ${cell(n)}`)] : []),
    '',
  ].join('\n');
}

/** signoff.html: the same, self-contained, each metric linked to its run's report. */
export function renderSignoffHtml(r: SignoffReport): string {
  const rows = r.metrics
    .map(
      (m) =>
        `<tr data-testid="metric-${escapeHtml(m.id)}"><td>${escapeHtml(m.objective)}</td><td>${escapeHtml(value(m))}</td><td class="${m.pass ? 'pass' : 'fail'}">${m.pass ? '✓ PASS' : '✗ FAIL'}</td><td>${escapeHtml(m.how)}</td><td>${m.evidence.map((e) => `<a href="${escapeHtml(e)}/report.html">${escapeHtml(e)}</a>`).join('<br>')}</td></tr>`,
    )
    .join('\n');
  const steps = r.steps.map((s) => `<li><a href="${escapeHtml(s.runDir)}/report.html">${escapeHtml(s.name)}</a>: ${escapeHtml(s.status)} in ${escapeHtml(minutes(s.durationMs))}</li>`).join('\n');
  const notes = r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-off ${r.pass ? 'PASS' : 'FAIL'}: ${escapeHtml(r.target)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{padding:24px 40px;color:#fff;background:${r.pass ? '#15803d' : '#b91c1c'}}
header h1{margin:0;font-size:2.2rem}main{padding:24px 40px}
table{border-collapse:collapse;width:100%;background:#fff}td,th{padding:8px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:#6b7280}.pass{color:#15803d;font-weight:600}.fail{color:#b91c1c;font-weight:700}
</style></head>
<body><header><h1 data-testid="signoff-verdict">${r.pass ? '✓ SIGN-OFF PASSED' : '✗ SIGN-OFF FAILED'}</h1>
<p>Phase-4 hardening, ${r.profile} profile, against ${escapeHtml(r.target)}; ${escapeHtml(minutes(r.durationMs))}; started ${escapeHtml(r.startedAt)}.</p></header>
<main><h2>Success metrics</h2>
<table data-testid="signoff-metrics"><thead><tr><th>Objective</th><th>Measured</th><th>Result</th><th>How</th><th>Evidence</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Runs</h2><ul>${steps}</ul>
${notes ? `<h2>Notes</h2><ul>${notes}</ul>` : ''}
</main></body></html>
`;
}
