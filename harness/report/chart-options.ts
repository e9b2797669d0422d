import type { EChartsOption, LineSeriesOption, MarkAreaComponentOption, MarkLineComponentOption } from 'echarts';
import { chaosTimelineChart } from './chaos-timeline-chart.ts';
import { downsampleSeries } from './downsample-series.ts';
import { formatClock } from './format-values.ts';
import { sloLimits, type ChartLimit } from './slo-limits.ts';
import type { Phase, RunSummary } from '../result/summary-model.ts';

export type ChartId = 'latency' | 'throughput' | 'errors' | 'cache' | 'platformP95' | 'stress' | 'soakRss' | 'chaosTimeline';

/**
 * One chart for the page. Options are plain JSON (embedded in the HTML, so no functions): the page
 * script adds the few formatters by `unit` and `timeAxis`.
 */
export interface ChartSpec {
  readonly title: string;
  /** Shown under the title: what the reader should know to read the chart right. */
  readonly caption?: string;
  /** Unit of the main value axis, for tooltip formatting. */
  readonly unit: 'ms' | 'rps' | '%' | 'MB';
  /** Series whose unit differs from `unit` (those on a second axis); '' for plain counts. */
  readonly seriesUnits?: Readonly<Record<string, string>>;
  /** x values are seconds from the run start (the page labels them m:ss). */
  readonly timeAxis: boolean;
  /** A chart whose plots stack (the fault timeline's probe lanes) needs more than the standard height. */
  readonly heightPx?: number;
  readonly option: EChartsOption;
}

const COLORS = {
  p50: '#64748b',
  p95: '#2563eb',
  p99: '#9333ea',
  rps: '#0e7490',
  target: '#64748b',
  vus: '#a3a3a3',
  dropped: '#dc2626',
  errors: '#dc2626',
  cacheClient: '#16a34a',
  cachePlatform: '#b45309',
  slo: '#dc2626',
};

const PHASE_COLORS: Readonly<Record<Phase['kind'], string>> = {
  warmup: 'rgba(148,163,184,0.22)',
  ramp: 'rgba(59,130,246,0.10)',
  steady: 'rgba(34,197,94,0.07)',
  'stress-step': 'rgba(99,102,241,0.07)',
  spike: 'rgba(249,115,22,0.16)',
  fault: 'rgba(239,68,68,0.16)',
  recovery: 'rgba(234,179,8,0.16)',
  cooldown: 'rgba(148,163,184,0.22)',
};

/** Plot width the phase labels are sized for: a half-width chart at 1280 px. Narrower screens truncate more. */
const LABEL_PLOT_PX = 460;

/**
 * Phases as shaded, labelled bands; consecutive steps alternate so their borders show. Each label
 * is cut (with an ellipsis) to its band's share of the plot so neighbours do not overprint.
 */
export function phaseMarkArea(phases: readonly Phase[], totalMs: number): MarkAreaComponentOption {
  return {
    silent: true,
    label: { show: true, position: 'insideTop', color: '#475569', fontSize: 11, overflow: 'truncate' },
    data: phases.map((p, i) => [
      {
        name: p.name,
        xAxis: p.startMs / 1000,
        itemStyle: { color: p.kind === 'stress-step' && i % 2 === 1 ? 'rgba(99,102,241,0.15)' : PHASE_COLORS[p.kind] },
        label: { width: Math.max(14, Math.floor((LABEL_PLOT_PX * (p.endMs - p.startMs)) / Math.max(1, totalMs)) - 4) },
      },
      { xAxis: p.endMs / 1000 },
    ]),
  };
}

/** A dashed limit line; `scale` turns ratios into the chart's percent. */
function limitLine(limit: ChartLimit, text: (v: number) => string, scale = 1): MarkLineComponentOption {
  const value = limit.value * scale;
  const label = `${limit.from} ${text(+value.toFixed(2))}`;
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { color: COLORS.slo, type: 'dashed', width: 1.5 },
    label: { formatter: label, position: 'insideEndTop', color: COLORS.slo },
    data: [{ yAxis: value }],
  };
}

