import type { PlatformEndpoints, PlatformState } from '../../platform/local/supervisor-state.ts';

export type { PlatformEndpoints, PlatformState };

export type TargetKind = 'local' | 'containers' | 'kind' | 'external';

/** Progress while a target comes up, for live output. */
export type UpEvent =
  | { readonly kind: 'preflight'; readonly message: string }
  | { readonly kind: 'component'; readonly name: string; readonly status: string; readonly atMs: number }
  | { readonly kind: 'ready'; readonly atMs: number };

export interface DownReport {
  readonly wasRunning: boolean;
  readonly stopped: readonly string[];
  /** Processes found without the supervisor (a crashed harness) and killed. */
  readonly reaped: readonly { pid: number; cmd: string }[];
  readonly durationMs: number;
}

export type Health = 'up' | 'starting' | 'degraded' | 'down';

export interface TargetStatus {
  readonly target: TargetKind;
  readonly health: Health;
  /** Why the health is not 'up', one line per reason. */
  readonly problems: readonly string[];
  readonly state: PlatformState | undefined;
}

/** A platform the harness can bring up, inspect and tear down. */
export interface Target {
  readonly kind: TargetKind;
  up(signal?: AbortSignal): Promise<PlatformState>;
  down(): Promise<DownReport>;
  status(): Promise<TargetStatus>;
}
