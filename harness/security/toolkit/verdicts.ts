import type { CheckOutcome, Evidence } from '../security-check.ts';

/** Reports stay readable: the first requests of each kind prove a verdict as well as all of them. */
const MAX_EVIDENCE = 24;
/** A summary is one line. */
const MAX_SUMMARY = 400;

/** Annotates evidence with what the check made of it (a note already there is kept after it). */
export const noted = (e: Evidence, note: string): Evidence => ({ ...e, note: e.note ? `${note}; ${e.note}` : note });

function oneLine(parts: readonly string[]): string {
  const s = parts.length > 3 ? `${parts.slice(0, 3).join('; ')} (and ${parts.length - 3} more)` : parts.join('; ');
  return s.length > MAX_SUMMARY ? `${s.slice(0, MAX_SUMMARY - 1)}…` : s;
}

/**
 * What a check saw, probe by probe: findings (the vulnerability shown: fail), doubts (answers that
 * decide nothing, such as a 5xx or no answer: error) and the answers that show a defence held (pass).
 * A finding outranks a doubt: one proven hole is a fail even when another probe could not be judged;
 * without one, a doubt makes the check an error, since an unjudged probe never proves safety.
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

  /** The verdict; an error keeps what passed after the doubtful answers, as context. */
  outcome(passSummary: string): CheckOutcome {
    if (this.#findings.length > 0) return { verdict: 'fail', summary: oneLine(this.#findings), evidence: this.#failEvidence.slice(0, MAX_EVIDENCE) };
    if (this.#doubts.length > 0)
      return { verdict: 'error', summary: oneLine(this.#doubts), evidence: [...this.#doubtEvidence, ...this.#passEvidence].slice(0, MAX_EVIDENCE) };
    return { verdict: 'pass', summary: passSummary, evidence: this.#passEvidence.slice(0, MAX_EVIDENCE) };
  }
}

/**
 * Thrown inside a check when it cannot reach a verdict (the target is unreachable, the profile's
 * request does not work for its own owner): the run reports `error` with what was seen, never a pass.
 */
export class Inconclusive extends Error {
  readonly evidence: readonly Evidence[];
  constructor(message: string, evidence: readonly Evidence[] = []) {
    super(message);
    this.name = 'Inconclusive';
    this.evidence = evidence;
  }
}

/**
 * Thrown when what the target turned out to be leaves a check nothing to test, though the profile
 * gave all it needs (a token check on a target whose credential is a session id, not a JWT): the
 * check is not applicable, with this reason, never an error or a pass.
 */
export class NotApplicable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotApplicable';
  }
}
