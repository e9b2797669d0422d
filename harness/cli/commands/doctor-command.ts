import { Command } from 'commander';
import { runDoctor } from '../../doctor/doctor-checks.ts';
import { color, printJson, table } from '../output.ts';

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('show which tools and targets work on this machine, and why not')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Checks Node.js, each tool the platform runs (path and version), then each target: local (child
processes), containers, kind, the k6 adapter and browser journeys. Exit code 0 when the local
target can run, 3 when it cannot.

Example:
  $ crucible doctor
`,
    )
    .action(async (flags: { json?: boolean }) => {
      const items = await runDoctor();
      if (flags.json) printJson(items);
      else {
        for (const section of ['runtime', 'tool', 'target'] as const) {
          console.log(color.bold(`\n${section === 'tool' ? 'tools' : section === 'target' ? 'targets' : 'runtime'}`));
          const rows = items.filter((i) => i.section === section).map((i) => [i.ok ? color.green('ok') : color.red('no'), i.name, i.detail]);
          console.log(table(['', 'NAME', 'DETAIL'], rows));
        }
      }
      if (!items.find((i) => i.name === 'local')?.ok) process.exitCode = 3;
    });
}
