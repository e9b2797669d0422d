import type { Comparison, MetricComparison, MetricVerdict } from './compare-runs.ts';
import { formatMs, formatPercent, formatRps } from './format-values.ts';
import { mdCode, mdText } from './render-markdown.ts';

const VERDICT_TEXT: Readonly<Record<MetricVerdict, string>> = {
  regression: '✗ REGRESSION',
  improvement: '✓ improvement',
  'no-change': 'no change',
  'not-compared': '– not compared',
};
const HEADLINE: Readonly<Record<Comparison['verdict'], string>> = { regression: '✗ REGRESSION', improvement: '✓ IMPROVEMENT', 'no-change': '✓ NO CHANGE' };

function value(r: MetricComparison, v: number | null): string {
  if (v === null) return '–';
  return r.unit === 'ms' ? formatMs(v) : r.unit === 'rps' ? formatRps(v) : formatPercent(v);
}

const signed = (v: number, digits: number): string => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}`;

/** Rates move in percentage points (a relative change of a tiny error rate means little); the rest in percent. */
export function formatDelta(r: MetricComparison): string {
  if (r.deltaAbs === null) return '–';
  if (r.unit === 'ratio') return `${signed(r.deltaAbs * 100, 2)} pp`;
  return r.deltaPct === null ? signed(r.deltaAbs, 1) : `${signed(r.deltaPct, 1)} %`;
}

export function formatP(p: number | null): string {
  if (p === null) return '–';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(p < 0.01 ? 4 : 2);
}

function headline(c: Comparison): string {
  const worse = c.rows.filter((r) => r.verdict === 'regression').length;
  const better = c.rows.filter((r) => r.verdict === 'improvement').length;
  const counts = [worse ? `${worse} worse` : '', better ? `${better} better` : ''].filter(Boolean).join(', ');
  return `${HEADLINE[c.verdict]}${counts ? ` (${counts} beyond noise, of ${c.rows.length} metrics)` : ` (${c.rows.length} metrics within noise)`}`;
}

const ruleLine = (c: Comparison): string =>
  `A metric changes only when Mann–Whitney U on the per-interval series gives p < ${c.options.alpha} (Holm-adjusted) AND the change is large enough (p95 ≥ ${c.options.latencyMinRelative * 100} % and ≥ ${c.options.latencyMinMs} ms; errors ≥ ${c.options.errorRateMinAbs * 100} pp; throughput ≥ ${c.options.throughputMinRelative * 100} %; cache hits ≥ ${c.options.cacheHitMinAbs * 100} pp). docs/report-schema.md#how-compare-decides`;

/** Rows worth a sentence: the decided ones, and the ones not decided the normal way. */
const explained = (c: Comparison): MetricComparison[] => c.rows.filter((r) => r.verdict !== 'no-change' || r.test !== 'mann-whitney');

/** Plain text for the terminal: aligned columns, then why for the rows that need it. */
export function renderComparisonText(c: Comparison): string {
  const header = ['METRIC', 'BASELINE', 'CURRENT', 'DELTA', 'P (HOLM)', 'VERDICT'];
  const rows = c.rows.map((r) => [r.metric, value(r, r.baseline), value(r, r.current), formatDelta(r), formatP(r.pAdjusted), VERDICT_TEXT[r.verdict]]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `compare ${c.current.scenario}: ${headline(c)}`,
    `  baseline  ${c.baseline.id}  ${c.baseline.startedAt}  ${c.baseline.status}`,
    `  current   ${c.current.id}  ${c.current.startedAt}  ${c.current.status}`,
    '',
    fmt(header),
    ...rows.map(fmt),
  ];
  const why = explained(c);
  if (why.length) out.push('', 'why:', ...why.map((r) => `  ${r.metric}: ${r.reason}`));
  if (c.notes.length) out.push('', 'notes:', ...c.notes.map((n) => `  - ${n}`));
  out.push('', ruleLine(c));
  return `${out.join('\n')}\n`;
}

/** Markdown for a PR comment or a CI step summary. */
export function renderComparisonMarkdown(c: Comparison): string {
  const out = [
    `### ${headline(c)}: ${mdText(c.current.scenario)}`,
    '',
    `Baseline ${mdCode(c.baseline.id)} (${mdText(c.baseline.status)}) → current ${mdCode(c.current.id)} (${mdText(c.current.status)})`,
    '',
    '| metric | baseline | current | delta | p (Holm) | verdict |',
    '|---|---:|---:|---:|---:|---|',
    ...c.rows.map(
      (r) =>
        `| ${mdText(r.metric)} | ${value(r, r.baseline)} | ${value(r, r.current)} | ${formatDelta(r)} | ${formatP(r.pAdjusted)} | ${r.verdict === 'regression' ? `**${VERDICT_TEXT[r.verdict]}**` : VERDICT_TEXT[r.verdict]} |`,
    ),
  ];
  const why = explained(c);
  if (why.length) out.push('', ...why.map((r) => `- ${mdText(r.metric)}: ${mdText(r.reason)}`));
  if (c.notes.length) out.push('', ...c.notes.map((n) => `- ${mdText(n)}`));
  out.push('', `<sub>${mdText(ruleLine(c))}</sub>`);
  return `${out.join('\n')}\n`;
}
