import { CrucibleError } from '../../errors/crucible-error.ts';
import { parseBase } from '../../images/base-image.ts';
import { ContainersTarget, type ContainersState } from '../../targets/containers/containers-target.ts';
import type { UpEvent } from '../../targets/target.ts';
import { color, printJson, seconds, table } from '../output.ts';
import type { TargetFlags } from '../target-options.ts';
import { intFlag, upInterruptibly } from './target-commands.ts';

function containersTargetFrom(flags: TargetFlags & { base?: string }, onEvent?: (e: UpEvent) => void): ContainersTarget {
  if ((flags.mode !== undefined && flags.mode !== 'production') || flags.vulnerable !== undefined)
    throw new CrucibleError(
      'CRUCIBLE_ERR_INVALID_OPTION',
      'the containers target runs the production platform only (--mode and --vulnerable are the local target’s)',
    );
  const portBase = intFlag('port-base', flags.portBase) ?? intFlag('port-base', process.env['CRUCIBLE_PORT_BASE']);
  const replicas = intFlag('replicas', flags.replicas);
  return new ContainersTarget(
    {
      ...(portBase !== undefined ? { portBase } : {}),
      ...(replicas !== undefined ? { gatewayReplicas: replicas } : {}),
      ...(flags.base ? { base: parseBase(flags.base) } : {}),
    },
    onEvent ? { onEvent } : {},
  );
}

function printContainerEndpoints(state: ContainersState): void {
  const e = state.endpoints;
  console.log(`
  edge (web UI, /api, /graphql)  ${e.edge}
  Prometheus                     ${e.prometheus}
  Toxiproxy API                  ${e.toxiproxy}
  HAProxy stats                  ${e.edgeStats}/stats
  PostgreSQL, Redis (direct)     127.0.0.1:${e.postgres.port}, 127.0.0.1:${e.redis.nodes.map((n) => n.port).join(',')}
  audit logs                     ${e.auditDir}
  logs                           ${e.logDir}
  containers                     ${state.engine} ps --filter label=dev.crucible.owner=${state.name}
`);
}

export async function containersUp(flags: TargetFlags & { base?: string; json?: boolean }, progress: (e: UpEvent) => void): Promise<void> {
  const target = containersTargetFrom(flags, progress);
  await upInterruptibly('the container platform', (signal) => target.up(signal), {
    json: flags.json === true,
    announce: `starting the platform as containers, published on 127.0.0.1 port base ${target.portBase}`,
    print: printContainerEndpoints,
  });
}

export async function containersStatus(flags: TargetFlags & { json?: boolean }): Promise<void> {
  const target = containersTargetFrom(flags);
  const status = await target.status();
  if (flags.json) printJson(status);
  else if (status.health === 'down') console.log(`container platform on port base ${target.portBase}: ${color.red('down')}`);
  else {
    const health = status.health === 'up' ? color.green('up') : color.yellow(status.health);
    console.log(
      `container platform ${target.name} on port base ${target.portBase}: ${health}${status.state ? ` (${status.state.engine}, since ${status.state.startedAt})` : ''}\n`,
    );
    const components = status.state?.components ?? [];
    if (components.length > 0)
      console.log(
        table(
          ['PART', 'STATE', 'HEALTH', 'PID', 'RESTARTS', 'PORTS', 'CONTAINER'],
          components.map((c) => [
            c.name,
            c.engineState,
            c.healthy ? color.green('healthy') : color.red('unhealthy'),
            c.pid === undefined ? '-' : String(c.pid),
            String(c.restarts),
            Object.values(c.ports).join(' ') || '-',
            c.container,
          ]),
        ),
      );
    if (status.problems.length) console.log(`\n${color.yellow('problems:')}\n${status.problems.map((p) => `  ${p}`).join('\n')}`);
    if (status.state) printContainerEndpoints(status.state);
  }
  if (status.health !== 'up') process.exitCode = 3;
}

export async function containersDown(flags: TargetFlags & { json?: boolean }): Promise<void> {
  const target = containersTargetFrom(flags);
  const report = await target.down();
  if (flags.json) printJson(report);
  else if (report.stopped.length === 0) console.log(`nothing of the container platform was running on port base ${target.portBase}`);
  else console.log(color.green(`removed ${report.stopped.length} containers and the network ${target.name} in ${seconds(report.durationMs)}`));
}
