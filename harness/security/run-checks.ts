import type { FaultEnvironment } from '../faults/fault.ts';
import type { SecurityCheckRecord } from '../result/summary-model.ts';
import type { CheckContext, CheckOutcome, Identity, SecurityCheck } from './security-check.ts';
import { severityOf } from './security-check.ts';
import { createSecurityHttp } from './security-http.ts';
import { Inconclusive } from './toolkit/index.ts';
import type { TargetProfile } from './target-profile.ts';

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

/** Logs in through the profile's login route; undefined with the reason when it does not work. */
async function login(profile: TargetProfile, who: Identity['name'], http: CheckContext['http']): Promise<string> {
  const l = profile.auth.login;
  const creds = profile.auth.users[who];
  const res = await http.request({
    method: 'POST',
    path: l.path,
    body: { [l.usernameField ?? 'username']: creds.username, [l.passwordField ?? 'password']: creds.password },
  });
  const token = res.json<Record<string, unknown>>()?.[l.tokenField ?? 'accessToken'];
  if (res.status !== 200 || typeof token !== 'string')
    throw new Error(`login as ${who} (${creds.username}) answered ${res.status}: the profile's credentials or login route are wrong`);
  return token;
}

/**
 * Runs checks one after the other (they share the target's rate limits and lockouts, so running
 * them side by side would make them disturb each other). A check that throws is an `error`, never a
 * pass (Inconclusive keeps its message and evidence); one whose inputs are missing from the profile
 * is `not-applicable` with the reason.
 */
export async function runChecks(checks: readonly SecurityCheck[], o: RunChecksOptions): Promise<SecurityCheckRecord[]> {
  const origin = o.origin ?? Date.now();
  const signal = o.signal ?? new AbortController().signal;
  const log = o.log ?? (() => {});
  const out: SecurityCheckRecord[] = [];
  for (const check of checks) {
    if (signal.aborted) break;
    const startedMs = Date.now() - origin;
    const http = createSecurityHttp(o.profile.baseUrl, check.id);
    const tokens = new Map<Identity['name'], Promise<string>>();
    const ctx: CheckContext = {
      profile: o.profile,
      http,
      login: async (who) => {
        let t = tokens.get(who);
        if (!t) tokens.set(who, (t = login(o.profile, who, http)));
        return { name: who, token: await t };
      },
      ...(o.faults ? { faults: o.faults } : {}),
      signal,
      log,
    };
    let outcome: CheckOutcome;
    const found = check.applies(o.profile);
    if (!found.ok) outcome = { verdict: 'not-applicable', summary: found.reason, evidence: [] };
    else {
      try {
        outcome = await check.run(ctx, found.needs);
      } catch (err) {
        outcome =
          err instanceof Inconclusive
            ? { verdict: 'error', summary: err.message, evidence: err.evidence }
            : { verdict: 'error', summary: `the check could not run: ${(err as Error).message}`, evidence: [] };
      }
    }
    await http.close();
    const record: SecurityCheckRecord = {
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
      endedMs: Date.now() - origin,
    };
    out.push(record);
    o.onCheck?.(record);
  }
  return out;
}
