import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { declaredFor, faultTargetProblems, type FaultTargetKind } from '../config/fault-spec.ts';
import type { LoadedDefinition, LoadedSuite } from '../config/load-definition.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { renderSuiteJunit, type SkippedScenario } from '../report/render-junit.ts';
import { renderSuiteMarkdown } from '../report/render-suite-markdown.ts';
import type { RunStatus, RunSummary } from '../result/summary-model.ts';
import { judgeSuite } from '../result/verdict.ts';
import { userProjectRoot } from '../util/user-project.ts';
import { newRunId } from './run-id.ts';
import { runScenario, type RunOptions } from './run-scenario.ts';

export interface SuiteOutcome {
  readonly suiteDir: string;
  readonly runs: readonly { readonly summary: RunSummary; readonly runDir: string }[];
  /** The worst of the runs' verdicts (judgeSuite). */
  readonly status: RunStatus;
  readonly exitCode: 0 | 1 | 2 | 3;
}

/**
 * Which chaos experiments of a definition can run on a kind of target, checked before anything starts:
 * throws (exit 2, each problem naming its file and field) when a scenario's faults cannot run there; a
 * suite's experiments that declare other targets (chaos.targets) are returned, to be skipped and
 * reported so (all of them skipped is an error too). A single scenario is never skipped: it is refused.
 */
export function scenariosForTarget(loaded: LoadedDefinition, target: FaultTargetKind): SkippedScenario[] {
  const scenarios = loaded.kind === 'suite' ? loaded.scenarios : [loaded];
  const skipped: SkippedScenario[] = [];
  for (const s of scenarios)
    if (loaded.kind === 'suite' && s.scenario.kind === 'chaos' && !declaredFor(s.scenario.chaos, target))
      skipped.push({ scenario: s.scenario.name, file: s.file, reason: faultTargetProblems(s.file, s.scenario.chaos, target).join('; ') });
  if (skipped.length > 0 && skipped.length === scenarios.length)
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_SCENARIO', `no scenario of the suite is for the ${target} target`, { details: skipped.map((k) => k.reason) });
  const problems = scenarios.flatMap((s) =>
    s.scenario.kind === 'chaos' && !skipped.some((k) => k.file === s.file) ? faultTargetProblems(s.file, s.scenario.chaos, target) : [],
  );
  if (problems.length > 0)
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_SCENARIO', `the method names faults the ${target} target cannot run`, { details: problems });
  return skipped;
}

/**
 * The scenarios of a suite one after the other, each in its own folder under the suite's folder,
 * plus suite.json (an index), summary.md and junit.xml for all of them, rendered from the runs'
 * summaries. The verdict is the worst of the runs': 3 (aborted, error) over 1 (failed) over 0.
 */
export async function runSuite(
  loaded: LoadedSuite,
  opts: Omit<RunOptions, 'reportsDir' | 'suite'> & {
    reportsDir: string;
    /** Scenarios of the suite not to run on this target (their experiments are not for it), with why: reported as skipped. */
    skipped?: readonly SkippedScenario[];
  },
): Promise<SuiteOutcome> {
  const skipped = opts.skipped ?? [];
  const skippedFiles = new Set(skipped.map((k) => k.file));
  const suiteDir = join(opts.reportsDir, newRunId(`suite-${loaded.suite.name}`));
  mkdirSync(suiteDir, { recursive: true });
  const runs: { summary: RunSummary; runDir: string }[] = [];
  const toRun = loaded.scenarios.filter((s) => !skippedFiles.has(s.file));
  for (const scenario of toRun) {
    if (opts.signal.aborted) break;
    opts.log?.(`suite ${loaded.suite.name}: ${scenario.scenario.name} (${relative(userProjectRoot(), scenario.file)})`);
    const outcome = await runScenario(scenario, { ...opts, reportsDir: suiteDir, suite: loaded.suite.name });
    runs.push(outcome);
    if (outcome.summary.verdict.status !== 'passed' && loaded.suite.continueOnFailure === false) break;
  }
  const { status, exitCode } = judgeSuite(
    runs.map((r) => r.summary.verdict),
    { interrupted: opts.signal.aborted, complete: runs.length === toRun.length },
  );
  writeFileSync(
    join(suiteDir, 'suite.json'),
    JSON.stringify(
      {
        schema: 'crucible.suite/v1',
        name: loaded.suite.name,
        status,
        exitCode,
        runs: runs.map((r) => ({ scenario: r.summary.run.scenario.name, status: r.summary.verdict.status, runDir: relative(suiteDir, r.runDir) })),
        skipped: skipped.map((k) => ({ scenario: k.scenario, file: relative(userProjectRoot(), k.file), reason: k.reason })),
      },
      null,
      2,
    ),
  );
  writeFileSync(join(suiteDir, 'summary.md'), renderSuiteMarkdown({ name: loaded.suite.name, status, suiteDir, runs, skipped }));
  writeFileSync(
    join(suiteDir, 'junit.xml'),
    renderSuiteJunit(
      loaded.suite.name,
      runs.map((r) => r.summary),
      skipped,
    ),
  );
  return { suiteDir, runs, status, exitCode };
}
