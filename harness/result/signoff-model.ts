import type { Limit } from './limit.ts';
import type { RunVerdict } from './summary-model.ts';

/**
 * signoff.json: the phase-4 hardening sign-off, one metric per roadmap success criterion.
 * v2: `verdict` (judgeSignoff) replaced `pass`; each metric carries its `limit` as data.
 */
export const SIGNOFF_SCHEMA = 'crucible.signoff/v2' as const;

export interface SignoffMetric {
  readonly id:
    'p95-latency' | 'cache-hit-rate' | 'error-rate' | 'critical-vulnerabilities' | 'check-verdicts' | 'time-to-detect' | 'mttr' | 'availability' | 'data-loss';
  /** The roadmap's wording: 'p95 < 200 ms'. */
  readonly objective: string;
  /** null: not measured (the metric then fails: the sign-off needs evidence). */
  readonly actual: number | null;
  readonly unit: 'ms' | 'ratio' | 'count';
  /** The roadmap's limit as data (`p95 < 200 ms`: < 200 ms). */
  readonly limit: Limit;
  readonly pass: boolean;
  /** How it was measured, in words. */
  readonly how: string;
  /** Run folders (relative to the sign-off folder) holding the evidence. */
  readonly evidence: readonly string[];
  /** The value each evidence folder gave on its own (chaos metrics), so a FAIL points at its experiment. */
  readonly perRun?: Readonly<Record<string, number | null>>;
}

export interface SignoffStep {
  readonly name: string;
  /** Relative to the sign-off folder. */
  readonly runDir: string;
  readonly status: string;
  readonly durationMs: number;
}

export interface SignoffReport {
  readonly schema: typeof SIGNOFF_SCHEMA;
  readonly id: string;
  readonly profile: 'full' | 'short';
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** Passed when every metric passed; aborted when interrupted. Its exit code is the command's. */
  readonly verdict: RunVerdict;
  readonly metrics: readonly SignoffMetric[];
  readonly steps: readonly SignoffStep[];
  readonly notes: readonly string[];
}
