import type { ChartId, ChartSpec } from './chart-options.ts';
import { faultLabel } from './chaos-timeline-chart.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatClock, formatCount, formatDuration, formatMs, formatPercent } from './format-values.ts';
import { chartCard } from './html-analysis-sections.ts';
import { htmlTable, resultCell } from './html-table.ts';
import type { ChaosAnalysis, DataLossLedger, Distribution, FaultRecord, ProbeSeries, RunSummary, RunVerdict } from '../result/summary-model.ts';
import { availabilityMet, steadyStateFailed } from './verdict-words.ts';
import { failedOn } from '../result/verdict.ts';
import { faultSubject } from '../result/failure.ts';

type Charts = Partial<Record<ChartId, ChartSpec>>;

/** A moment of the run to a tenth of a second: detection and recovery are often under a second apart. */
const at = (ms: number): string => {
  const tenths = Math.round(ms / 100);
  return `${formatClock(Math.floor(tenths / 10) * 1000)}.${tenths % 10}`;
};
const after = (ms: number | null): string => (ms === null ? '' : `<br><span class="small">+${e(formatDuration(ms))}</span>`);
const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * The chaos outcomes a reader must not miss, as red boxes above everything else (like dropped
 * iterations): a write the platform acknowledged and then lost, a fault left in place, an
 * experiment stopped by its abort condition.
 */
