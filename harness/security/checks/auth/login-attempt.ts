import type { CheckContext } from '../../security-check.ts';
import type { TargetProfile } from '../../target-profile.ts';
import { redacted, sendTemplate, type Answer } from './token-oracle.ts';

export const tokenFieldOf = (profile: TargetProfile): string => profile.auth.login.tokenField ?? 'accessToken';

/** The first non-empty string under `field` anywhere in a JSON value (a login answer, a GraphQL batch). */
export function findToken(value: unknown, field: string): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = findToken(v, field);
      if (t) return t;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === field && typeof v === 'string' && v.length > 0) return v;
      const t = findToken(v, field);
      if (t) return t;
    }
  }
  return undefined;
}

/** One POST to the profile's login route; `token` is set when the answer carries one. */
export async function attemptLogin(ctx: CheckContext, username: unknown, password: unknown): Promise<Answer & { readonly token: string | undefined }> {
  const l = ctx.profile.auth.login;
  const a = await sendTemplate(ctx, {
    method: 'POST',
    path: l.path,
    body: { [l.usernameField ?? 'username']: username, [l.passwordField ?? 'password']: password },
  });
  return { ...a, evidence: redacted(a.evidence), token: findToken(a.json(), tokenFieldOf(ctx.profile)) };
}
