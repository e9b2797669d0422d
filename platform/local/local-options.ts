import { join } from 'node:path';
import type { PlatformMode } from '../services/shared/service-config.ts';
import { DEFAULT_PORT_BASE, MAX_GATEWAY_REPLICAS, PORT_BLOCK_SIZE } from './ports.ts';
import { vulnerableSwitchProblem, type VulnerableSwitch } from '../services/shared/vulnerable-switches.ts';

/** What a user can choose about the local platform (CLI flags > CRUCIBLE_* env > defaults). */
export interface LocalPlatformOptions {
  /** First port of the 100-port block. @default 7300 */
  portBase?: number;
  /** Gateway replicas behind the edge. @default 2 */
  gatewayReplicas?: number;
  /** 'dev' enables GraphQL introspection; 'test' will allow deliberately vulnerable switches. @default 'production' */
  mode?: PlatformMode;
  /** Where run folders live. @default <project>/.crucible */
  stateRoot?: string;
  /** How long `up` waits for every component to be ready. @default 60000 */
  readyTimeoutMs?: number;
  /** Deliberately vulnerable switches (mode 'test' only): shared/vulnerable-switches.ts. @default [] */
  vulnerable?: string[];
}

export interface ResolvedLocalOptions {
  readonly portBase: number;
  readonly gatewayReplicas: number;
  readonly mode: PlatformMode;
  readonly stateRoot: string;
  readonly readyTimeoutMs: number;
  readonly vulnerable: readonly VulnerableSwitch[];
  /** The run folder of this platform: state, pid files, configs, logs, data. */
  readonly runDir: string;
}

export class LocalOptionsError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

const intFrom = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

export function resolveLocalOptions(opts: LocalPlatformOptions, userProject: string, env: NodeJS.ProcessEnv = process.env): ResolvedLocalOptions {
  const portBase = opts.portBase ?? intFrom(env['CRUCIBLE_PORT_BASE']) ?? DEFAULT_PORT_BASE;
  if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65_535 - PORT_BLOCK_SIZE)
    throw new LocalOptionsError('portBase', `port base must be an integer between 1024 and 65435 (got ${String(portBase)})`);
  const gatewayReplicas = opts.gatewayReplicas ?? intFrom(env['CRUCIBLE_GATEWAY_REPLICAS']) ?? 2;
  if (!Number.isInteger(gatewayReplicas) || gatewayReplicas < 1 || gatewayReplicas > MAX_GATEWAY_REPLICAS)
    throw new LocalOptionsError('gatewayReplicas', `gateway replicas must be an integer from 1 to ${MAX_GATEWAY_REPLICAS} (got ${String(gatewayReplicas)})`);
  const mode = opts.mode ?? (env['CRUCIBLE_MODE'] as PlatformMode | undefined) ?? 'production';
  if (!['dev', 'test', 'production'].includes(mode)) throw new LocalOptionsError('mode', `mode must be dev, test or production (got ${mode})`);
  const stateRoot = opts.stateRoot ?? env['CRUCIBLE_STATE_DIR'] ?? join(userProject, '.crucible');
  const readyTimeoutMs = opts.readyTimeoutMs ?? intFrom(env['CRUCIBLE_READY_TIMEOUT_MS']) ?? 60_000;
  const vulnerable =
    opts.vulnerable ??
    (env['CRUCIBLE_VULNERABLE']
      ? env['CRUCIBLE_VULNERABLE']
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : []);
  const refused = vulnerableSwitchProblem(mode, vulnerable);
  if (refused) throw new LocalOptionsError('vulnerable', refused);
  return {
    portBase,
    gatewayReplicas,
    mode,
    stateRoot,
    readyTimeoutMs,
    vulnerable: vulnerable as VulnerableSwitch[],
    runDir: join(stateRoot, `local-${portBase}`),
  };
}
