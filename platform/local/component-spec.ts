/** How the supervisor knows a component is serving. */
export type ReadinessCheck =
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly expectStatus?: number;
      readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string; readonly servername: string };
    }
  | { readonly kind: 'tcp'; readonly port: number }
  | { readonly kind: 'custom'; readonly describe: string; readonly probe: (signal: AbortSignal) => Promise<void> };

interface ComponentBase {
  /** Unique name, also the log file's name: redis-0, postgres, gateway-1, edge, ... */
  readonly name: string;
  /** What family it belongs to, for status grouping and faults. */
  readonly group: 'datastore' | 'mesh' | 'observability' | 'service' | 'edge' | 'init';
  /** Components (processes or tasks) that must be ready first. */
  readonly dependsOn: readonly string[];
}

/** A long-running child process, supervised and restarted like a kubelet would. */
export interface ProcessComponent extends ComponentBase {
  readonly type: 'process';
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Run as this system user (PostgreSQL refuses to run as root). */
  readonly runAs?: { readonly uid: number; readonly gid: number; readonly home: string };
  /** One-off preparation before the first start (initdb, config files). */
  readonly prepare?: () => Promise<void>;
  readonly ready: ReadinessCheck;
  /** Named ports and URLs reported by `status`. */
  readonly ports: Readonly<Record<string, number>>;
  readonly urls?: Readonly<Record<string, string>>;
  /** Restart no sooner than this after a crash (on top of the backoff), to model a slow restart. */
  readonly minRestartDelayMs?: number;
  readonly stopSignal?: NodeJS.Signals;
  readonly stopTimeoutMs?: number;
}

/** A one-shot step run once its dependencies are ready (create the Redis cluster, create the database). */
export interface TaskComponent extends ComponentBase {
  readonly type: 'task';
  readonly run: (signal: AbortSignal) => Promise<void>;
}

export type ComponentSpec = ProcessComponent | TaskComponent;
