import type { CheckOutcome, Evidence } from '../../security-check.ts';

export const isAccepted = (status: number): boolean => status >= 200 && status < 300;
/** A redirect (to a login page, say) refuses as well as a 4xx does. */
export const isRefused = (status: number): boolean => status >= 300 && status < 500;

/**
 * Thrown inside a check when it cannot reach a verdict (the target is unreachable, the profile's
 * request does not work for its own owner): the run reports `error` with what was seen, never a pass.
 */
export class Inconclusive extends Error {
  readonly evidence: readonly Evidence[];
  constructor(message: string, evidence: readonly Evidence[] = []) {
    super(message);
    this.evidence = evidence;
  }
}

/** Runs a check body, turning Inconclusive into an `error` outcome that keeps its evidence. */
export async function guarded(body: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof Inconclusive) return { verdict: 'error', summary: err.message, evidence: err.evidence };
    throw err;
  }
}

/**
 * What a check saw, probe by probe: findings (the vulnerability shown), doubts (answers that
 * decide nothing, a 5xx or no answer) and the rest of the evidence. A finding makes the check
 * fail; otherwise a doubt makes it an error, since an unanswered probe never proves safety.
 */
export class Observations {
  private readonly findings: { what: string; evidence: readonly Evidence[] }[] = [];
  private readonly doubts: { what: string; evidence: readonly Evidence[] }[] = [];
  private readonly seen: Evidence[] = [];

  finding(what: string, ...evidence: Evidence[]): void {
    this.findings.push({ what, evidence });
  }

  doubt(what: string, ...evidence: Evidence[]): void {
    this.doubts.push({ what, evidence });
  }

  saw(...evidence: Evidence[]): void {
    this.seen.push(...evidence);
  }

  get hasFindings(): boolean {
    return this.findings.length > 0;
  }

  outcome(passSummary: string): CheckOutcome {
    const list = (xs: { what: string }[]): string => {
      const head = xs
        .slice(0, 3)
        .map((x) => x.what)
        .join('; ');
      return xs.length > 3 ? `${head}; and ${xs.length - 3} more` : head;
    };
    if (this.findings.length > 0) return { verdict: 'fail', summary: list(this.findings), evidence: capped(this.findings.flatMap((f) => f.evidence)) };
    if (this.doubts.length > 0) {
      return { verdict: 'error', summary: `no verdict: ${list(this.doubts)}`, evidence: capped([...this.doubts.flatMap((d) => d.evidence), ...this.seen]) };
    }
    return { verdict: 'pass', summary: passSummary, evidence: capped(this.seen) };
  }
}

/** Reports stay readable: the first requests prove as much as all of them. */
const MAX_EVIDENCE = 24;
const capped = (e: readonly Evidence[]): Evidence[] => e.slice(0, MAX_EVIDENCE);

/** Annotates evidence with what the check made of it. */
export const noted = (e: Evidence, note: string): Evidence => ({ ...e, note: e.note ? `${note} (${e.note})` : note });
