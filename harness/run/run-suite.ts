import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LoadedSuite } from '../config/load-definition.ts';
import { renderJunit } from '../report/render-junit.ts';
import type { RunSummary } from '../result/summary-model.ts';
import { projectRoot } from '../util/project-root.ts';
import { newRunId } from './run-id.ts';
import { runScenario, type RunOptions } from './run-scenario.ts';

export interface SuiteOutcome {
  readonly suiteDir: string;
  readonly runs: readonly { readonly summary: RunSummary; readonly runDir: string }[];
  readonly exitCode: 0 | 1 | 3;
}

/** Every <testsuite> of several JUnit documents, in one <testsuites>. */
function mergeJunit(docs: readonly string[], name: string): string {
  const suites = docs.flatMap((d) => d.match(/<testsuite[\s>][\s\S]*?<\/testsuite>/g) ?? []);
  const attr = (re: RegExp): number => suites.reduce((s, x) => s + Number(re.exec(x)?.[1] ?? 0), 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${name.replace(/[<&"]/g, '')}" tests="${attr(/tests="(\d+)"/)}" failures="${attr(/failures="(\d+)"/)}" errors="${attr(/errors="(\d+)"/)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function suiteMarkdown(name: string, runs: SuiteOutcome['runs'], suiteDir: string): string {
  const mark = (s: RunSummary): string => (s.verdict.status === 'passed' ? 'PASS' : s.verdict.status === 'failed' ? 'FAIL' : s.verdict.status.toUpperCase());
  const rows = runs.map(({ summary: s, runDir }) => {
    const p95 = s.metrics['http_req_duration']?.type === 'trend' ? `${s.metrics['http_req_duration'].values['p(95)'].toFixed(1)} ms` : '-';
    const failed = s.metrics['http_req_failed']?.type === 'rate' ? `${(s.metrics['http_req_failed'].values.rate * 100).toFixed(2)} %` : '-';
    return `| ${s.run.scenario.name} | ${mark(s)} | ${p95} | ${failed} | ${(s.run.durationMs / 1000).toFixed(0)} s | [report](${relative(suiteDir, join(runDir, 'report.html'))}) |`;
  });
  const all = runs.every((r) => r.summary.verdict.status === 'passed');
  return [
    `## Suite ${name}: ${all ? 'PASSED' : 'FAILED'}`,
    '',
    '| scenario | verdict | p95 | errors | duration | report |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/**
 * The scenarios of a suite one after the other, each in its own folder under the suite's folder,
 * plus suite.json (an index), summary.md and junit.xml for all of them. The exit code is the worst
 * of the runs: 3 (aborted) over 1 (failed) over 0.
 */
export async function runSuite(loaded: LoadedSuite, opts: Omit<RunOptions, 'reportsDir' | 'suite'> & { reportsDir: string }): Promise<SuiteOutcome> {
  const suiteDir = join(opts.reportsDir, newRunId(`suite-${loaded.suite.name}`));
  mkdirSync(suiteDir, { recursive: true });
  const runs: { summary: RunSummary; runDir: string }[] = [];
  for (const scenario of loaded.scenarios) {
    if (opts.signal.aborted) break;
    opts.log?.(`suite ${loaded.suite.name}: ${scenario.scenario.name} (${relative(projectRoot(), scenario.file)})`);
    const outcome = await runScenario(scenario, { ...opts, reportsDir: suiteDir, suite: loaded.suite.name });
    runs.push(outcome);
    if (outcome.summary.verdict.status !== 'passed' && loaded.suite.continueOnFailure === false) break;
  }
  const exitCode =
    runs.some((r) => r.summary.verdict.exitCode === 3) || opts.signal.aborted
      ? 3
      : runs.some((r) => r.summary.verdict.exitCode !== 0) || runs.length < loaded.scenarios.length
        ? 1
        : 0;
  writeFileSync(
    join(suiteDir, 'suite.json'),
    JSON.stringify(
      {
        schema: 'crucible.suite/v1',
        name: loaded.suite.name,
        exitCode,
        runs: runs.map((r) => ({ scenario: r.summary.run.scenario.name, status: r.summary.verdict.status, runDir: relative(suiteDir, r.runDir) })),
      },
      null,
      2,
    ),
  );
  writeFileSync(join(suiteDir, 'summary.md'), suiteMarkdown(loaded.suite.name, runs, suiteDir));
  writeFileSync(
    join(suiteDir, 'junit.xml'),
    mergeJunit(
      runs.map((r) => renderJunit(r.summary)),
      loaded.suite.name,
    ),
  );
  return { suiteDir, runs, exitCode };
}
