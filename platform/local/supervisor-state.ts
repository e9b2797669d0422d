import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_VERSION = 1;

export type ComponentStatus = 'pending' | 'starting' | 'ready' | 'crashed' | 'held' | 'stopping' | 'stopped' | 'failed' | 'done';
export type PlatformPhase = 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped';

export interface ProcessIdentity {
  readonly pid: number;
  /** Start time from /proc/<pid>/stat (clock ticks since boot), so a recycled pid is never mistaken for ours. */
  readonly startTicks: number;
}

export interface ComponentState {
  readonly name: string;
  readonly group: string;
  readonly type: 'process' | 'task';
  status: ComponentStatus;
  pid?: number;
  /** Process group id: the component and every child it forked. */
  pgid?: number;
  startTicks?: number;
  startedAt?: string;
  readyAt?: string;
  /** Milliseconds from the supervisor's start to this component's first readiness. */
  readyAfterMs?: number;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: string };
  ports: Record<string, number>;
  urls: Record<string, string>;
  logFile?: string;
  error?: string;
}

export interface PlatformState {
  version: typeof STATE_VERSION;
  target: 'local';
  runDir: string;
  portBase: number;
  mode: string;
  /** Deliberately vulnerable switches it runs with (mode 'test' only); absent in older states. */
  vulnerable?: string[];
  phase: PlatformPhase;
  supervisor: ProcessIdentity & { controlUrl: string; logFile: string };
  startedAt: string;
  readyAt?: string;
  stoppedAt?: string;
  error?: { component: string; message: string; logTail: string[] };
  /** Folders outside runDir that `down` must remove (PostgreSQL's data dir lives in /tmp when we are root). */
  extraDirs: string[];
  components: ComponentState[];
  endpoints: PlatformEndpoints;
}

/** The URLs a scenario, a probe or a test needs; `status --json` prints exactly this. */
export interface PlatformEndpoints {
  edge: string;
  edgeStats: string;
  prometheus: string;
  toxiproxy: string;
  supervisor: string;
  gateways: string[];
  auth: string;
  catalog: string;
  /** Plain HTTP URLs of auth and catalog, present only with the mesh-plaintext switch. */
  authPlaintext?: string;
  catalogPlaintext?: string;
  postgres: { host: string; port: number; database: string; user: string };
  redis: { nodes: { host: string; port: number }[] };
  /** Certificate the harness presents to internal services (mutual TLS). */
  harnessTls: { caFile: string; certFile: string; keyFile: string };
  auditDir: string;
  logDir: string;
}

const stateFile = (runDir: string): string => join(runDir, 'state.json');

export function readState(runDir: string): PlatformState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(runDir), 'utf8')) as PlatformState;
  } catch {
    return undefined;
  }
}

/** Write-then-rename so a reader never sees half a file. */
export function writeState(state: PlatformState): void {
  const file = stateFile(state.runDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}
