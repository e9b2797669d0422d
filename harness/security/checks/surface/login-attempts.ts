import { randomBytes } from 'node:crypto';
import type { SecurityHttp } from '../../security-check.ts';
import type { Credentials, TargetProfile } from '../../target-profile.ts';
import { isAccepted, logIn, loginRequest, profileNeeds, type LoginRequest } from '../../toolkit/index.ts';
import type { PinnedHttp, PinnedRequest } from './pinned-http.ts';
import { burst, type BurstTally } from './request-burst.ts';

/** A login answer that means the attempt was evaluated: the password was checked (or the account's lock was). */
export const loginEvaluated = (status: number): boolean => isAccepted(status) || status === 401 || status === 423;

/**
 * Login attempts for usernames that do not exist: a login limiter counts them like any other, and
 * they can lock no real account (the target's per-account lockout must not be what throttles them).
 */
export function strangerLogins(profile: TargetProfile): (k: number) => LoginRequest {
  const run = randomBytes(4).toString('hex');
  return (k) => loginRequest(profile, `crucible-rl-${run}-${k}`, 'not-the-password-0');
}

/** A login attempt as the pinned client sends it (a form's body is its encoded string), with more headers over its own. */
export const pinnedLogin = (r: LoginRequest, headers: Readonly<Record<string, string>> = {}): PinnedRequest => ({
  method: r.method,
  path: r.path,
  headers: { ...r.headers, ...headers },
  body: r.rawBody ?? r.body,
});

/** Logs in as one of the profile's rate-limit identities (not one of the three cached users); throws when it does not work. */
export const loginWith = (http: SecurityHttp, profile: TargetProfile, creds: Credentials): Promise<string> =>
  logIn(http, profile, creds, { as: creds.username, blame: "the profile's rate-limit identity or login route is wrong" });

/** What the checks of the per-IP login limit share: their attack class, and the limit they need from the profile. */
export const LOGIN_LIMIT_CHECK = {
  attackClass: 'rate-limiting',
  applies: (p: TargetProfile) => profileNeeds(p, { limit: 'rateLimits.loginPerIp' }),
} as const;

export interface LoginLimitNeeds {
  readonly limit: number;
}

/** The most a limit may let through before it counts as not holding: 10 % over it (timing at the window's edges, replicas' shares rounding). */
export const allowance = (limit: number): number => limit + Math.ceil(limit * 0.1);

/** A burst that an absent limit lets through entirely, and a holding one visibly throttles. */
export const burstSize = (limit: number): number => allowance(limit) + 10;

/**
 * The limit did not hold: more than the allowance got through, or more than the limit did without a
 * single 429 (an overloaded target's 503s can keep an unlimited burst under the allowance).
 */
export const limitBroken = (t: { readonly allowed: number; readonly limited: number }, limit: number): boolean =>
  t.allowed > allowance(limit) || (t.limited === 0 && t.allowed > limit);

/**
 * The burst that tests a per-IP login limit: burstSize(limit) logins for unknown usernames through
 * the profile's login route, `concurrency` at a time, counted as evaluated (2xx, 401, 423) or not.
 */
export function loginBurst(
  http: PinnedHttp,
  profile: TargetProfile,
  limit: number,
  o: {
    readonly concurrency: number;
    readonly signal: AbortSignal;
    /** The logins (strangerLogins of the profile unless given). */
    readonly login?: (k: number) => LoginRequest;
    /** Headers of login number k. */
    readonly headers?: (k: number) => Record<string, string>;
    readonly stop?: (t: BurstTally) => boolean;
  },
): Promise<BurstTally> {
  const login = o.login ?? strangerLogins(profile);
  return burst({
    count: burstSize(limit),
    concurrency: o.concurrency,
    signal: o.signal,
    allowed: loginEvaluated,
    send: (k) => http.request(pinnedLogin(login(k), o.headers?.(k))),
    ...(o.stop ? { stop: o.stop } : {}),
  });
}