const base = (legend: boolean): EChartsOption => ({
  animation: false,
  grid: { left: 8, right: 16, top: legend ? 44 : 28, bottom: 8, containLabel: true },
  tooltip: { trigger: 'axis', confine: true },
  ...(legend ? { legend: { top: 0, type: 'scroll' } } : {}),
});

const timeAxis = (maxS: number) => ({ type: 'value' as const, min: 0, max: Math.ceil(maxS), splitLine: { show: false } });

function line(name: string, color: string, data: (readonly [number, number | null])[], extra: Partial<LineSeriesOption> = {}): LineSeriesOption {
  return {
    type: 'line',
    name,
    data: data as LineSeriesOption['data'],
    showSymbol: false,
    sampling: 'lttb',
    lineStyle: { width: 1.6, color },
    itemStyle: { color },
    ...extra,
  };
}

/** y-axis max that keeps a limit line on screen even when every value is far below it. */
function maxWithLimit(values: readonly (number | null)[], limit: ChartLimit | null, scale = 1): number | undefined {
  if (limit === null) return undefined;
  const top = Math.max(0, ...values.filter((v): v is number => v !== null));
  const at = limit.value * scale;
  return top < at * 1.1 ? Math.ceil((at * 1.2) / 10) * 10 : undefined;
}

