import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadDefinition, type LoadedScenario } from '../config/load-definition.ts';
import { localFaultEnvironment } from '../faults/index.ts';
import { createBuiltinEngine } from '../load/engine/index.ts';
import { renderSignoffHtml, renderSignoffMarkdown } from '../report/render-signoff.ts';
import { SIGNOFF_SCHEMA, type SignoffMetric, type SignoffReport, type SignoffStep } from '../report/signoff-model.ts';
import type { RunSummary } from '../report/summary-model.ts';
import { referenceProfile } from '../security/reference-profile.ts';
import type { RunTarget } from '../targets/run-target.ts';
import { projectRoot } from '../util/project-root.ts';
import type { ProgressWriter } from './live-progress.ts';
import { newRunId } from './run-id.ts';
import { runPentest } from './run-pentest.ts';
import { runScenario, type EngineChoice } from './run-scenario.ts';
import { runSuite } from './run-suite.ts';
import { ROADMAP_SLOS } from './slo-evaluation.ts';

/** What each profile runs. The short one fits a CI job; the full one is the real sign-off. */
export const SIGNOFF_PROFILES = {
  full: { load: 'scenarios/load/baseline.ts', stress: 'scenarios/stress/stress.ts', chaos: 'scenarios/suites/game-day.ts' },
  short: { load: 'scenarios/load/baseline.ts', stress: undefined, chaos: 'fixtures/scenarios/chaos/ci-short.ts' },
} as const;

/** The roadmap's remaining objectives (the load ones are ROADMAP_SLOS). */
const MAX_DETECT_MS = 5 * 60_000;
const MAX_MTTR_MS = 15 * 60_000;
const MIN_AVAILABILITY = 0.999;

export interface SignoffOptions {
  readonly profile: 'full' | 'short';
  readonly target: RunTarget;
  readonly reportsDir: string;
  readonly signal: AbortSignal;
  readonly progress?: ProgressWriter;
  readonly log?: (line: string) => void;
}

export interface SignoffOutcome {
  readonly report: SignoffReport;
  readonly dir: string;
}

const slo = (s: RunSummary | undefined, id: string): number | null => s?.slos.find((x) => x.id === id)?.actual ?? null;
const max = (xs: readonly (number | null)[]): number | null => (xs.length === 0 || xs.some((x) => x === null) ? null : Math.max(...(xs as number[])));

/**
 * The phase-4 hardening sign-off: the penetration checks, the baseline load, the stress ramp (full
 * profile) and the chaos experiments, one after the other against one platform, then one report of
 * the roadmap's success metrics, each PASS or FAIL with its measured value and its evidence.
 */
