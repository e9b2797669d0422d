import type { SecurityHttp } from '../security-check.ts';
import type { Credentials, TargetProfile } from '../target-profile.ts';
import { objectWith, valueAt } from './dot-path.ts';

/** The JSON body of a login as the profile describes it: its fields (dot paths), by default username and password. */
export function loginBody(profile: TargetProfile, username: unknown, password: unknown): Record<string, unknown> {
  const l = profile.auth.login;
  return objectWith([
    [l.usernameField ?? 'username', username],
    [l.passwordField ?? 'password', password],
  ]);
}

/** Where the login answer holds the token: a dot path (`accessToken`, `data.session.token`). */
export const tokenFieldOf = (profile: TargetProfile): string => profile.auth.login.tokenField ?? 'accessToken';

/**
 * Logs in with `creds` through the profile's login route and returns the token. Throws when none
 * comes back, naming the login (`as`) and what is then wrong (`blame`).
 */
export async function logIn(
  http: SecurityHttp,
  profile: TargetProfile,
  creds: Credentials,
  o: { readonly as: string; readonly blame: string },
): Promise<string> {
  const res = await http.request({ method: 'POST', path: profile.auth.login.path, body: loginBody(profile, creds.username, creds.password) });
  const token = valueAt(res.json(), tokenFieldOf(profile));
  if (res.status !== 200 || typeof token !== 'string') throw new Error(`login as ${o.as} answered ${res.status || 'nothing'}: ${o.blame}`);
  return token;
}
