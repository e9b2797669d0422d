import { Command } from 'commander';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { LocalTarget } from '../../targets/local/local-target.ts';
import type { PlatformState } from '../../targets/target.ts';
import { color, printJson, table } from '../output.ts';
import { containersStatus } from './containers-commands.ts';
import { platformTarget } from './target-commands.ts';
import { kindStatus } from './kind-commands.ts';
import { addTargetFlags, localOptionsFrom, type TargetFlags } from '../target-options.ts';

const paintStatus = (s: string): string =>
  s === 'ready' || s === 'done' ? color.green(s) : s === 'starting' || s === 'pending' ? color.yellow(s) : color.red(s);

export function printEndpoints(state: PlatformState): void {
  const e = state.endpoints;
  console.log(`
  edge (web UI, /api, /graphql)  ${e.edge}
  Prometheus                     ${e.prometheus}
  Toxiproxy API                  ${e.toxiproxy}
  HAProxy stats                  ${e.edgeStats}/stats
  logs                           ${e.logDir}
`);
}

export function statusCommand(): Command {
  const cmd = new Command('status')
    .description('show each component of the local platform: state, pid, ports, restarts')
    .option('--json', 'machine-readable: every endpoint URL, port and pid (for scripts and tests)')
    .option('--target <target>', 'local, containers or kind', 'local');
  addTargetFlags(cmd, { startFlags: false });
  cmd.addHelpText(
    'after',
    `
Health is 'up' when every component is ready and the supervisor runs, 'degraded' when something
crashed or is held down, 'down' when nothing runs. Exit code 0 when up, 3 otherwise.

Examples:
  $ crucible status
  $ crucible status --json | jq -r '.state.endpoints.edge'
  $ crucible status --json | jq '.state.components[] | {name, pid, restarts}'
`,
  );
  cmd.action(async (flags: TargetFlags & { json?: boolean; target?: string }) => {
    const which = platformTarget(flags.target);
    if (which === 'containers') return containersStatus(flags);
    if (which === 'kind') return kindStatus(flags);
    const target = new LocalTarget(localOptionsFrom(flags));
    const status = await target.status();
    if (flags.json) {
      printJson(status);
    } else if (!status.state || status.health === 'down') {
      console.log(
        `local platform on port base ${target.options.portBase}: ${color.red('down')}${status.problems.length ? ` (${status.problems.join('; ')})` : ''}`,
      );
    } else {
      const st = status.state;
      console.log(
        `local platform on port base ${st.portBase}: ${status.health === 'up' ? color.green('up') : color.yellow(status.health)}  (supervisor pid ${st.supervisor.pid}, mode ${st.mode}, since ${st.startedAt})\n`,
      );
      const rows = st.components.map((c) => [
        c.name,
        paintStatus(c.status),
        c.pid !== undefined ? String(c.pid) : '-',
        Object.entries(c.ports)
          .map(([k, v]) => (k === 'http' || k === 'redis' || k === 'postgres' || k === 'api' ? String(v) : `${k}:${v}`))
          .join(' ') || '-',
        String(c.restarts),
        c.urls['http'] ?? Object.values(c.urls)[0] ?? '',
      ]);
      console.log(table(['COMPONENT', 'STATE', 'PID', 'PORTS', 'RESTARTS', 'URL'], rows));
      if (status.problems.length) console.log(`\n${color.yellow('problems:')}\n${status.problems.map((p) => `  ${p}`).join('\n')}`);
      printEndpoints(st);
    }
    if (status.health !== 'up') process.exitCode = flags.json ? 3 : new CrucibleError('CRUCIBLE_ERR_NOT_RUNNING', '').exitCode;
  });
  return cmd;
}
