import type { ProbeType } from '../config/probe-spec.ts';

/** One probe's verdict on one sample. */
export interface ProbeOutcome {
  readonly ok: boolean;
  /** PromQL probes: the value read (null when absent). */
  readonly value?: number | null;
  /** Why it was bad, short and stable so equal failures group ('status 503', 'timeout'). */
  readonly error?: string;
}

/**
 * A probe ready to sample: `run` never throws (a failure is a bad outcome) and honours the signal.
 * Disposing it releases what it holds (its connections, its browser).
 */
export interface ProbeCheck extends AsyncDisposable {
  readonly name: string;
  readonly type: ProbeType;
  readonly everyMs: number;
  readonly timeoutMs: number;
  /** false: a latency objective, left out of availability. */
  readonly availability?: boolean;
  run(signal: AbortSignal): Promise<ProbeOutcome>;
}

/** Where probes look: the target's URLs and, on the local target, its datastores. */
export interface ProbeTargetInfo {
  readonly baseUrl: string;
  readonly prometheusUrl?: string;
  readonly postgres?: { readonly host: string; readonly port: number; readonly user: string; readonly password: string; readonly database: string };
  readonly redis?: { readonly nodes: readonly { readonly host: string; readonly port: number }[]; readonly password: string };
  /** A user the browser journey logs in as (an ordinary seed user). */
  readonly browserUser?: { readonly username: string; readonly password: string };
}

/** A short, stable reason for an error: the code or the first words, so failures group in reports. */
export function failureReason(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || /timeout|timed out/i.test(e?.message ?? '')) return 'timeout';
  if (typeof e?.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
  return (e?.message ?? String(err)).split('\n')[0]!.slice(0, 80);
}
