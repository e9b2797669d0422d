import type { EChartsOption, LineSeriesOption, MarkAreaComponentOption, MarkLineComponentOption } from 'echarts';
import type { ChartSpec } from './chart-options.ts';
import { downsampleSeries, MAX_CHART_POINTS } from './downsample-series.ts';
import type { ChaosAnalysis, FaultRecord, ProbeSeries, RunSummary } from '../result/summary-model.ts';

const COLORS = { p95: '#2563eb', errors: '#dc2626', detected: '#d97706', alert: '#7c3aed', recovered: '#15803d', bad: 'rgba(220,38,38,0.55)' };
const PROBE_COLORS = ['#0e7490', '#9333ea', '#b45309', '#16a34a', '#db2777', '#475569'];
/** The fault band colour of the phase shading (PHASE_COLORS.fault), a shade darker for every other band so neighbours show. */
const FAULT_BANDS = ['rgba(239,68,68,0.16)', 'rgba(239,68,68,0.26)'];

/** Pixel layout: the two plots share one x axis, so both grids get the same fixed left and right edges. */
const LAYOUT = { left: 118, right: 52, top: 58, topPlot: 190, gap: 46, lane: 26, bottom: 30 };
/** Plot width the fault labels are sized for (the full-width card at 1280 px). */
const LABEL_PLOT_PX = 1000;

/** Where a fault's band ends: its revert, or its recovery when it heals itself or its revert failed. */
export function faultEndMs(f: FaultRecord, runEndMs: number): number {
  if (!f.selfHealing && f.revertedMs !== null) return f.revertedMs;
  return f.recoveredMs ?? runEndMs;
}

/** Repeated steps share a name; the repeat number (from the `<step>.<repeat>` id, counted from 1) tells them apart. */
export function faultLabel(f: FaultRecord, faults: readonly FaultRecord[]): string {
  if (faults.filter((g) => g.name === f.name).length < 2) return f.name;
  const repeat = /^\d+\.(\d+)$/.exec(f.id);
  return repeat ? `${f.name} #${Number(repeat[1]) + 1}` : `${f.name} (${f.id})`;
}

function faultBands(c: ChaosAnalysis, endMs: number, labelled: boolean): MarkAreaComponentOption {
  return {
    silent: true,
    // Above the plot, where the detection and recovery labels cannot run into them.
    label: { show: labelled, position: 'top', distance: 3, color: '#7f1d1d', fontSize: 11, overflow: 'truncate' },
    data: c.faults.map((f, i) => {
      const to = faultEndMs(f, endMs);
      // A band only a few pixels wide would show a lone ellipsis; the fault table names it.
      const width = Math.floor((LABEL_PLOT_PX * (to - f.injectedMs)) / Math.max(1, endMs)) - 4;
      return [
        {
          name: faultLabel(f, c.faults),
          xAxis: f.injectedMs / 1000,
          itemStyle: { color: FAULT_BANDS[i % 2] },
          label: { show: labelled && width >= 30, width: Math.max(14, width) },
        },
        { xAxis: to / 1000 },
      ];
    }),
  };
}

/**
 * Detection, alert and recovery of every fault as vertical lines; the top plot labels them, the
 * lanes repeat them bare. A label closer than about 1.5 % of the run to the previous shown one is
 * dropped (a killed replica is detected, alerted on and recovered within seconds): the colour
 * still tells, and the fault table has every time.
 */
function faultMarkers(c: ChaosAnalysis, endMs: number, labelled: boolean): MarkLineComponentOption {
  const marks = c.faults
    .flatMap((f) => [
      { ms: f.detectedMs, color: COLORS.detected, text: 'detected', type: 'dashed' as const },
      { ms: f.alertMs, color: COLORS.alert, text: 'alert', type: 'dotted' as const },
      { ms: f.recoveredMs, color: COLORS.recovered, text: 'recovered', type: 'solid' as const },
    ])
    .filter((m): m is typeof m & { ms: number } => m.ms !== null)
    .sort((a, b) => a.ms - b.ms);
  let lastShown = -Infinity;
  return {
    silent: true,
    symbol: 'none',
    data: marks.map((m) => {
      const show = labelled && m.ms - lastShown >= endMs * 0.015;
      if (show) lastShown = m.ms;
      return {
        xAxis: m.ms / 1000,
        lineStyle: { color: m.color, type: m.type, width: 1.5 },
        label: { show, formatter: m.text, color: m.color, fontSize: 10, position: 'insideEndTop' as const },
      };
    }),
  };
}