/** Every chart the run's data supports; absent keys mean "no data for this chart". */
export function chartSpecs(s: RunSummary): Partial<Record<ChartId, ChartSpec>> {
  const { series, factor } = downsampleSeries(s.series);
  const limits = sloLimits(s);
  const endS = Math.max(s.run.durationMs, ...s.phases.map((p) => p.endMs)) / 1000;
  const ts = series.t.map((t) => t / 1000);
  const pairs = (col: readonly (number | null)[], scale = 1): [number, number | null][] =>
    ts.map((t, i) => [t, col[i] === null || col[i] === undefined ? null : col[i]! * scale]);
  const phases = phaseMarkArea(s.phases, endS * 1000);
  const bucketNote =
    factor > 1
      ? `Each point merges ${factor} intervals (${(series.intervalMs / 1000).toFixed(0)} s), showing the worst latency and error rate of each.`
      : undefined;
  const charts: Partial<Record<ChartId, ChartSpec>> = {};
  // Probes can have sampled even when the load recorded nothing.
  const chaos = chaosTimelineChart(s);
  if (chaos) charts.chaosTimeline = chaos;
  if (series.t.length === 0) return charts;

  charts.latency = {
    title: 'Latency percentiles',
    ...(bucketNote ? { caption: bucketNote } : {}),
    unit: 'ms',
    timeAxis: true,
    option: {
      ...base(true),
      xAxis: timeAxis(endS),
      yAxis: { type: 'value', name: 'ms', max: maxWithLimit(series.p95Ms, limits.p95Ms) },
      dataZoom: [{ type: 'inside' }],
      series: [
        line('p50', COLORS.p50, pairs(series.p50Ms), { markArea: phases }),
        line('p95', COLORS.p95, pairs(series.p95Ms), limits.p95Ms === null ? {} : { markLine: limitLine(limits.p95Ms, (v) => `p95 < ${v} ms`) }),
        line('p99', COLORS.p99, pairs(series.p99Ms), { lineStyle: { width: 1, color: COLORS.p99, opacity: 0.7 } }),
      ],
    },
  };

  const hasTarget = series.targetRps.some((v) => v !== null);
  const hasDropped = series.dropped.some((v) => v > 0);
  charts.throughput = {
    title: hasTarget ? 'Throughput (achieved vs target)' : 'Throughput',
    ...(hasDropped ? { caption: 'Red bars: iterations dropped because every VU was busy; the platform saw less load than planned.' } : {}),
    unit: 'rps',
    seriesUnits: { VUs: '', dropped: '' },
    timeAxis: true,
    option: {
      ...base(true),
      xAxis: timeAxis(endS),
      yAxis: [
        { type: 'value', name: 'rps' },
        { type: 'value', name: hasDropped ? 'VUs / dropped' : 'VUs', splitLine: { show: false } },
      ],
      dataZoom: [{ type: 'inside' }],
      series: [
        line('achieved rps', COLORS.rps, pairs(series.rps), { markArea: phases, areaStyle: { opacity: 0.08 } }),
        ...(hasTarget
          ? [line('target rps', COLORS.target, pairs(series.targetRps), { step: 'end', lineStyle: { width: 1.2, type: 'dashed', color: COLORS.target } })]
          : []),
        line('VUs', COLORS.vus, pairs(series.vus), { yAxisIndex: 1, lineStyle: { width: 1, color: COLORS.vus } }),
        ...(hasDropped
          ? [
              {
                type: 'bar' as const,
                name: 'dropped',
                yAxisIndex: 1,
                data: pairs(series.dropped) as [number, number][],
                itemStyle: { color: COLORS.dropped },
                barMaxWidth: 6,
              },
            ]
          : []),
      ],
    },
  };

  charts.errors = {
    title: 'Error rate',
    caption: 'Share of requests with an unexpected status or no response, per interval.',
    unit: '%',
    timeAxis: true,
    option: {
      ...base(false),
      xAxis: timeAxis(endS),
      yAxis: {
        type: 'value',
        name: '%',
        min: 0,
        max: maxWithLimit(
          series.errorRate.map((v) => v * 100),
          limits.errorRate,
          100,
        ),
      },
      dataZoom: [{ type: 'inside' }],
      series: [
        line('error rate', COLORS.errors, pairs(series.errorRate, 100), {
          markArea: phases,
          areaStyle: { opacity: 0.12, color: COLORS.errors },
          ...(limits.errorRate === null ? {} : { markLine: limitLine(limits.errorRate, (v) => `< ${v} %`, 100) }),
        }),
      ],
    },
  };

  const platformCache = s.platform?.available ? s.platform.cacheHitSeries : null;
  if (series.cacheHitRate.some((v) => v !== null) || (platformCache && platformCache.points.length > 0)) {
    charts.cache = {
      title: 'Cache hit rate',
      caption: platformCache
        ? 'Client: the x-cache header on product reads. Platform: the gateways’ cache counters in Prometheus.'
        : 'From the x-cache header on product reads (no platform series).',
      unit: '%',
      timeAxis: true,
      option: {
        ...base(true),
        xAxis: timeAxis(endS),
        yAxis: { type: 'value', name: '%', min: 0, max: 100 },
        dataZoom: [{ type: 'inside' }],
        series: [
          line('client (x-cache)', COLORS.cacheClient, pairs(series.cacheHitRate, 100), {
            markArea: phases,
            ...(limits.cacheHitRate === null ? {} : { markLine: limitLine(limits.cacheHitRate, (v) => `> ${v} %`, 100) }),
          }),
          ...(platformCache
            ? [
                line(
                  'platform (Prometheus)',
                  COLORS.cachePlatform,
                  platformCache.points.map(([t, v]) => [t / 1000, v * 100] as const),
                  { showSymbol: true, symbolSize: 4 },
                ),
              ]
            : []),
        ],
      },
    };
  }

  const serverP95 = s.platform?.available ? s.platform.serverP95Series : null;
  if (serverP95 && serverP95.points.length > 0) {
    charts.platformP95 = {
      title: 'p95 latency: server vs client',
      caption: `Server: ${serverP95.name}. The gap is the network, TLS and the edge.`,
      unit: 'ms',
      timeAxis: true,
      option: {
        ...base(true),
        xAxis: timeAxis(endS),
        yAxis: { type: 'value', name: 'ms' },
        dataZoom: [{ type: 'inside' }],
        series: [
          line(
            'server p95',
            COLORS.cachePlatform,
            serverP95.points.map(([t, v]) => [t / 1000, v] as const),
            { markArea: phases, showSymbol: true, symbolSize: 4 },
          ),
          line('client p95', COLORS.p95, pairs(series.p95Ms), limits.p95Ms === null ? {} : { markLine: limitLine(limits.p95Ms, (v) => `p95 < ${v} ms`) }),
        ],
      },
    };
  }

  if (s.stress && s.stress.steps.length > 0) charts.stress = stressChart(s, limits.p95Ms);

  const rss = s.platform?.available ? s.platform.rssMb.filter((r) => r.points.length > 0) : [];
  if (s.soak && rss.length > 0) {
    const bursts: MarkAreaComponentOption = {
      silent: true,
      label: { show: true, position: 'insideBottom', color: COLORS.errors, fontSize: 11 },
      data: s.soak.errorBursts.map((b) => [
        { name: `${b.errors} errors`, xAxis: b.startMs / 1000, itemStyle: { color: 'rgba(220,38,38,0.18)' } },
        { xAxis: b.endMs / 1000 },
      ]),
    };
    charts.soakRss = {
      title: 'Resident memory per instance',
      caption: 'Red bands: error bursts. A steady climb that does not level off is a leak.',
      unit: 'MB',
      timeAxis: true,
      option: {
        ...base(true),
        xAxis: timeAxis(endS),
        yAxis: { type: 'value', name: 'MB', scale: true },
        dataZoom: [{ type: 'inside' }],
        series: rss.map((r, i) =>
          line(
            r.name,
            ['#2563eb', '#0e7490', '#9333ea', '#b45309', '#16a34a', '#db2777'][i % 6]!,
            r.points.map(([t, v]) => [t / 1000, v] as const),
            i === 0 ? { markArea: bursts } : {},
          ),
        ),
      },
    };
  }
  return charts;
}

