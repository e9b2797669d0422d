import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadDefinition, type LoadedDefinition, type LoadedScenario } from '../config/load-definition.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { createBuiltinEngine } from '../load/engine/index.ts';
import type { SkippedScenario } from '../report/render-junit.ts';
import { renderSignoffHtml, renderSignoffMarkdown } from '../report/render-signoff.ts';
import { judgeSignoff, signoffMetrics, type SignoffEvidence } from '../result/signoff-verdict.ts';
import { SIGNOFF_SCHEMA, type SignoffReport, type SignoffStep } from '../result/signoff-model.ts';
import type { RunSummary } from '../result/summary-model.ts';
import { referenceProfile } from '../security/reference-profile.ts';
import type { TargetProfile } from '../security/target-profile.ts';
import type { RunTarget } from '../targets/run-target.ts';
import { projectRoot } from '../util/project-root.ts';
import type { ProgressWriter } from './live-progress.ts';
import { openChaosSession } from './chaos-access.ts';
import { newRunId } from './run-id.ts';
import { runPentest } from './run-pentest.ts';
import { runScenario, type EngineChoice } from './run-scenario.ts';
import { runSuite } from './run-suite.ts';

/** What each profile runs against the local platform. The short one fits a CI job; the full one is the real sign-off. */
const SIGNOFF_PROFILES = {
  full: { load: 'scenarios/load/baseline.ts', stress: 'scenarios/stress/stress.ts', chaos: 'scenarios/suites/game-day.ts' },
  short: { load: 'scenarios/load/baseline.ts', stress: undefined, chaos: 'fixtures/scenarios/chaos/ci-short.ts' },
} as const;

export interface SignoffFiles {
  readonly load?: string;
  readonly stress?: string;
  readonly chaos?: string;
}

/** The sign-off's parts, loaded and validated whole before anything starts. */
export interface SignoffPlan {
  readonly profile: 'full' | 'short';
  readonly load: LoadedScenario;
  readonly stress: LoadedScenario | undefined;
  readonly chaos: LoadedDefinition | undefined;
  /** Why a part does not run (said in the report). */
  readonly omitted: readonly string[];
}

/**
 * Loads the sign-off's scenario files: the profile's defaults, or the user's (`--load`, `--stress`,
 * `--chaos`). Against an external target the defaults do not apply (they drive the reference
 * platform's journeys and seed users), so `load` is required there, and chaos experiments, which
 * need the local target's fault layer, do not run: MTTR, availability and data loss are then not
 * measured and fail, as any metric without evidence does.
 */
export async function loadSignoffPlan(profile: 'full' | 'short', files: SignoffFiles, external: boolean): Promise<SignoffPlan> {
  const defaults = SIGNOFF_PROFILES[profile];
  if (external && !files.load)
    throw new CrucibleError(
      'CRUCIBLE_ERR_INVALID_OPTION',
      'a sign-off against a profile needs --load <scenario>: the default baseline drives the reference platform',
      {
        hint: 'Pass a load scenario written for your API (docs/scenarios.md), and --stress for the full profile.',
      },
    );
  if (external && files.chaos)
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', '--chaos needs the local target: faults are injected through its Toxiproxy mesh and its processes', {
      hint: 'Drop --chaos, or run the sign-off against the local platform.',
    });
  const fromProject = (ref: string): string => resolve(projectRoot(), ref);
  const scenario = async (ref: string, flag: string): Promise<LoadedScenario> => {
    const d = await loadDefinition(ref);
    if (d.kind !== 'scenario') throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `${flag}: ${d.file} is a suite; give a scenario file`);
    return d;
  };
  const omitted: string[] = [];
  const load = await scenario(files.load ?? fromProject(defaults.load), '--load');
  const stressRef = files.stress ?? (external ? undefined : defaults.stress && fromProject(defaults.stress));
  const stress = stressRef ? await scenario(stressRef, '--stress') : undefined;
  if (!stress) omitted.push(profile === 'short' ? 'Short profile: no stress ramp.' : 'No stress ramp: pass --stress <scenario> for a profile target.');
  const chaos = external ? undefined : await loadDefinition(files.chaos ?? fromProject(defaults.chaos));
  if (external) omitted.push('No chaos experiments: they need the local target, so MTTR, availability and data loss are not measured (and fail).');
  else if (profile === 'short' && !files.chaos)
    omitted.push('Short profile: the chaos part is one short experiment (a Redis latency toxic and a replica kill) instead of the game day.');
  return { profile, load, stress, chaos, omitted };
}