/**
 * A probe's health per bucket: the share of its samples that were good. A bucket is at least the
 * hypothesis' window and the probe's own interval (a browser journey every 5 s has no sample in
 * most 1 s windows), and wide enough that a long run stays within the chart's point budget.
 */
export function probeHealth(p: ProbeSeries, windowMs: number, endMs: number): { t: number; share: number | null }[] {
  const bucket = Math.max(windowMs, p.everyMs, Math.ceil(endMs / MAX_CHART_POINTS));
  const n = Math.ceil(endMs / bucket);
  const good = new Array<number>(n).fill(0);
  const all = new Array<number>(n).fill(0);
  p.t.forEach((t, i) => {
    const b = Math.floor(t / bucket);
    if (b < 0 || b >= n) return;
    all[b]!++;
    if (p.ok[i]) good[b]!++;
  });
  const first = all.findIndex((x) => x > 0);
  if (first === -1) return [];
  return all.slice(first).map((total, k) => ({ t: (first + k) * bucket, share: total ? good[first + k]! / total : null }));
}

/**
 * The fault timeline: client p95 and error rate on top, one lane per probe below (a line at the
 * lane's top when every sample was good, falling as the share of good samples falls, with the bad
 * stretches filled red). Both plots shade each fault and mark when it was detected, alerted on and
 * recovered from, so cause and effect line up on one time axis.
 */
