import type { FaultEnvironment } from '../faults/fault.ts';
import type { SecurityCheckRecord } from '../result/summary-model.ts';
import type { CheckContext, CheckMeta, CheckOutcome, Identity, SecurityCheck } from './security-check.ts';
import { severityOf } from './security-check.ts';
import { createSecurityHttp } from './security-http.ts';
import type { TargetProfile } from './target-profile.ts';
import { credentialPlacement, Inconclusive, logIn, NotApplicable, userName } from './toolkit/index.ts';

export interface RunChecksOptions {
  readonly profile: TargetProfile;
  readonly faults?: FaultEnvironment;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** Epoch ms the records' times count from. @default the call's start */
  readonly origin?: number;
  /** Called as each check ends (progress). */
  readonly onCheck?: (r: SecurityCheckRecord) => void;
}

/**
 * Runs checks one after the other (they share the target's rate limits and lockouts, so running
 * them side by side would make them disturb each other). A check that throws is an `error`, never a
 * pass (Inconclusive keeps its message and evidence); one whose inputs are missing from the profile
 * is `not-applicable` with the reason, and so is one whose root cause (`consequenceOf`) a check
 * before it found: one root cause, one finding.
 */
export async function runChecks(checks: readonly SecurityCheck[], o: RunChecksOptions): Promise<SecurityCheckRecord[]> {
  const origin = o.origin ?? Date.now();
  const signal = o.signal ?? new AbortController().signal;
  const log = o.log ?? (() => {});
  const out: SecurityCheckRecord[] = [];
  for (const check of checks) {
    if (signal.aborted) break;
    const startedMs = Date.now() - origin;
    const root = check.consequenceOf;
    const rootFailed = root !== undefined && out.some((r) => r.id === root.check.id && r.verdict === 'fail');
    const outcome = rootFailed ? notTestedOutcome(root) : await runCheck(check, { ...o, signal, log });
    const record = checkRecord(check, outcome, startedMs, Date.now() - origin);
    out.push(record);
    o.onCheck?.(record);
  }
  return out;
}

/** A check's record: what the catalogue says of it, what it concluded, and when it ran (ms from the run's origin). */
export function checkRecord(check: CheckMeta, outcome: CheckOutcome, startedMs: number, endedMs: number): SecurityCheckRecord {
  return {
    id: check.id,
    title: check.title,
    owasp: check.owasp,
    cwe: check.cwe,
    cvss: check.cvss,
    severity: severityOf(check.cvss.score),
    attackClass: check.attackClass,
    verdict: outcome.verdict,
    summary: outcome.summary,
    description: check.description,
    evidence: outcome.evidence,
    startedMs,
    endedMs,
  };
}

/**
 * A check whose root cause another check already found: not tested (reported not applicable, so it
 * neither passes nor adds a finding naming the wrong cause), nothing sent.
 */
export const notTestedOutcome = (root: NonNullable<SecurityCheck['consequenceOf']>): CheckOutcome => ({
  verdict: 'not-applicable',
  summary: `not tested: ${root.cause} (see ${root.check.id}), so whatever this check sends would be accepted for that reason, not for the one it looks for`,
  evidence: [],
});

/** A check the profile lacks the inputs for: not applicable, with the reason (nothing is sent). */
export const notApplicableOutcome = (reason: string): CheckOutcome => ({ verdict: 'not-applicable', summary: reason, evidence: [] });

/** One check, with a client of its own (its requests tagged with its id) and the logins it asks for cached. */
async function runCheck(
  check: SecurityCheck,
  o: RunChecksOptions & { readonly signal: AbortSignal; readonly log: (line: string) => void },
): Promise<CheckOutcome> {
  const found = check.applies(o.profile);
  if (!found.ok) return notApplicableOutcome(found.reason);
  await using http = createSecurityHttp(o.profile.baseUrl, check.id, { credential: credentialPlacement(o.profile) });
  const tokens = new Map<Identity['name'], Promise<string>>();
  const login = (who: Identity['name']): Promise<string> => {
    const user = o.profile.auth.users[who];
    return logIn(http, o.profile, user, { as: `${who} (${userName(user)})`, blame: "the profile's credentials or login route are wrong" });
  };
  const ctx: CheckContext = {
    profile: o.profile,
    http,
    login: async (who) => {
      let t = tokens.get(who);
      if (!t) tokens.set(who, (t = login(who)));
      return { name: who, token: await t };
    },
    ...(o.faults ? { faults: o.faults } : {}),
    signal: o.signal,
    log: o.log,
  };
  try {
    return await check.run(ctx, found.needs);
  } catch (err) {
    if (err instanceof NotApplicable) return notApplicableOutcome(err.message);
    return err instanceof Inconclusive
      ? { verdict: 'error', summary: err.message, evidence: err.evidence }
      : { verdict: 'error', summary: `the check could not run: ${(err as Error).message}`, evidence: [] };
  }
}
