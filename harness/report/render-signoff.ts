import { escapeHtml } from './escape-html.ts';
import type { SignoffMetric, SignoffReport } from '../result/signoff-model.ts';

/** A run folder by what ran in it: `<suite>/20261127-193307-redis-latency-bc3e` reads as `redis-latency`. */
export function evidenceLabel(runDir: string): string {
  const last = runDir.split('/').at(-1) ?? runDir;
  return last.replace(/^\d{8}-\d{6}-/, '').replace(/-[0-9a-f]{4}$/, '');
}

const format = (unit: SignoffMetric['unit'], v: number | null): string => {
  if (v === null) return 'not measured';
  if (unit === 'ratio') return `${(v * 100).toFixed(2)} %`;
  if (unit === 'ms') return v >= 60_000 ? `${(v / 60_000).toFixed(1)} min` : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(1)} ms`;
  return String(v);
};
const value = (m: SignoffMetric): string => format(m.unit, m.actual);
/** An evidence link's text: the run, and its own value when the metric has one per run. */
const linkText = (m: SignoffMetric, e: string): string =>
  m.perRun && Object.hasOwn(m.perRun, e) ? `${evidenceLabel(e)}: ${format(m.unit, m.perRun[e] ?? null)}` : evidenceLabel(e);
const minutes = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;

/** signoff.md: the table CI step summaries and PR comments show. */
export function renderSignoffMarkdown(r: SignoffReport): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `## Phase-4 hardening sign-off: ${r.verdict.status === 'passed' ? 'PASS' : 'FAIL'}`,
    '',
    `${r.profile === 'short' ? 'Short profile' : 'Full profile'} against ${cell(r.target)}, ${minutes(r.durationMs)}.`,
    '',
    '| metric | objective | measured | result | evidence |',
    '|---|---|---|---|---|',
    ...r.metrics.map(
      (m) =>
        `| ${m.id} | ${cell(m.objective)} | ${cell(value(m))} | ${m.pass ? 'PASS' : '**FAIL**'} | ${m.evidence.map((e) => `[${cell(linkText(m, e))}](${e})`).join(', ')} |`,
    ),
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
        `<tr data-testid="metric-${escapeHtml(m.id)}"><td>${escapeHtml(m.objective)}</td><td>${escapeHtml(value(m))}</td><td class="${m.pass ? 'pass' : 'fail'}">${m.pass ? '✓ PASS' : '✗ FAIL'}</td><td>${escapeHtml(m.how)}</td><td>${m.evidence.map((e) => `<a href="${escapeHtml(e)}/report.html" title="${escapeHtml(e)}">${escapeHtml(linkText(m, e))}</a>`).join('<br>')}</td></tr>`,
    )
    .join('\n');
  const steps = r.steps
    .map(
      (s) =>
        `<li><a href="${escapeHtml(s.runDir)}/report.html">${escapeHtml(s.name)}</a>: ${escapeHtml(s.status)} in ${escapeHtml(minutes(s.durationMs))}</li>`,
    )
    .join('\n');
  const notes = r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-off ${r.verdict.status === 'passed' ? 'PASS' : 'FAIL'}: ${escapeHtml(r.target)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{padding:24px 40px;color:#fff;background:${r.verdict.status === 'passed' ? '#15803d' : '#b91c1c'}}
header h1{margin:0;font-size:2.2rem}main{padding:24px 40px}
table{border-collapse:collapse;width:100%;background:#fff}td,th{padding:8px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:#6b7280}.pass{color:#15803d;font-weight:600}.fail{color:#b91c1c;font-weight:700}
</style></head>
<body><header><h1 data-testid="signoff-verdict">${r.verdict.status === 'passed' ? '✓ SIGN-OFF PASSED' : '✗ SIGN-OFF FAILED'}</h1>
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