export function chaosTimelineChart(s: RunSummary): ChartSpec | undefined {
  const c = s.chaos;
  if (!c || (s.series.t.length === 0 && c.probes.length === 0)) return undefined;
  const { series } = downsampleSeries(s.series);
  const lastProbeMs = Math.max(0, ...c.probes.map((p) => p.t[p.t.length - 1] ?? 0));
  const endMs = Math.max(s.run.durationMs, lastProbeMs, ...s.phases.map((p) => p.endMs), ...c.faults.map((f) => Math.max(f.injectedMs, f.recoveredMs ?? 0)));
  const endS = Math.ceil(endMs / 1000);
  const ts = series.t.map((t) => t / 1000);
  const lanes = c.probes.length;
  const laneTop = LAYOUT.top + LAYOUT.topPlot + LAYOUT.gap;
  const heightPx = lanes ? laneTop + lanes * LAYOUT.lane + LAYOUT.bottom : LAYOUT.top + LAYOUT.topPlot + LAYOUT.bottom;
  const grid = (top: number, height: number) => ({ left: LAYOUT.left, right: LAYOUT.right, top, height, containLabel: false });
  const xAxis = (gridIndex: number, showLabels: boolean) => ({
    type: 'value' as const,
    gridIndex,
    min: 0,
    max: endS,
    splitLine: { show: false },
    axisLabel: { show: showLabels },
  });

  const top: LineSeriesOption[] = [
    {
      type: 'line',
      name: 'p95',
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: ts.map((t, i) => [t, series.p95Ms[i] ?? null]) as LineSeriesOption['data'],
      showSymbol: false,
      lineStyle: { width: 1.6, color: COLORS.p95 },
      itemStyle: { color: COLORS.p95 },
      markArea: faultBands(c, endMs, true),
      markLine: faultMarkers(c, endMs, true),
    },
    {
      type: 'line',
      name: 'error rate',
      xAxisIndex: 0,
      yAxisIndex: 1,
      data: ts.map((t, i) => [t, series.errorRate[i]! * 100]) as LineSeriesOption['data'],
      showSymbol: false,
      lineStyle: { width: 1.2, color: COLORS.errors },
      itemStyle: { color: COLORS.errors },
      areaStyle: { opacity: 0.12, color: COLORS.errors },
    },
  ];

  // Lane k (0 = the first probe, drawn on top) spans [lanes-1-k, lanes-k] on the hidden value axis.
  const probeSeries: LineSeriesOption[] = c.probes.map((p, k) => {
    const base = lanes - 1 - k;
    const health = probeHealth(p, c.windowMs, endMs);
    const color = PROBE_COLORS[k % PROBE_COLORS.length]!;
    const bucket = health.length > 1 ? health[1]!.t - health[0]!.t : Math.max(c.windowMs, p.everyMs);
    const badRuns: [number, number][] = [];
    for (const h of health) {
      if (h.share === null || h.share >= 1) continue;
      const last = badRuns[badRuns.length - 1];
      if (last && last[1] === h.t) last[1] = h.t + bucket;
      else badRuns.push([h.t, h.t + bucket]);
    }
    const bad = badRuns.map(([a, b]) => [
      { xAxis: a / 1000, yAxis: base + 0.08, itemStyle: { color: COLORS.bad } },
      { xAxis: b / 1000, yAxis: base + 0.92 },
    ]);
    const faults = k === 0 ? (faultBands(c, endMs, false).data ?? []) : [];
    return {
      type: 'line',
      name: p.name,
      xAxisIndex: 1,
      yAxisIndex: 2,
      // The third value is what the tooltip shows: the share of good samples, in percent.
      data: health.map((h) => [
        h.t / 1000,
        h.share === null ? null : base + 0.12 + 0.76 * h.share,
        h.share === null ? null : Math.round(h.share * 1000) / 10,
      ]) as LineSeriesOption['data'],
      step: 'end',
      showSymbol: false,
      lineStyle: { width: 1.4, color },
      itemStyle: { color },
      areaStyle: { origin: base + 0.08, opacity: 0.1, color },
      markArea: { silent: true, label: { show: false }, data: [...faults, ...bad] as MarkAreaComponentOption['data'] },
      ...(k === 0 ? { markLine: faultMarkers(c, endMs, false) } : {}),
    };
  });

  const option: EChartsOption = {
    animation: false,
    legend: { top: 0, left: LAYOUT.left - 8, data: ['p95', 'error rate'] },
    tooltip: { trigger: 'axis', confine: true },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: lanes ? [grid(LAYOUT.top, LAYOUT.topPlot), grid(laneTop, lanes * LAYOUT.lane)] : [grid(LAYOUT.top, LAYOUT.topPlot)],
    xAxis: lanes ? [xAxis(0, false), xAxis(1, true)] : [xAxis(0, true)],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'p95 ms', min: 0 },
      { type: 'value', gridIndex: 0, name: 'errors %', min: 0, position: 'right', splitLine: { show: false } },
      ...(lanes
        ? [
            {
              type: 'value' as const,
              gridIndex: 1,
              min: 0,
              max: lanes,
              interval: 1,
              position: 'right' as const,
              axisLabel: { show: false },
              axisTick: { show: false },
              splitLine: { show: true, lineStyle: { color: '#e2e8f0' } },
            },
            {
              type: 'category' as const,
              gridIndex: 1,
              position: 'left' as const,
              data: c.probes.map((p) => p.name).reverse(),
              axisTick: { show: false },
              axisLine: { show: false },
              axisLabel: { width: LAYOUT.left - 12, overflow: 'truncate' as const, fontSize: 11 },
            },
          ]
        : []),
    ],
    dataZoom: [{ type: 'inside', xAxisIndex: lanes ? [0, 1] : [0] }],
    series: [...top, ...probeSeries],
  };
  return {
    title: 'Fault timeline',
    caption: `Red bands: each fault, from injection to revert (self-healing faults: to recovery). Lines: orange dashed = first bad probe sample, purple dotted = first alert, green = recovered (${c.recoverWindows} good ${c.windowMs / 1000} s windows in a row). Lanes: each probe's share of good samples; red where any sample failed.`,
    unit: 'ms',
    seriesUnits: { 'error rate': '%', ...Object.fromEntries(c.probes.map((p) => [p.name, '%'])) },
    timeAxis: true,
    heightPx,
    option,
  };
}
