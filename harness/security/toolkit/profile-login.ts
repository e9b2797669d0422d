import type { SecurityHttp } from '../security-check.ts';
import type { ProfileUser, TargetProfile } from '../target-profile.ts';
import { answerKind } from './answer-kind.ts';
import { cookieSet, credentialPlacement } from './credential.ts';
import { objectWith, valueAt } from './dot-path.ts';

/** One login attempt as the profile's login kind sends it; what SecurityHttp.request takes. */
export interface LoginRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly rawBody?: string;
}

/** The path logins are posted to: the login's own, or (a GraphQL login without one) the GraphQL endpoint. */
export function loginPath(profile: TargetProfile): string {
  const l = profile.auth.login;
  return l.kind === 'graphql' ? (l.path ?? profile.graphql?.path ?? '/graphql') : l.path;
}

/** The JSON body of a login as the profile describes it: its fields (dot paths), by default username and password. */
export function loginBody(profile: TargetProfile, username: unknown, password: unknown): Record<string, unknown> {
  const l = profile.auth.login;
  if (l.kind === 'graphql') return { query: l.mutation, variables: { u: username, p: password } };
  return objectWith([
    [l.usernameField ?? 'username', username],
    [l.passwordField ?? 'password', password],
  ]);
}

/**
 * A form field's value: strings as they are; an object as the bracket fields a form parser reads
 * back into one (`username[$ne]=`), so the injection checks' operator objects reach a form login too.
 */
function formPairs(name: string, value: unknown): [string, string][] {
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => formPairs(`${name}[${k}]`, v));
  return [[name, typeof value === 'string' ? value : JSON.stringify(value)]];
}

/** One login attempt with any values (the injection and brute-force checks send odd ones), as the profile's login kind sends it. */
export function loginRequest(profile: TargetProfile, username: unknown, password: unknown): LoginRequest {
  const l = profile.auth.login;
  const path = loginPath(profile);
  if (l.kind !== 'form') return { method: 'POST', path, body: loginBody(profile, username, password) };
  const form = new URLSearchParams([...formPairs(l.usernameField ?? 'username', username), ...formPairs(l.passwordField ?? 'password', password)]);
  return { method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: form.toString() };
}

/** Where a JSON or form login's answer holds the token: a dot path (`accessToken`, `data.session.token`). */
export const tokenFieldOf = (profile: TargetProfile): string => profile.auth.login.tokenField ?? 'accessToken';

/**
 * The credential a login answer carries, as the profile says to read it: a GraphQL login's at its
 * tokenField in `data` (none when the answer has errors); a cookie session's in the Set-Cookie of
 * the credential's name (when no tokenField is given); otherwise the token at tokenField.
 */
export function credentialIn(profile: TargetProfile, res: { readonly headers: Readonly<Record<string, unknown>>; json(): unknown }): string | undefined {
  const l = profile.auth.login;
  const placement = credentialPlacement(profile);
  let found: unknown;
  if (l.kind === 'graphql') {
    const answer = res.json() as { data?: unknown; errors?: unknown[] } | undefined;
    found = Array.isArray(answer?.errors) && answer.errors.length > 0 ? undefined : valueAt(answer?.data, l.tokenField);
  } else if (placement.in === 'cookie' && l.tokenField === undefined) {
    found = cookieSet(res.headers['set-cookie'] as string | string[] | undefined, placement.name);
  } else {
    found = valueAt(res.json(), tokenFieldOf(profile));
  }
  return typeof found === 'string' && found.length > 0 ? found : undefined;
}

/** A login answer that logs in: 2xx, or a redirect (a form login sends the browser on), with a credential. */
const loggedIn = (status: number): boolean => status >= 200 && status < 400;

/**
 * The one way a check gets a user's credential: a static one as given, otherwise a login through
 * the profile's login route. Throws when no credential comes back, naming the login (`as`) and
 * what is then wrong (`blame`).
 */
export async function logIn(
  http: SecurityHttp,
  profile: TargetProfile,
  user: ProfileUser,
  o: { readonly as: string; readonly blame: string },
): Promise<string> {
  if ('credential' in user) return user.credential;
  const res = await http.request(loginRequest(profile, user.username, user.password));
  const credential = credentialIn(profile, res);
  if (!loggedIn(res.status) || credential === undefined) throw new Error(`login as ${o.as} answered ${res.status || 'nothing'}: ${o.blame}`);
  return credential;
}

/** How a user is named in summaries: its username, or that it carries a static credential. */
export const userName = (user: ProfileUser): string => ('credential' in user ? 'a static credential' : user.username);

/**
 * A login attempt the target turned down: no credential, and a 4xx other than 429; a GraphQL login
 * is turned down with a 2xx carrying errors, and a form login with a redirect (back to its form).
 */
export function loginRefused(profile: TargetProfile, a: { readonly status: number; readonly token: string | undefined }): boolean {
  if (a.token !== undefined) return false;
  const kind = answerKind(a.status);
  if (kind === 'refused') return true;
  const l = profile.auth.login;
  return (l.kind === 'graphql' && kind === 'accepted') || (l.kind === 'form' && kind === 'redirected');
}
