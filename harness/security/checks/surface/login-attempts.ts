import { randomBytes } from 'node:crypto';
import type { SecurityHttp } from '../../security-check.ts';
import type { Credentials, TargetProfile } from '../../target-profile.ts';
import { isAccepted } from '../../toolkit/index.ts';

/** A login answer that means the attempt was evaluated: the password was checked (or the account's lock was). */
export const loginEvaluated = (status: number): boolean => isAccepted(status) || status === 401 || status === 423;

/**
 * Login attempts for usernames that do not exist: a login limiter counts them like any other, and
 * they can lock no real account (the target's per-account lockout must not be what throttles them).
 */
export function strangerLogins(profile: TargetProfile): (k: number) => Record<string, string> {
  const run = randomBytes(4).toString('hex');
  const l = profile.auth.login;
  return (k) => ({ [l.usernameField ?? 'username']: `crucible-rl-${run}-${k}`, [l.passwordField ?? 'password']: 'not-the-password-0' });
}

/** Logs in with credentials the profile gives (not one of the three cached identities); throws when it does not work. */
export async function loginWith(http: SecurityHttp, profile: TargetProfile, creds: Credentials): Promise<string> {
  const l = profile.auth.login;
  const res = await http.request({
    method: 'POST',
    path: l.path,
    body: { [l.usernameField ?? 'username']: creds.username, [l.passwordField ?? 'password']: creds.password },
  });
  const token = res.json<Record<string, unknown>>()?.[l.tokenField ?? 'accessToken'];
  if (res.status !== 200 || typeof token !== 'string')
    throw new Error(`login as ${creds.username} answered ${res.status || 'nothing'}: the profile's rate-limit identity or login route is wrong`);
  return token;
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
