import { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { readSummary, writeRunReports } from '../../report/write-run-reports.ts';

/** A run folder or its summary.json, as the path of the summary. */
export function summaryPathOf(ref: string): string {
  const abs = resolve(ref);
  if (existsSync(abs) && statSync(abs).isDirectory()) {
    const file = join(abs, 'summary.json');
    if (!existsSync(file)) throw new CrucibleError('CRUCIBLE_ERR_REPORT_INPUT', `${ref} has no summary.json: it is not a run folder`);
    return file;
  }
  if (!existsSync(abs)) throw new CrucibleError('CRUCIBLE_ERR_REPORT_INPUT', `no run folder or summary.json at ${ref}`);
  return abs;
}

export function reportCommand(): Command {
  return new Command('report')
    .argument('<run>', 'a run folder (reports/<run-id>) or its summary.json')
    .description('re-render report.html, junit.xml, summary.md (and findings.sarif for a pentest) of a run from its summary.json')
    .addHelpText(
      'after',
      `
summary.json is the source of truth; every other file is rendered from it. Re-render after
upgrading crucible, or after editing a summary by hand.

Examples:
  $ crucible report reports/20261125-181502-baseline-load-3f9a
  $ crucible report reports/20261125-181502-baseline-load-3f9a/summary.json
`,
    )
    .action(async (ref: string) => {
      const file = summaryPathOf(ref);
      const summary = readSummary(file);
      await writeRunReports(dirname(file), summary);
      console.log(
        `re-rendered ${relative(process.cwd(), dirname(file))}/ (report.html, junit.xml, summary.md${summary.security ? ', findings.sarif' : ''}) from summary.json`,
      );
    });
}