export interface SignoffOptions {
  readonly plan: SignoffPlan;
  /** The chaos suite's experiments that are not for this target (scenariosForTarget), skipped and said so. */
  readonly skipped?: readonly SkippedScenario[];
  readonly target: RunTarget;
  /** The penetration checks' profile: the user's for an external target; default, the reference platform's. */
  readonly securityProfile?: { readonly profile: TargetProfile; readonly source: string };
  readonly reportsDir: string;
  readonly signal: AbortSignal;
  readonly progress?: ProgressWriter;
  readonly log?: (line: string) => void;
}

export interface SignoffOutcome {
  readonly report: SignoffReport;
  readonly dir: string;
}

/**
 * The phase-4 hardening sign-off: the penetration checks, the baseline load, the stress ramp and
 * the chaos experiments, one after the other against one platform, then one report of the
 * roadmap's success metrics, each PASS or FAIL with its measured value and its evidence.
 */
export async function runSignoff(o: SignoffOptions): Promise<SignoffOutcome> {
  const plan = o.plan;
  const id = newRunId(`signoff-${plan.profile}`);
  const dir = join(o.reportsDir, id);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const steps: SignoffStep[] = [];
  const rel = (runDir: string): string => relative(dir, runDir);
  const engine = createBuiltinEngine();
  const engineChoice: EngineChoice = ({ scenario }) => ({ engine, scenarioFile: scenario.file });
  const common = {
    target: o.target,
    engine: engineChoice,
    reportsDir: dir,
    signal: o.signal,
    suite: 'signoff',
    ...(o.progress ? { progress: o.progress } : {}),
    ...(o.log ? { log: o.log } : {}),
  };
  const step = (name: string, s: RunSummary, runDir: string): void => {
    steps.push({ name, runDir: rel(runDir), status: s.verdict.status, durationMs: s.run.durationMs });
  };

  // 1. Penetration checks, first: the platform is fresh and nothing else is sending traffic.
  const security = o.securityProfile ?? referenceSecurity(o.target);
  if (!security) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', 'a sign-off against an external target needs its security profile (--profile)');
  o.log?.('sign-off 1/4: penetration checks');
  // The checks that break the platform on purpose (the limiter's fail-closed check) inject through the target's faults.
  const pentest = await (async () => {
    await using faults = o.target.local || o.target.kindPlatform ? await openChaosSession(o.target) : undefined;
    return runPentest({
      profile: security.profile,
      profileSource: security.source,
      targetKind: o.target.kind,
      reportsDir: dir,
      signal: o.signal,
      ...(faults ? { faults: faults.env } : {}),
      suite: 'signoff',
      ...(o.log ? { log: o.log } : {}),
    });
  })();
  step('penetration checks', pentest.summary, pentest.runDir);
  const cooled = await coolDown(pentest.summary, security.profile, o.signal, o.log);

  // 2. The baseline load: p95, error rate, cache hit rate.
  let load: SignoffEvidence | undefined;
  if (!o.signal.aborted) {
    o.log?.('sign-off 2/4: baseline load');
    load = await runScenario(plan.load, common);
    step('baseline load', load.summary, load.runDir);
  }

  // 3. The stress ramp: the breaking point is evidence, not a metric of its own.
  let stress: SignoffEvidence | undefined;
  if (plan.stress && !o.signal.aborted) {
    o.log?.('sign-off 3/4: stress ramp');
    stress = await runScenario(plan.stress, common);
    step('stress ramp', stress.summary, stress.runDir);
  }

  // 4. Chaos: MTTR, detection, availability, data loss.
  const chaosRuns: SignoffEvidence[] = [];
  if (plan.chaos && !o.signal.aborted) {
    o.log?.('sign-off 4/4: chaos experiments');
    if (plan.chaos.kind === 'suite') chaosRuns.push(...(await runSuite(plan.chaos, { ...common, skipped: o.skipped ?? [] })).runs);
    else chaosRuns.push(await runScenario(plan.chaos, common));
    for (const r of chaosRuns) step(`chaos: ${r.summary.run.scenario.name}`, r.summary, r.runDir);
  }

  const metrics = signoffMetrics({ pentest, load, chaos: chaosRuns, rel });
  const notes: string[] = [];
  if (o.signal.aborted) notes.push('Interrupted: the sign-off did not run every step.');
  if (stress?.summary.stress)
    notes.push(
      `Stress breaking point: ${stress.summary.stress.breakingPointRps === null ? 'none held' : `${stress.summary.stress.breakingPointRps.toFixed(0)} req/s`}; past it the platform failed by ${stress.summary.stress.failureMode}.`,
    );
  if (cooled > 0)
    notes.push(
      `The load waited ${(cooled / 1000).toFixed(0)} s after the penetration checks, whose brute-force and rate-limit checks spend the target's per-minute budgets on purpose.`,
    );
  notes.push(...plan.omitted);
  for (const k of o.skipped ?? []) notes.push(`Chaos experiment ${k.scenario} not run on this target: ${k.reason}`);
  const report: SignoffReport = {
    schema: SIGNOFF_SCHEMA,
    id,
    profile: plan.profile,
    target: o.target.baseUrl,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    verdict: judgeSignoff(metrics, { interrupted: o.signal.aborted }),
    metrics,
    steps,
    notes,
  };
  writeFileSync(join(dir, 'signoff.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'signoff.md'), renderSignoffMarkdown(report));
  writeFileSync(join(dir, 'signoff.html'), renderSignoffHtml(report));
  return { report, dir };
}

/** The reference platform's own profile, on a target crucible runs (its ports and signing key come from its state). */
function referenceSecurity(target: RunTarget): { readonly profile: TargetProfile; readonly source: string } | undefined {
  if (target.local) return { profile: referenceProfile(target.local), source: 'reference platform (local target)' };
  if (target.kindPlatform)
    return {
      profile: referenceProfile({ endpoints: target.kindPlatform.endpoints, signingKeyFile: target.kindPlatform.signingKeyFile }),
      source: `reference platform (kind cluster ${target.kindPlatform.name})`,
    };
  return undefined;
}

/** Rate limits are per minute: the window a penetration check filled is over a minute after its last request. */
const RATE_WINDOW_MS = 60_000;

/**
 * Waits until the rate-limit windows the penetration checks filled on purpose (login per IP,
 * per identity) have passed, so the load that follows is not judged on 429s the checks caused.
 * Returns how long it waited.
 */
async function coolDown(pentest: RunSummary, profile: TargetProfile, signal: AbortSignal, log?: (line: string) => void): Promise<number> {
  if (!profile.rateLimits || signal.aborted) return 0;
  const lastAttackAt = Date.parse(pentest.run.startedAt) + Math.max(0, ...(pentest.security?.checks ?? []).map((c) => c.endedMs));
  const waitMs = Math.max(0, lastAttackAt + RATE_WINDOW_MS - Date.now());
  if (waitMs === 0) return 0;
  log?.(`waiting ${(waitMs / 1000).toFixed(0)} s for the rate-limit windows the penetration checks filled to pass`);
  try {
    await sleep(waitMs, undefined, { signal });
  } catch {
    // Interrupted: the caller sees the aborted signal and stops.
  }
  return waitMs;
}
