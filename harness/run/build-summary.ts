import { relative } from 'node:path';
import type { ResolvedScenario } from '../config/resolved-scenario.ts';
import type { EngineResult, MetricsView } from '../load/engine-types.ts';
import { BUILTIN_METRICS } from '../result/builtin-metrics.ts';
import { phasesWithin } from '../result/run-phases.ts';
import type { ParsedThreshold } from '../config/threshold-parser.ts';
import {
  SUMMARY_SCHEMA,
  type ChaosAnalysis,
  type MetricSummary,
  type PlatformMetrics,
  type RunSummary,
  type RunVerdict,
  type SloResult,
  type SoakAnalysis,
  type StressAnalysis,
  type ThresholdResult,
} from '../result/summary-model.ts';
import { userProjectRoot } from '../util/user-project.ts';
import { runEnvironment, VERSION } from './run-environment.ts';

const UNITS: Record<string, MetricSummary['unit']> = { data_received: 'bytes', data_sent: 'bytes' };

/** Every recorded metric, plus each tag-filtered sub-metric a threshold names. */
function summarizeMetrics(view: MetricsView, thresholds: readonly ParsedThreshold[]): Record<string, MetricSummary> {
  const out: Record<string, MetricSummary> = {};
  const add = (key: string, metric: string, kind: string, filter?: Readonly<Record<string, string>>): void => {
    switch (kind) {
      case 'trend': {
        const v = view.trend(metric, filter);
        if (v) out[key] = { type: 'trend', unit: 'ms', values: v };
        return;
      }
      case 'rate': {
        const v = view.rate(metric, filter);
        if (v) out[key] = { type: 'rate', unit: 'ratio', values: v };
        return;
      }
      case 'counter': {
        const v = view.counter(metric, filter);
        if (v) out[key] = { type: 'counter', unit: (UNITS[metric] as 'bytes' | undefined) ?? 'count', values: v };
        return;
      }
      case 'gauge': {
        const v = view.gauge(metric);
        if (v) out[key] = { type: 'gauge', unit: 'count', values: v };
      }
    }
  };
  for (const [metric, kind] of Object.entries(BUILTIN_METRICS)) add(metric, metric, kind);
  for (const t of thresholds) if (Object.keys(t.selector.filter).length > 0) add(t.selector.key, t.selector.metric, t.selector.kind, t.selector.filter);
  return out;
}

export interface SummaryParts {
  readonly runId: string;
  readonly file: string;
  readonly scenario: ResolvedScenario;
  readonly suite?: string;
  readonly target: { readonly kind: string; readonly baseUrl: string };
  readonly engine: { readonly name: 'crucible' | 'k6'; readonly version?: string };
  readonly result: EngineResult;
  readonly thresholds: readonly ParsedThreshold[];
  readonly thresholdResults: readonly ThresholdResult[];
  readonly slos: readonly SloResult[];
  readonly verdict: RunVerdict;
  readonly abortReason?: string;
  readonly platform?: PlatformMetrics;
  readonly stress?: StressAnalysis;
  readonly soak?: SoakAnalysis;
  readonly chaos?: ChaosAnalysis;
  readonly notes: readonly string[];
}

export function buildSummary(p: SummaryParts): RunSummary {
  const r = p.result;
  return {
    schema: SUMMARY_SCHEMA,
    run: {
      id: p.runId,
      scenario: {
        name: p.scenario.name,
        kind: p.scenario.kind,
        file: relative(userProjectRoot(), p.file),
        ...(p.scenario.description ? { description: p.scenario.description } : {}),
      },
      ...(p.suite ? { suite: p.suite } : {}),
      target: p.target,
      startedAt: new Date(r.startedAtMs).toISOString(),
      endedAt: new Date(r.startedAtMs + r.durationMs).toISOString(),
      durationMs: r.durationMs,
      ...(p.abortReason ? { abortReason: p.abortReason } : {}),
      ...runEnvironment(),
    },
    verdict: p.verdict,
    engine: {
      name: p.engine.name,
      version: p.engine.version ?? VERSION,
      workers: r.workers,
      histogram: p.engine.name === 'k6' ? 'k6 trend (all samples)' : 'HDR histogram, 3 significant digits',
    },
    phases: phasesWithin(r.phases, r.durationMs),
    metrics: summarizeMetrics(r.view, p.thresholds),
    requests: r.requests,
    checks: r.checks,
    series: r.series,
    thresholds: p.thresholdResults,
    slos: p.slos,
    droppedIterations: r.droppedIterations,
    ...(p.platform ? { platform: p.platform } : {}),
    ...(p.stress ? { stress: p.stress } : {}),
    ...(p.soak ? { soak: p.soak } : {}),
    ...(p.chaos ? { chaos: p.chaos } : {}),
    ...(r.pods ? { pods: r.pods } : {}),
    notes: p.notes,
  };
}