function stressChart(s: RunSummary, p95Limit: ChartLimit | null): ChartSpec {
  const stress = s.stress!;
  const labels = stress.steps.map((st) => `${Math.round(st.targetRps)} rps\n${formatClock(st.startMs)}`);
  // Rates only climb in a stress run, so the last held window at the breaking rate is the one to mark.
  const bp = stress.breakingPointRps;
  const bpIndex = bp === null ? -1 : stress.steps.findLastIndex((st) => st.held && Math.round(st.targetRps) === Math.round(bp));
  const bpLine: MarkLineComponentOption | undefined =
    bpIndex === -1
      ? undefined
      : {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#111827', type: 'solid', width: 2 },
          label: { formatter: `breaking point ${Math.round(bp!)} rps`, position: 'end', color: '#111827', fontWeight: 'bold' },
          data: [{ xAxis: bpIndex }],
        };
  return {
    title: 'Stress steps: achieved rate and p95',
    caption: 'Bars: achieved rps (green held every SLO, red did not). Line: p95 (right axis).',
    unit: 'rps',
    seriesUnits: { p95: 'ms' },
    timeAxis: false,
    option: {
      ...base(true),
      grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 10, lineHeight: 13 } },
      yAxis: [
        { type: 'value', name: 'rps' },
        {
          type: 'value',
          name: 'p95 ms',
          splitLine: { show: false },
          max: maxWithLimit(
            stress.steps.map((st) => st.p95Ms),
            p95Limit,
          ),
        },
      ],
      series: [
        {
          type: 'bar',
          name: 'achieved rps',
          itemStyle: { color: '#16a34a' },
          data: stress.steps.map((st) => ({ value: Math.round(st.achievedRps * 10) / 10, itemStyle: { color: st.held ? '#16a34a' : '#dc2626' } })),
          ...(bpLine ? { markLine: bpLine } : {}),
        },
        {
          type: 'line',
          name: 'target rps',
          data: stress.steps.map((st) => Math.round(st.targetRps)),
          step: 'middle',
          showSymbol: false,
          lineStyle: { type: 'dashed', color: COLORS.target },
          itemStyle: { color: COLORS.target },
        },
        {
          type: 'line',
          name: 'p95',
          yAxisIndex: 1,
          data: stress.steps.map((st) => (st.p95Ms === null ? null : Math.round(st.p95Ms * 10) / 10)),
          lineStyle: { color: COLORS.p95 },
          itemStyle: { color: COLORS.p95 },
          ...(p95Limit === null ? {} : { markLine: limitLine(p95Limit, (v) => `p95 < ${v} ms`) }),
        },
      ],
    },
  };
}