export function chaosAlerts(s: RunSummary): string {
  const c = s.chaos;
  if (!c) return '';
  const out: string[] = [];
  const l = c.ledger;
  if (l && (l.lostCount > 0 || l.duplicatedCount > 0)) {
    const heads = [
      l.lostCount > 0 ? `${plural(l.lostCount, 'acknowledged write was', 'acknowledged writes were')} LOST` : '',
      l.duplicatedCount > 0 ? `${plural(l.duplicatedCount, 'write was', 'writes were')} DUPLICATED` : '',
    ].filter(Boolean);
    const allowed =
      l.lostCount > 0 && l.lostCount <= c.expectations.maxLostWrites ? ` (within the ${formatCount(c.expectations.maxLostWrites)} the experiment allows)` : '';
    out.push(`<section class="alert" role="alert" data-testid="data-loss-alert"><strong class="big">⚠ ${heads.join(' and ')}</strong>
${l.lostCount > 0 ? `The platform acknowledged ${l.lostCount === 1 ? 'this write' : 'these writes'} (2xx with an order id), but ${l.lostCount === 1 ? 'it is' : 'they are'} not in the ${e(l.source)}${allowed}: ${keyList(l.lost, l.lostCount)}. ` : ''}${l.duplicatedCount > 0 ? `Applied more than once: ${keyList(l.duplicated, l.duplicatedCount)}. ` : ''}The data-loss ledger below has every count.</section>`);
  }
  if (!c.rollback.complete) {
    out.push(`<section class="alert" role="alert" data-testid="rollback-alert"><strong class="big">⚠ Rollback INCOMPLETE: a fault may still be in place</strong>
Check the platform before trusting another run on it.${c.rollback.problems.length ? `<ul>${c.rollback.problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul>` : ' No problem was recorded.'}</section>`);
  }
  if (c.abortedBy) {
    const a = c.abortedBy;
    out.push(`<section class="alert" role="alert" data-testid="chaos-abort-alert"><strong class="big">⚠ Experiment ABORTED at ${e(at(a.atMs))}</strong>
Probe <strong>${e(a.probe)}</strong> met its abort condition: ${e(a.reason)}. The faults were rolled back early; measurements after ${e(at(a.atMs))} are missing.</section>`);
  }
  return out.join('\n');
}

/** Keys as code, with how many more the ledger did not list (it keeps the first 50). */
function keyList(keys: readonly string[], count: number): string {
  const listed = keys.map((k) => `<code>${e(k)}</code>`).join(', ');
  return `${listed || '(keys not recorded)'}${count > keys.length ? ` and ${e(formatCount(count - keys.length))} more` : ''}`;
}

function bar(ratio: number, testid: string, label: string, over: boolean): string {
  const pct = Math.max(0, Math.min(100, ratio * 100));
  return `<div class="bar${over ? ' bar-over' : ''}" role="meter" aria-label="${e(label)}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${e(Math.round(ratio * 1000) / 10)}" data-testid="${e(testid)}"><span style="width:${pct.toFixed(1)}%"></span></div>`;
}

function headline(c: ChaosAnalysis, v: RunVerdict): string {
  const passed = c.faults.filter((f) => f.verdict === 'passed').length;
  const av = c.availability;
  const met = availabilityMet(c, v);
  const budget = av.errorBudgetConsumed;
  const fig = (label: string, value: string, cls = ''): string => `<div><dt>${e(label)}</dt><dd${cls ? ` class="${cls}"` : ''}>${value}</dd></div>`;
  const worstMttr = Math.max(-1, ...c.faults.map((f) => f.mttrMs ?? -1));
  return `<dl class="figures" data-testid="chaos-figures">
${fig('faults passed', `${e(passed)} of ${e(c.faults.length)}`, passed < c.faults.length ? 'result-fail' : 'result-pass')}
${fig('availability', `${e(formatPercent(av.ratio))} <span class="small">objective ${e(formatPercent(av.objective))}</span>`, met === false ? 'result-fail' : '')}
${fig('error budget consumed', e(formatPercent(budget)), budget !== null && budget > 1 ? 'result-fail' : '')}
${fig('resilience score', c.resilienceScore === null ? '–' : `${e(c.resilienceScore.toFixed(1))} <span class="small">/ 100</span>`)}
${fig('worst MTTR', worstMttr < 0 ? '–' : e(formatDuration(worstMttr)), c.faults.some((f) => f.mttrMs !== null && failedOn(v, 'fault', faultSubject(f), { measure: 'mttr' })) ? 'result-fail' : '')}
</dl>
<div class="budget"><p class="small">Error budget of the experiment: ${e(formatCount(av.total - av.good))} bad of ${e(formatCount(av.total))} probe samples, against the ${e(formatPercent(1 - av.objective))} that ${e(formatPercent(av.objective))} availability allows${budget !== null && budget > 1 ? ` — <strong class="result-fail">over budget, ${e(budget.toFixed(1))}×</strong>` : ''}.</p>
${budget === null ? '' : bar(budget, 'error-budget', 'error budget consumed', budget > 1)}
${c.resilienceScore === null ? '' : `<p class="small">Resilience score (Σ weight × probe success % / Σ weight):</p>${bar(c.resilienceScore / 100, 'resilience-score', 'resilience score', false)}`}</div>`;
}

function faultRow(f: FaultRecord, c: ChaosAnalysis, v: RunVerdict): { className: string; cells: string[]; cellClass: (string | undefined)[] } {
  const missed = (measure: string): boolean => failedOn(v, 'fault', faultSubject(f), { measure });
  const reverted = f.selfHealing
    ? '<span class="small">self-healing</span>'
    : f.revertedMs === null
      ? `<strong class="result-fail">revert FAILED</strong>${f.revertError ? ` <span class="small">${e(f.revertError)}</span>` : ''}`
      : e(at(f.revertedMs));
  const alert =
    f.alertMs === null
      ? '<span class="small">none fired</span>'
      : `${e(f.alertName ?? 'alert')}<br><span class="small">at ${e(at(f.alertMs))}, +${e(formatDuration(f.timeToAlertMs ?? f.alertMs - f.injectedMs))}</span>`;
  const verdict = `${resultCell(f.verdict === 'passed' ? 'pass' : 'fail')}${f.reasons.length ? `<ul class="reasons">${f.reasons.map((r) => `<li>${e(r)}</li>`).join('')}</ul>` : ''}`;
  return {
    className: f.verdict === 'failed' ? 'row-fail' : '',
    cells: [
      `${e(faultLabel(f, c.faults))}<br><span class="small">${e(f.type)} (id ${e(f.id)}): ${e(f.targets)}</span>`,
      e(at(f.injectedMs)),
      f.detectedMs === null ? '<span class="small">not detected</span>' : `${e(at(f.detectedMs))}${after(f.timeToDetectMs)}`,
      alert,
      reverted,
      f.recoveredMs === null ? '<strong class="result-fail">NEVER</strong>' : e(at(f.recoveredMs)),
      f.mttrMs === null ? '–' : e(formatDuration(f.mttrMs)),
      e(formatPercent(f.availability)),
      verdict,
    ],
    cellClass: [undefined, undefined, missed('time-to-detect') ? 'over' : undefined, undefined, undefined, undefined, missed('mttr') ? 'over' : undefined],
  };
}

function faultTable(c: ChaosAnalysis, v: RunVerdict): string {
  if (c.faults.length === 0) return '<p class="small">No fault was injected.</p>';
  const cols = [
    { label: 'fault and targets', name: true },
    { label: 'injected', num: true },
    { label: 'detected', num: true },
    { label: 'alert fired' },
    { label: 'reverted', num: true },
    { label: 'recovered', num: true },
    { label: 'MTTR', num: true },
    { label: 'availability', num: true },
    { label: 'verdict' },
  ];
  const x = c.expectations;
  return `${htmlTable(
    cols,
    c.faults.map((f) => faultRow(f, c, v)),
    'fault-table',
  )}
<p class="small">Times are from the start of the load. Expected per fault: MTTR ≤ ${e(formatDuration(x.mttrMs))}, detection ≤ ${e(formatDuration(x.detectionMs))}. MTTR counts from the revert (self-healing faults: from the injection) to the first of ${e(c.recoverWindows)} good ${e(formatDuration(c.windowMs))} windows in a row; availability is good probe samples / all from the injection to the recovery.</p>`;
}

/** Only worth a table when a step repeated: one value has no spread. */
function distributionTable(c: ChaosAnalysis): string {
  const steps = new Map<string, number>();
  for (const f of c.faults) {
    const step = f.id.split('.')[0]!;
    steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  if (![...steps.values()].some((n) => n > 1) || c.distributions.length === 0) return '';
  const cell = (d: Distribution): string[] => (d.count === 0 ? ['–', '–', '–'] : [d.p50, d.p95, d.max].map((v) => (v === null ? '–' : e(formatDuration(v)))));
  const cols = ['MTTR', 'detection', 'alert'].flatMap((m) => [
    { label: `${m} p50`, num: true },
    { label: `${m} p95`, num: true },
    { label: `${m} max`, num: true },
  ]);
  const rows = c.distributions.map((d) => ({
    cells: [
      `${e(d.name)} <span class="small">(n = ${e(d.mttr.count)}${d.timeToAlert.count !== d.mttr.count ? `; ${e(d.timeToAlert.count)} alerted` : ''})</span>`,
      ...cell(d.mttr),
      ...cell(d.timeToDetect),
      ...cell(d.timeToAlert),
    ],
  }));
  return `<h3>Recovery over repeated faults</h3>${htmlTable([{ label: 'faults', name: true }, ...cols], rows, 'distribution-table')}
<p class="small">Recovery times are heavy-tailed and few: read the p95 and the max, not a mean.</p>`;
}

export function chaosSection(s: RunSummary, charts: Charts): string {
  const c = s.chaos;
  if (!c) return '';
  const timeline = chartCard('chaosTimeline', charts.chaosTimeline);
  return `<section id="chaos" data-testid="chaos"><h2>Chaos experiment</h2>
${headline(c, s.verdict)}
${timeline ? `<div class="charts">${timeline}</div>` : ''}
<h3>Faults</h3>${faultTable(c, s.verdict)}
${distributionTable(c)}</section>
${steadyStateSection(c, s.verdict)}
${ledgerSection(c)}
${rollbackSection(c)}`;
}

function steadyStateSection(c: ChaosAnalysis, v: RunVerdict): string {
  const checks = c.steadyState.length
    ? htmlTable(
        [{ label: 'phase' }, { label: 'span', num: true }, { label: 'good windows', num: true }, { label: 'result' }, { label: 'note', name: true }],
        c.steadyState.map((x) => ({
          className: steadyStateFailed(v, x.phase) ? 'row-fail' : '',
          cells: [
            e(x.phase),
            `${e(formatClock(x.startMs))}–${e(formatClock(x.endMs))}`,
            `${e(formatCount(x.goodWindows))} of ${e(formatCount(x.windows))}`,
            // 'during' is reported, not judged: the faults are expected to disturb it.
            resultCell(x.ok ? 'pass' : steadyStateFailed(v, x.phase) ? 'fail' : 'unjudged'),
            x.note ? `<span class="small">${e(x.note)}</span>` : '',
          ],
        })),
        'steady-state-table',
      )
    : '<p class="small">No steady-state check was judged.</p>';
  return `<section id="steady-state" data-testid="steady-state"><h2>Steady-state hypothesis</h2>
<p class="small">A ${e(formatDuration(c.windowMs))} window is good when every probe's samples in it are good. The hypothesis is judged before the first fault and after recovery; during the faults it is only reported.</p>
${checks}
<h3>Probes</h3>${probeTable(c.probes)}</section>`;
}

function probeTable(probes: readonly ProbeSeries[]): string {
  if (probes.length === 0) return '<p class="small">No probe samples.</p>';
  const rows = probes.map((p) => {
    const good = p.ok.filter(Boolean).length;
    const lat = p.latencyMs.filter((v): v is number => v !== null).sort((a, b) => a - b);
    const p95 = lat.length ? lat[Math.min(lat.length - 1, Math.ceil(lat.length * 0.95) - 1)]! : null;
    const errors = Object.entries(p.errors)
      .sort((a, b) => b[1] - a[1])
      .map(([why, n]) => `${e(why)} ×${e(formatCount(n))}`)
      .join(' · ');
    return {
      className: good < p.ok.length ? 'row-fail' : '',
      cells: [
        e(p.name),
        e(p.type),
        e(p.everyMs < 1000 ? `${p.everyMs} ms` : formatDuration(p.everyMs)),
        e(formatCount(p.ok.length)),
        e(p.ok.length ? formatPercent(good / p.ok.length) : '–'),
        e(formatMs(p95)),
        errors ? `<span class="small">${errors}</span>` : '',
      ],
    };
  });
  return htmlTable(
    [
      { label: 'probe', name: true },
      { label: 'type' },
      { label: 'every', num: true },
      { label: 'samples', num: true },
      { label: 'good', num: true },
      { label: 'p95 latency', num: true },
      { label: 'failures', name: true },
    ],
    rows,
    'probe-table',
  );
}

function ledgerSection(c: ChaosAnalysis): string {
  const l: DataLossLedger | null = c.ledger;
  if (!l) return '';
  const row = (label: string, n: number, what: string, fail = false) => ({
    className: fail ? 'row-fail' : '',
    cells: [
      fail ? `<strong>${e(label)}</strong>` : e(label),
      fail ? `<strong>${e(formatCount(n))}</strong>` : e(formatCount(n)),
      `<span class="small">${what}</span>`,
    ],
  });
  const rows = [
    row('attempted', l.attempted, 'writes the ledger placed, each with its own idempotency key'),
    row('acknowledged', l.acknowledged, 'answered 2xx with an order id'),
    row('unacknowledged', l.unacknowledged, 'failed or timed out: the client would retry; not a loss'),
    row('LOST', l.lostCount, `acknowledged but missing from the ${e(l.source)}${l.lostCount ? `: ${keyList(l.lost, l.lostCount)}` : ''}`, l.lostCount > 0),
    row(
      'DUPLICATED',
      l.duplicatedCount,
      `applied more than once${l.duplicatedCount ? `: ${keyList(l.duplicated, l.duplicatedCount)}` : ''}`,
      l.duplicatedCount > 0,
    ),
    row('applied, unacknowledged', l.appliedUnacknowledged, 'landed although the answer did not (informational)'),
  ];
  const clean = l.lostCount === 0 && l.duplicatedCount === 0;
  return `<section id="ledger" data-testid="ledger"><h2>Data-loss ledger</h2>
<p>${clean ? `<span class="result-pass">✓ Every acknowledged write was read back exactly once</span>` : `<strong class="result-fail">✗ ${e([l.lostCount ? `${formatCount(l.lostCount)} LOST` : '', l.duplicatedCount ? `${formatCount(l.duplicatedCount)} DUPLICATED` : ''].filter(Boolean).join(', '))}</strong> (allowed lost: ${e(formatCount(c.expectations.maxLostWrites))})`} <span class="small">Read back from the ${e(l.source)}.</span></p>
${htmlTable(
  [
    { label: 'writes', name: true },
    { label: 'count', num: true },
    { label: 'meaning', name: true },
  ],
  rows,
  'ledger-table',
)}</section>`;
}

function rollbackSection(c: ChaosAnalysis): string {
  const body = c.rollback.complete
    ? '<p><span class="result-pass">✓ Every fault was rolled back.</span></p>'
    : `<p><strong class="result-fail">✗ Rollback INCOMPLETE</strong>:</p><ul>${c.rollback.problems.map((p) => `<li>${e(p)}</li>`).join('') || '<li>no problem recorded</li>'}</ul>`;
  return `<section id="rollback" data-testid="rollback"><h2>Rollback</h2>${body}</section>`;
}
