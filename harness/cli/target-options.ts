import type { Command } from 'commander';
import type { LocalPlatformOptions } from '../../platform/local/local-options.ts';
import type { PlatformMode } from '../../platform/services/shared/service-config.ts';
import type { ConfigOptions } from '../config/scenario-types.ts';
import { CrucibleError } from '../errors/crucible-error.ts';

export interface TargetFlags {
  portBase?: string;
  replicas?: string;
  mode?: string;
  timeout?: string;
  vulnerable?: string;
}

/** The flags every command that addresses the local platform shares. */
export function addTargetFlags(cmd: Command, opts: { startFlags: boolean }): Command {
  cmd.option('--port-base <port>', 'first port of the 100-port block on 127.0.0.1 (env CRUCIBLE_PORT_BASE)', undefined);
  if (opts.startFlags) {
    cmd
      .option('--replicas <n>', 'gateway replicas behind the edge (env CRUCIBLE_GATEWAY_REPLICAS)', undefined)
      .option('--mode <mode>', 'production | dev (GraphQL introspection on) | test (env CRUCIBLE_MODE)', undefined)
      .option(
        '--vulnerable <switches>',
        'comma-separated deliberately vulnerable switches, mode test only (env CRUCIBLE_VULNERABLE; docs/platform.md#vulnerable-switches)',
        undefined,
      )
      .option('--timeout <seconds>', 'how long to wait for every component to be ready', undefined);
  }
  return cmd;
}

function int(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--${flag} must be a number (got '${value}')`);
  return n;
}

/** The local target's options from the flags; the config's port base applies when neither --port-base nor CRUCIBLE_PORT_BASE says one. */
export function localOptionsFrom(flags: TargetFlags, config: ConfigOptions = {}): LocalPlatformOptions {
  const out: LocalPlatformOptions = {};
  const portBase = int('port-base', flags.portBase) ?? (process.env['CRUCIBLE_PORT_BASE'] === undefined ? config.portBase : undefined);
  if (portBase !== undefined) out.portBase = portBase;
  const replicas = int('replicas', flags.replicas);
  if (replicas !== undefined) out.gatewayReplicas = replicas;
  if (flags.mode !== undefined) out.mode = flags.mode as PlatformMode;
  if (flags.vulnerable !== undefined)
    out.vulnerable = flags.vulnerable
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const timeout = int('timeout', flags.timeout);
  if (timeout !== undefined) out.readyTimeoutMs = timeout * 1000;
  return out;
}
