import { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { compareRuns, renderComparisonMarkdown, renderComparisonText } from '../../report/compare-runs.ts';
import type { RunSummary } from '../../result/summary-model.ts';
import { readSummary } from '../../report/write-run-reports.ts';
import { summaryPathOf } from './report-command.ts';

/** The newest earlier run of the same scenario next to this one (run ids sort by time). */
function previousRunOf(summaryFile: string, current: RunSummary): string {
  const runDir = dirname(summaryFile);
  const parent = dirname(runDir);
  const candidates = readdirSync(parent, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name < basename(runDir) && existsSync(join(parent, d.name, 'summary.json')))
    .map((d) => join(parent, d.name, 'summary.json'))
    .filter((f) => {
      try {
        return readSummary(f).run.scenario.name === current.run.scenario.name;
      } catch {
        return false;
      }
    })
    .sort();
  const prev = candidates.at(-1);
  if (!prev) throw new CrucibleError('CRUCIBLE_ERR_REPORT_INPUT', `no earlier run of ${current.run.scenario.name} next to ${runDir} to compare with`);
  return prev;
}

export function compareCommand(): Command {
  return new Command('compare')
    .argument('<baseline-or-run>', 'the baseline run folder or summary.json; alone: the run to judge against the previous run of its scenario')
    .argument('[run]', 'the run to judge')
    .option('--markdown', 'print the comparison as Markdown (for a PR comment or CI step summary)')
    .description('flag regressions of a run against a baseline beyond noise; exit 1 on a regression')
    .addHelpText(
      'after',
      `
A metric regresses only when the difference is both statistically significant (Mann-Whitney U on
the per-second series of both runs, p < 0.01) and large enough to matter (for p95: at least 10 %
and 5 ms). docs/report-schema.md#how-compare-decides has the details.

Examples:
  $ crucible compare reports/<baseline-run> reports/<run>
  $ crucible compare reports/<nightly-run>          # against the previous run of the same scenario
  $ crucible compare reports/<a> reports/<b> --markdown >> "$GITHUB_STEP_SUMMARY"
`,
    )
    .action(async (first: string, second: string | undefined, flags: { markdown?: boolean }) => {
      const runFile = summaryPathOf(second ?? first);
      const current = readSummary(runFile);
      const baselineFile = second === undefined ? previousRunOf(resolve(runFile), current) : summaryPathOf(first);
      const comparison = compareRuns(readSummary(baselineFile), current);
      console.log(flags.markdown ? renderComparisonMarkdown(comparison) : renderComparisonText(comparison));
      if (comparison.verdict === 'regression') process.exitCode = new CrucibleError('CRUCIBLE_ERR_REGRESSION', '').exitCode;
    });
}
