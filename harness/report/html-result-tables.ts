import { escapeHtml as e } from './escape-html.ts';
import { formatCount, formatDuration, formatMs, formatPercent, formatRps, formatSloActual, formatThresholdActual } from './format-values.ts';
import { htmlTable, resultCell } from './html-table.ts';
import type { RunSummary } from '../result/summary-model.ts';
import { failedOn } from '../result/verdict.ts';

export function sloSection(s: RunSummary): string {
  if (s.slos.length === 0) return '';
  const rows = s.slos.map((o) => {
    const result = o.actual === null ? 'skip' : failedOn(s.verdict, 'slo', o.id) ? 'fail' : 'pass';
    return {
      className: result === 'fail' ? 'row-fail' : result === 'skip' ? 'row-skip' : '',
      cells: [e(o.objective), e(formatSloActual(o)), resultCell(result), e(o.source), o.note ? `<span class="small">${e(o.note)}</span>` : ''],
    };
  });
  return `<section id="slos"><h2>SLOs</h2>${htmlTable([{ label: 'objective', name: true }, { label: 'actual', num: true }, { label: 'result' }, { label: 'source' }, { label: 'note', name: true }], rows, 'slo-table')}</section>`;
}

export function thresholdSection(s: RunSummary): string {
  if (s.thresholds.length === 0) return '';
  const rows = s.thresholds.map((t) => {
    const failed = failedOn(s.verdict, 'threshold', `${t.metric} ${t.expression}`);
    return {
      className: failed ? 'row-fail' : '',
      cells: [
        `<code>${e(t.metric)}</code>`,
        `<code>${e(t.expression)}</code>`,
        e(formatThresholdActual(t, s.metrics)),
        resultCell(failed ? 'fail' : 'pass'),
        t.aborted ? '<strong>aborted the run</strong>' : t.abortOnFail ? '<span class="small">abortOnFail</span>' : '',
      ],
    };
  });
  return `<section id="thresholds"><h2>Thresholds</h2>${htmlTable([{ label: 'metric', name: true }, { label: 'expression' }, { label: 'actual', num: true }, { label: 'result' }, { label: '' }], rows, 'threshold-table')}</section>`;
}

/** Status counts, most frequent first: `200 ×2,585 · 503 ×4`. */
export function statusList(statuses: Readonly<Record<string, number>>): string {
  return Object.entries(statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code === '0' ? 'no response' : code} ×${formatCount(n)}`)
    .join(' · ');
}

export function requestSection(s: RunSummary, p95LimitMs: number | null): string {
  if (s.requests.length === 0) return '';
  const over = (ms: number): string | undefined => (p95LimitMs !== null && ms >= p95LimitMs ? 'over' : undefined);
  const rows = s.requests.map((q) => ({
    className: q.failed > 0 && q.failed / Math.max(1, q.count) >= 0.01 ? 'row-fail' : '',
    cells: [
      e(q.name),
      e(q.method),
      e(formatCount(q.count)),
      `${e(formatCount(q.failed))}${q.failed ? ` <span class="small">(${e(formatPercent(q.failed / Math.max(1, q.count)))})</span>` : ''}`,
      e(formatRps(q.rps)),
      e(formatMs(q.p50Ms)),
      e(formatMs(q.p95Ms)),
      e(formatMs(q.p99Ms)),
      e(formatMs(q.maxMs)),
      e(statusList(q.statuses)),
    ],
    cellClass: [undefined, undefined, undefined, undefined, undefined, undefined, over(q.p95Ms)],
  }));
  const cols = [
    { label: 'request', name: true },
    { label: 'method' },
    { label: 'count', num: true },
    { label: 'failed', num: true },
    { label: 'rate', num: true },
    { label: 'p50', num: true },
    { label: 'p95', num: true },
    { label: 'p99', num: true },
    { label: 'max', num: true },
    { label: 'statuses', name: true },
  ];
  return `<section id="requests"><h2>Requests</h2>${htmlTable(cols, rows, 'request-table')}${p95LimitMs !== null ? `<p class="small">p95 in red: at or above the ${e(p95LimitMs)} ms SLO.</p>` : ''}</section>`;
}

/** A distributed run's load pods, each with its own figures (the rest of the report is the merged ones): a skewed, starved or lost pod shows here. */
export function podSection(s: RunSummary): string {
  if (!s.pods?.length) return '';
  const rows = s.pods.map((p) => ({
    className: p.status === 'lost' ? 'row-fail' : '',
    cells: [
      e(p.index),
      p.status === 'lost' ? `<strong>✗ LOST</strong> at ${e(formatDuration(p.lostAtMs ?? 0))}` : e(p.status),
      e(p.workers),
      e(formatCount(p.requests)),
      e(formatPercent(p.errorRate)),
      e(formatCount(p.droppedIterations)),
      e(formatMs(p.p50Ms)),
      e(formatMs(p.p95Ms)),
      e(formatMs(p.p99Ms)),
      e(formatCount(p.vusMax)),
      e(p.reason ?? ''),
    ],
  }));
  const cols = [
    { label: 'pod', num: true },
    { label: 'status' },
    { label: 'workers', num: true },
    { label: 'requests', num: true },
    { label: 'errors', num: true },
    { label: 'dropped', num: true },
    { label: 'p50', num: true },
    { label: 'p95', num: true },
    { label: 'p99', num: true },
    { label: 'VUs max', num: true },
    { label: 'why lost', name: true },
  ];
  return `<section id="pods"><h2>Load pods</h2>${htmlTable(cols, rows, 'pod-table')}<p class="small">Every other figure of this report is the pods' merged data.</p></section>`;
}

export function checkSection(s: RunSummary): string {
  if (s.checks.length === 0) return '';
  const rows = s.checks.map((c) => {
    const total = c.passes + c.fails;
    return {
      className: total && c.fails / total >= 0.01 ? 'row-fail' : '',
      cells: [e(c.name), e(formatCount(c.passes)), e(formatCount(c.fails)), e(total ? formatPercent(c.passes / total) : '–')],
    };
  });
  return `<section id="checks"><h2>Checks</h2>${htmlTable(
    [
      { label: 'check', name: true },
      { label: 'passes', num: true },
      { label: 'fails', num: true },
      { label: 'pass rate', num: true },
    ],
    rows,
    'check-table',
  )}</section>`;
}
