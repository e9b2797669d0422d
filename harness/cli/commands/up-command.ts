import { Command } from 'commander';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { LocalTarget } from '../../targets/local/local-target.ts';
import type { UpEvent } from '../../targets/target.ts';
import { color, printJson, seconds } from '../output.ts';
import { addTargetFlags, localOptionsFrom, type TargetFlags } from '../target-options.ts';
import { printEndpoints } from './status-command.ts';
import { containersUp } from './containers-commands.ts';
import { platformTarget } from './target-commands.ts';
import { kindUp } from './kind-commands.ts';

const STATUS_MARK: Record<string, string> = { ready: color.green('ready'), done: color.green('done'), failed: color.red('FAILED') };

/** Prints component transitions as they happen; quiet ones (pending, starting) only in verbose mode. */
export function upProgress(json: boolean): (e: UpEvent) => void {
  return (e) => {
    if (json) return;
    if (e.kind === 'preflight') console.log(color.dim(`  ${e.message}`));
    else if (e.kind === 'component' && STATUS_MARK[e.status]) console.log(`  ${seconds(e.atMs).padStart(7)}  ${e.name.padEnd(18)} ${STATUS_MARK[e.status]}`);
    else if (e.kind === 'ready') console.log(color.green(`platform ready in ${seconds(e.atMs)}`));
  };
}

export function announceStart(target: LocalTarget, json: boolean): void {
  if (!json)
    console.log(
      `starting the local platform on 127.0.0.1 port base ${target.options.portBase} (${target.options.gatewayReplicas} gateway replicas, ${target.options.mode} mode)`,
    );
}

export function upCommand(): Command {
  const cmd = new Command('up')
    .description('start the reference platform on the local target and wait until every component is ready')
    .option('--json', 'print the platform state (endpoints, ports, pids) as JSON when ready')
    .option(
      '--target <target>',
      'local (child processes), containers (docker/podman, images built when missing) or kind (a kind cluster running platform/k8s)',
      'local',
    )
    .option('--base <base>', 'containers target: what images are built FROM when missing (auto, local, official, IMAGE)')
    .option('--workers <n>', 'kind target: worker nodes beside the control plane (default: kind-config.yaml’s two)')
    .option('--cluster <name>', 'kind target: deploy into this existing kind cluster (only the crucible namespace is made, and removed by down)');
  addTargetFlags(cmd, { startFlags: true });
  cmd.addHelpText(
    'after',
    `
What it starts (all on 127.0.0.1, under a supervisor that restarts crashed components):
  edge (HAProxy) -> 2 gateway replicas -> auth, catalog (mutual TLS)
  Redis Cluster (6 nodes), PostgreSQL, Toxiproxy (every service edge), Prometheus (1 s scrapes)

If the platform is already up on this port base, 'up' reuses it. Ports in use, missing tools and
a component that will not start are reported before or instead of anything left half-running.

Examples:
  $ crucible up
  $ crucible up --port-base 7500 --replicas 3
  $ crucible up --json | jq .endpoints.edge
  $ crucible up --target containers     the same platform as containers (docs/images.md)
  $ crucible up --target kind           the same platform inside a kind cluster (docs/kind.md)
  $ crucible up --target kind --cluster dev
                                        ... inside your own kind cluster 'dev' (its node address, NodePorts)
`,
  );
  cmd.action(async (flags: TargetFlags & { json?: boolean; target?: string; base?: string; workers?: string; cluster?: string }) => {
    const json = flags.json === true;
    const which = platformTarget(flags.target);
    if (flags.cluster !== undefined && which !== 'kind')
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--cluster names an existing kind cluster: it goes with --target kind (got --target ${which})`);
    if (which === 'containers') return containersUp(flags, upProgress(json));
    if (which === 'kind') return kindUp(flags, upProgress(json));
    const target = new LocalTarget(localOptionsFrom(flags), { onEvent: upProgress(json) });
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      announceStart(target, json);
      const state = await target.up(abort.signal);
      if (json) printJson(state);
      else printEndpoints(state);
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
  return cmd;
}
