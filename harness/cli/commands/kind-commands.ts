import { CrucibleError } from '../../errors/crucible-error.ts';
import { KindTarget, type KindState } from '../../targets/kind/kind-target.ts';
import type { UpEvent } from '../../targets/target.ts';
import { color, printJson, seconds, table } from '../output.ts';
import type { TargetFlags } from '../target-options.ts';
import { intFlag, upInterruptibly } from './target-commands.ts';

/** up/status/down with --target kind: the same flags, the kind target behind them. */
function kindTargetFrom(flags: TargetFlags & { workers?: string; cluster?: string }, onEvent?: (e: UpEvent) => void): KindTarget {
  if ((flags.mode !== undefined && flags.mode !== 'production') || flags.vulnerable !== undefined || flags.replicas !== undefined)
    throw new CrucibleError(
      'CRUCIBLE_ERR_INVALID_OPTION',
      'the kind target runs the production platform of platform/k8s (--mode, --vulnerable and --replicas are the local target’s)',
    );
  const portBase = intFlag('port-base', flags.portBase) ?? intFlag('port-base', process.env['CRUCIBLE_PORT_BASE']);
  const workers = intFlag('workers', flags.workers);
  if (flags.cluster !== undefined && workers !== undefined)
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', '--workers sizes a cluster crucible creates; an existing cluster (--cluster) keeps its nodes');
  return new KindTarget(
    {
      ...(portBase !== undefined ? { portBase } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(flags.cluster !== undefined ? { cluster: flags.cluster } : {}),
    },
    onEvent ? { onEvent } : {},
  );
}

function printKindEndpoints(state: KindState): void {
  const e = state.endpoints;
  console.log(`
  edge (web UI, /api, /graphql)  ${e.edge}
  Prometheus                     ${e.prometheus}
  Toxiproxy API                  ${e.toxiproxy}
  HAProxy stats                  ${e.edgeStats}/stats
  PostgreSQL                     ${e.postgres.host}:${e.postgres.port} (database ${e.postgres.database}; passwords in the Secret postgres-auth)
  Redis Cluster nodes            ${e.redis.nodes.map((n) => `${n.host}:${n.port}`).join(' ')}
  kubectl                        kubectl --kubeconfig ${state.kubeconfig} -n ${state.namespace} get pods
`);
}

export async function kindUp(flags: TargetFlags & { workers?: string; cluster?: string; json?: boolean }, progress: (e: UpEvent) => void): Promise<void> {
  const target = kindTargetFrom(flags, progress);
  await upInterruptibly('the kind platform', (signal) => target.up(signal), {
    json: flags.json === true,
    announce:
      flags.cluster === undefined
        ? `starting the platform in the kind cluster ${target.name}, published on 127.0.0.1 port base ${target.portBase}`
        : `starting the platform in the existing kind cluster ${target.name} (namespace crucible; NodePorts on its node address), as port base ${target.portBase}`,
    print: printKindEndpoints,
  });
}

export async function kindStatus(flags: TargetFlags & { json?: boolean }): Promise<void> {
  const target = kindTargetFrom(flags);
  const status = await target.status();
  if (flags.json) printJson(status);
  else if (status.health === 'down') console.log(`kind platform on port base ${target.portBase}: ${color.red('down')}`);
  else {
    const health = status.health === 'up' ? color.green('up') : color.yellow(status.health);
    console.log(`kind platform ${target.name} on port base ${target.portBase}: ${health}${status.state ? ` (since ${status.state.startedAt})` : ''}\n`);
    console.log(
      table(
        ['WORKLOAD', 'READY'],
        status.workloads.map((w) => [w.workload, w.ready >= w.wanted ? color.green(`${w.ready}/${w.wanted}`) : color.red(`${w.ready}/${w.wanted}`)]),
      ),
    );
    if (status.pods.length)
      console.log(
        `\n${table(
          ['POD', 'PHASE', 'READY', 'RESTARTS', 'NODE'],
          status.pods.map((p) => [
            p.name,
            p.phase,
            p.ready ? color.green('yes') : p.phase === 'Succeeded' ? 'done' : color.red('no'),
            String(p.restarts),
            p.node,
          ]),
        )}`,
      );
    if (status.problems.length) console.log(`\n${color.yellow('problems:')}\n${status.problems.map((p) => `  ${p}`).join('\n')}`);
    if (status.state) printKindEndpoints(status.state);
  }
  if (status.health !== 'up') process.exitCode = 3;
}

export async function kindDown(flags: TargetFlags & { json?: boolean }): Promise<void> {
  const target = kindTargetFrom(flags);
  const report = await target.down();
  if (flags.json) printJson(report);
  else if (!report.wasRunning) console.log(`no kind platform was running on port base ${target.portBase}`);
  else console.log(color.green(`deleted the ${report.stopped.join(', ')} in ${seconds(report.durationMs)}`));
}
