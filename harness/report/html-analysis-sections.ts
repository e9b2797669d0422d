import type { ChartId, ChartSpec } from './chart-options.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatClock, formatCount, formatDuration, formatMs, formatPercent, formatRps } from './format-values.ts';
import { htmlTable, resultCell } from './html-table.ts';
import type { RunSummary } from '../result/summary-model.ts';

type Charts = Partial<Record<ChartId, ChartSpec>>;

/** A chart's frame; the page script draws into the `data-chart` element. */
export function chartCard(id: ChartId, spec: ChartSpec | undefined): string {
  if (!spec) return '';
  const height = spec.heightPx ? ` style="height:${Math.round(spec.heightPx)}px"` : '';
  return `<div class="chart-card"><h3>${e(spec.title)}</h3>${spec.caption ? `<p class="small">${e(spec.caption)}</p>` : ''}<div class="chart" id="chart-${id}" data-chart="${id}" role="img" aria-label="${e(spec.title)}"${height}></div></div>`;
}

export function chartsSection(s: RunSummary, charts: Charts): string {
  const cards = (['latency', 'throughput', 'errors', 'cache'] as const).map((id) => chartCard(id, charts[id])).join('');
  if (!cards) return '';
  const phases = s.phases.map((p) => `${e(p.name)} (${e(formatClock(p.startMs))}–${e(formatClock(p.endMs))})`).join(', ');
  return `<section id="charts"><h2>Over time</h2>${phases ? `<p class="small">Shaded phases: ${phases}.</p>` : ''}<div class="charts">${cards}</div></section>`;
}

export function stressSection(s: RunSummary, charts: Charts): string {
  const st = s.stress;
  if (!st) return '';
  const bp = st.breakingPointRps;
  const bpIndex = bp === null ? -1 : st.steps.findLastIndex((x) => x.held && Math.round(x.targetRps) === Math.round(bp));
  const rows = st.steps.map((x, i) => ({
    className: i === bpIndex ? 'row-mark' : x.held ? '' : 'row-fail',
    cells: [
      `${e(formatClock(x.startMs))}–${e(formatClock(x.endMs))}${i === bpIndex ? ' <strong>← breaking point</strong>' : ''}`,
      e(formatRps(x.targetRps)),
      e(formatRps(x.achievedRps)),
      e(formatMs(x.p95Ms)),
      e(formatPercent(x.errorRate)),
      resultCell(x.held ? 'pass' : 'fail'),
    ],
  }));
  const past = st.past;
  const headline =
    bp === null
      ? '<strong>No breaking point: even the first step missed the SLOs.</strong>'
      : `Breaking point: <strong>${e(formatRps(bp))}</strong>, the highest rate that held every SLO.`;
  const mode =
    st.failureMode === 'none'
      ? 'The platform held every step.'
      : `Past it the platform failed by <strong>${e(st.failureMode)}</strong>: ${e(formatCount(past.shed))} shed (429/503), ${e(formatCount(past.timeouts))} without response, ${e(formatCount(past.errors))} other errors, of ${e(formatCount(past.requests))} requests.`;
  return `<section id="stress" data-testid="stress"><h2>Stress</h2><p>${headline} ${mode}</p>
<div class="charts">${chartCard('stress', charts.stress)}</div>
${htmlTable([{ label: 'window' }, { label: 'target', num: true }, { label: 'achieved', num: true }, { label: 'p95', num: true }, { label: 'errors', num: true }, { label: 'held SLOs' }], rows, 'stress-table')}</section>`;
}

export function soakSection(s: RunSummary, charts: Charts): string {
  const so = s.soak;
  if (!so) return '';
  const slopes = Object.entries(so.rssSlopeMbPerHour).sort((a, b) => b[1] - a[1]);
  const slopeTable = slopes.length
    ? htmlTable(
        [
          { label: 'instance', name: true },
          { label: 'RSS slope', num: true },
        ],
        slopes.map(([name, v]) => ({ cells: [e(name), `${e(v.toFixed(2))} MB/h`] })),
        'soak-slopes',
      )
    : '<p class="small">No RSS series from Prometheus.</p>';
  const bursts = so.errorBursts.length
    ? htmlTable(
        [{ label: 'from' }, { label: 'to' }, { label: 'lasted', num: true }, { label: 'errors', num: true }],
        so.errorBursts.map((b) => ({
          className: 'row-fail',
          cells: [e(formatClock(b.startMs)), e(formatClock(b.endMs)), e(formatDuration(b.endMs - b.startMs)), e(formatCount(b.errors))],
        })),
        'soak-bursts',
      )
    : '<p class="small">No error bursts.</p>';
  return `<section id="soak" data-testid="soak"><h2>Soak</h2>
<p>${so.leakDetected ? '<strong class="result-fail">✗ Memory leak suspected</strong>: an instance grew faster than the limit.' : '<span class="result-pass">✓ No leak detected.</span>'} p95 drift: <strong>${so.p95DriftMsPerHour === null ? 'not measured' : `${e(so.p95DriftMsPerHour.toFixed(2))} ms/h`}</strong>.</p>
<div class="charts">${chartCard('soakRss', charts.soakRss)}</div>
<h3>RSS slope per instance</h3>${slopeTable}<h3>Error bursts</h3>${bursts}</section>`;
}

export function platformSection(s: RunSummary, charts: Charts): string {
  const p = s.platform;
  if (!p) return '';
  if (!p.available) {
    return `<section id="platform" data-testid="platform"><h2>Platform (Prometheus)</h2><p><strong>Not available</strong>: ${e(p.error ?? 'no reason recorded')} <span class="small">(${e(p.prometheus)})</span>. Server-side figures are missing from this report.</p></section>`;
  }
  const fig = (label: string, value: string): string => `<div><dt>${e(label)}</dt><dd>${e(value)}</dd></div>`;
  const total = Object.values(p.responsesByStatus).reduce((a, b) => a + b, 0);
  const statuses = Object.entries(p.responsesByStatus).sort((a, b) => b[1] - a[1]);
  const statusTable = statuses.length
    ? htmlTable(
        [{ label: 'status' }, { label: 'responses', num: true }, { label: 'share', num: true }],
        statuses.map(([code, n]) => ({
          className: /^5/.test(code) ? 'row-fail' : '',
          cells: [e(code), e(formatCount(n)), e(formatPercent(n / Math.max(1, total)))],
        })),
        'platform-statuses',
      )
    : '';
  return `<section id="platform" data-testid="platform"><h2>Platform (Prometheus)</h2>
<dl class="figures">${fig('server p95', formatMs(p.serverP95Ms))}${fig('cache hit rate', formatPercent(p.cacheHitRate))}${fig('server error rate', formatPercent(p.errorRate))}${fig('responses', formatCount(total))}</dl>
${p.error ? `<p class="small">${e(p.error)}</p>` : ''}
<div class="charts">${chartCard('platformP95', charts.platformP95)}<div><h3>Responses by status</h3>${statusTable}</div></div>
<p class="small">Source: <code>${e(p.prometheus)}</code></p></section>`;
}
