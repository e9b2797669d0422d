import { Command } from 'commander';
import { LocalTarget } from '../../targets/local/local-target.ts';
import { color, printJson, seconds } from '../output.ts';
import { containersDown } from './containers-commands.ts';
import { platformTarget } from './target-commands.ts';
import { kindDown } from './kind-commands.ts';
import { addTargetFlags, localOptionsFrom, type TargetFlags } from '../target-options.ts';

export function downCommand(): Command {
  const cmd = new Command('down')
    .description('stop everything the local platform started, including what a crashed or killed harness left behind')
    .option('--json', 'print what was stopped as JSON')
    .option(
      '--target <target>',
      'local, containers (removes every container and the network labelled for the port base) or kind (deletes the cluster crucible-<base>)',
      'local',
    );
  addTargetFlags(cmd, { startFlags: false });
  cmd.addHelpText(
    'after',
    `
'down' asks the supervisor to stop every component (dependents first), then looks for survivors:
recorded process groups, pid files in .crucible/local-<base>/pids, and any process carrying the
run folder in its environment. Those get SIGTERM, then SIGKILL. Data folders are removed; logs stay
in .crucible/local-<base>/logs. Running it when nothing is up is harmless.

Examples:
  $ crucible down
  $ crucible down --port-base 7500
`,
  );
  cmd.action(async (flags: TargetFlags & { json?: boolean; target?: string }) => {
    const which = platformTarget(flags.target);
    if (which === 'containers') return containersDown(flags);
    if (which === 'kind') return kindDown(flags);
    const target = new LocalTarget(localOptionsFrom(flags));
    const report = await target.down();
    if (flags.json) return printJson(report);
    if (!report.wasRunning && report.reaped.length === 0) console.log(`nothing was running on port base ${target.options.portBase}`);
    else console.log(color.green(`stopped ${report.stopped.length} components in ${seconds(report.durationMs)}`));
    if (report.reaped.length > 0) {
      console.log(color.yellow(`killed ${report.reaped.length} leftover process(es):`));
      for (const r of report.reaped) console.log(`  pid ${r.pid}: ${r.cmd.slice(0, 120)}`);
    }
  });
  return cmd;
}
