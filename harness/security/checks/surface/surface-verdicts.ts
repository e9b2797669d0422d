import type { CheckOutcome, Evidence } from '../../security-check.ts';

/** Reports stay readable and small: the first requests of each kind are enough to prove a verdict. */
const MAX_EVIDENCE = 16;
const MAX_SUMMARY = 400;

export const noted = (e: Evidence, note: string): Evidence => ({ ...e, note: e.note ? `${note}; ${e.note}` : note });

/** Status 0 is "no answer" (refused, reset, timed out): never a refusal by the target, so never a pass. */
export const noAnswer = (status: number): boolean => status === 0;
export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

function oneLine(parts: readonly string[]): string {
  const s = parts.length > 3 ? `${parts.slice(0, 3).join('; ')} (and ${parts.length - 3} more)` : parts.join('; ');
  return s.length > MAX_SUMMARY ? `${s.slice(0, MAX_SUMMARY - 1)}…` : s;
}

/**
 * What a check saw, sorted into findings (a vulnerability: fail), doubts (a probe that could not be
 * judged: error) and the answers that show a defence held (pass). A finding outranks a doubt: one
 * proven hole is a fail even when another probe of the same check could not be judged.
 */
export class Verdicts {
  readonly #findings: string[] = [];
  readonly #doubts: string[] = [];
  readonly #failEvidence: Evidence[] = [];
  readonly #doubtEvidence: Evidence[] = [];
  readonly #passEvidence: Evidence[] = [];

  finding(what: string, ...evidence: Evidence[]): void {
    this.#findings.push(what);
    this.#failEvidence.push(...evidence);
  }

  doubt(what: string, ...evidence: Evidence[]): void {
    this.#doubts.push(what);
    this.#doubtEvidence.push(...evidence);
  }

  saw(...evidence: Evidence[]): void {
    this.#passEvidence.push(...evidence);
  }

  get hasFindings(): boolean {
    return this.#findings.length > 0;
  }

  outcome(passSummary: string): CheckOutcome {
    if (this.#findings.length > 0) return { verdict: 'fail', summary: oneLine(this.#findings), evidence: this.#failEvidence.slice(0, MAX_EVIDENCE) };
    if (this.#doubts.length > 0) return { verdict: 'error', summary: oneLine(this.#doubts), evidence: this.#doubtEvidence.slice(0, MAX_EVIDENCE) };
    return { verdict: 'pass', summary: passSummary, evidence: this.#passEvidence.slice(0, MAX_EVIDENCE) };
  }
}

/** Which of the profile's fields a check needs are missing, as the not-applicable reason (undefined: all there). */
export function missingFields(fields: Readonly<Record<string, unknown>>): string | undefined {
  const missing = Object.entries(fields)
    .filter(([, v]) => v === undefined || v === null || (Array.isArray(v) && v.length === 0))
    .map(([k]) => k);
  return missing.length === 0 ? undefined : `the profile does not give ${missing.map((m) => `profile.${m}`).join(', ')}`;
}