export async function runSignoff(o: SignoffOptions): Promise<SignoffOutcome> {
  const plan = SIGNOFF_PROFILES[o.profile];
  const id = newRunId(`signoff-${o.profile}`);
  const dir = join(o.reportsDir, id);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const steps: SignoffStep[] = [];
  const rel = (runDir: string): string => relative(dir, runDir);
  const engine = createBuiltinEngine();
  const engineChoice: EngineChoice = ({ file }) => ({ engine, scenarioFile: file });
  const common = { target: o.target, engine: engineChoice, reportsDir: dir, signal: o.signal, suite: 'signoff', ...(o.progress ? { progress: o.progress } : {}), ...(o.log ? { log: o.log } : {}) };
  const step = (name: string, s: RunSummary, runDir: string): void => {
    steps.push({ name, runDir: rel(runDir), status: s.run.status, durationMs: s.run.durationMs });
  };
  const scenario = async (ref: string): Promise<LoadedScenario> => {
    const d = await loadDefinition(join(projectRoot(), ref));
    if (d.kind !== 'scenario') throw new Error(`${ref} is a suite, not a scenario`);
    return d;
  };

  // 1. Penetration checks, first: the platform is fresh and nothing else is sending traffic.
  const state = o.target.local;
  if (!state) throw new Error('the sign-off runs against the local target');
  o.log?.('sign-off 1/4: penetration checks');
  const pentest = await runPentest({ profile: referenceProfile(state), profileSource: 'reference platform (local target)', targetKind: 'local', reportsDir: dir, signal: o.signal, faults: localFaultEnvironment(state), suite: 'signoff', ...(o.log ? { log: o.log } : {}) });
  step('penetration checks', pentest.summary, pentest.runDir);

  // 2. The baseline load: p95, error rate, cache hit rate.
  let load: { summary: RunSummary; runDir: string } | undefined;
  if (!o.signal.aborted) {
    o.log?.('sign-off 2/4: baseline load');
    load = await runScenario(await scenario(plan.load), common);
    step('baseline load', load.summary, load.runDir);
  }

  // 3. The stress ramp (full profile): the breaking point is evidence, not a metric of its own.
  let stress: { summary: RunSummary; runDir: string } | undefined;
  if (plan.stress && !o.signal.aborted) {
    o.log?.('sign-off 3/4: stress ramp');
    stress = await runScenario(await scenario(plan.stress), common);
    step('stress ramp', stress.summary, stress.runDir);
  }

  // 4. Chaos: MTTR, detection, availability, data loss.
  const chaosRuns: { summary: RunSummary; runDir: string }[] = [];
  if (!o.signal.aborted) {
    o.log?.('sign-off 4/4: chaos experiments');
    const d = await loadDefinition(join(projectRoot(), plan.chaos));
    if (d.kind === 'suite') chaosRuns.push(...(await runSuite(d, common)).runs);
    else chaosRuns.push(await runScenario(d, common));
    for (const r of chaosRuns) step(`chaos: ${r.summary.run.scenario.name}`, r.summary, r.runDir);
  }

  const metrics = signoffMetrics({ pentest, load, chaos: chaosRuns, rel });
  const notes: string[] = [];
  if (o.signal.aborted) notes.push('Interrupted: the sign-off did not run every step.');
  if (stress?.summary.stress) notes.push(`Stress breaking point: ${stress.summary.stress.breakingPointRps === null ? 'none held' : `${stress.summary.stress.breakingPointRps.toFixed(0)} req/s`}; past it the platform failed by ${stress.summary.stress.failureMode}.`);
  if (!plan.stress) notes.push('Short profile: no stress ramp, and the chaos part is one short experiment (a Redis latency toxic and a replica kill) instead of the game day.');
  const report: SignoffReport = {
    schema: SIGNOFF_SCHEMA,
    id,
    profile: o.profile,
    target: o.target.baseUrl,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    pass: !o.signal.aborted && metrics.every((m) => m.pass),
    metrics,
    steps,
    notes,
  };
  writeFileSync(join(dir, 'signoff.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'signoff.md'), renderSignoffMarkdown(report));
  writeFileSync(join(dir, 'signoff.html'), renderSignoffHtml(report));
  return { report, dir };
}

/** The nine roadmap metrics from the runs' summaries; a metric without evidence fails. */
export function signoffMetrics(r: {
  readonly pentest: { readonly summary: RunSummary; readonly runDir: string };
  readonly load: { readonly summary: RunSummary; readonly runDir: string } | undefined;
  readonly chaos: readonly { readonly summary: RunSummary; readonly runDir: string }[];
  readonly rel: (runDir: string) => string;
}): SignoffMetric[] {
  const sec = r.pentest.summary.security;
  const load = r.load?.summary;
  const loadEv = r.load ? [r.rel(r.load.runDir)] : [];
  const chaosEv = r.chaos.map((c) => r.rel(c.runDir));
  const faults = r.chaos.flatMap((c) => c.summary.chaos?.faults ?? []);
  const p95 = slo(load, 'p95-latency');
  const errors = slo(load, 'error-rate');
  const cache = load?.platform?.cacheHitRate ?? slo(load, 'cache-hit-rate');
  // Each attack class to its first detection alert (a class never alerted on is not detected);
  // each chaos fault the probes saw, to the probes seeing it (a 6 s blip can end before any
  // alert's `for:` has run out, so the alert is reported per fault but is not required here).
  const detections = [...(sec?.detection.map((d) => d.timeToDetectMs) ?? []), ...faults.filter((f) => f.detectedMs !== null).map((f) => f.timeToDetectMs)];
  const mttrs = faults.map((f) => f.mttrMs);
  const good = r.chaos.reduce((n, c) => n + (c.summary.chaos?.availability.good ?? 0), 0);
  const total = r.chaos.reduce((n, c) => n + (c.summary.chaos?.availability.total ?? 0), 0);
  const ledgers = r.chaos.map((c) => c.summary.chaos?.ledger).filter((l) => l !== null && l !== undefined);
  const lost = ledgers.length === 0 ? null : ledgers.reduce((n, l) => n + l.lostCount + l.duplicatedCount, 0);
  const detectWorst = detections.length === 0 ? null : max(detections);
  const mttrWorst = mttrs.length === 0 ? null : max(mttrs);
  return [
    { id: 'p95-latency', objective: `p95 < ${ROADMAP_SLOS.p95Ms} ms`, actual: p95, unit: 'ms', pass: p95 !== null && p95 < ROADMAP_SLOS.p95Ms, how: 'client-side p95 of every request in the baseline load after its warm-up', evidence: loadEv },
    { id: 'cache-hit-rate', objective: `cache hit rate > ${ROADMAP_SLOS.cacheHitRate * 100} %`, actual: cache, unit: 'ratio', pass: cache !== null && cache > ROADMAP_SLOS.cacheHitRate, how: 'product cache hits / (hits + misses) from Prometheus over the baseline after its warm-up', evidence: loadEv },
    { id: 'error-rate', objective: `error rate < ${ROADMAP_SLOS.errorRate * 100} %`, actual: errors, unit: 'ratio', pass: errors !== null && errors < ROADMAP_SLOS.errorRate, how: 'failed requests / all in the baseline load after its warm-up', evidence: loadEv },
    { id: 'critical-vulnerabilities', objective: 'zero critical vulnerabilities', actual: sec ? sec.counts.critical : null, unit: 'count', pass: sec !== undefined && sec.counts.critical === 0, how: 'failed penetration checks with CVSS ≥ 9.0', evidence: [r.rel(r.pentest.runDir)] },
    { id: 'check-verdicts', objective: '100 % of checks reach a verdict', actual: sec ? sec.verdictCoverage : null, unit: 'ratio', pass: sec !== undefined && sec.verdictCoverage === 1 && sec.counts.error === 0, how: 'applicable penetration checks that passed or failed (an error is no verdict)', evidence: [r.rel(r.pentest.runDir)] },
    { id: 'time-to-detect', objective: 'time to detect < 5 min', actual: detectWorst, unit: 'ms', pass: detectWorst !== null && detectWorst < MAX_DETECT_MS, how: 'worst of: each attack class to its first detection alert (none counts as not detected); each chaos fault to the first bad probe sample', evidence: [r.rel(r.pentest.runDir), ...chaosEv] },
    { id: 'mttr', objective: 'MTTR < 15 min', actual: mttrWorst, unit: 'ms', pass: mttrWorst !== null && mttrWorst < MAX_MTTR_MS, how: 'worst MTTR over every chaos fault (never recovered counts as not measured)', evidence: chaosEv },
    { id: 'availability', objective: 'availability ≥ 99.9 %', actual: total === 0 ? null : good / total, unit: 'ratio', pass: total > 0 && good / total >= MIN_AVAILABILITY, how: 'good probe samples / all over every chaos experiment (the steady-state probes, under load, faults included)', evidence: chaosEv },
    { id: 'data-loss', objective: 'zero data loss', actual: lost, unit: 'count', pass: lost === 0, how: 'acknowledged orders missing from PostgreSQL, plus orders applied twice, over every chaos ledger', evidence: chaosEv },
  ];
}
