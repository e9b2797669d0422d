import type { CheckContext } from '../../security-check.ts';
import { loginBody, sendTemplate, tokenFieldOf, type TemplateReply } from '../../toolkit/index.ts';
import { redacted } from './token-oracle.ts';

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
export async function attemptLogin(ctx: CheckContext, username: unknown, password: unknown): Promise<TemplateReply & { readonly token: string | undefined }> {
  const a = await sendTemplate(ctx, { method: 'POST', path: ctx.profile.auth.login.path, body: loginBody(ctx.profile, username, password) });
  return { ...a, evidence: redacted(a.evidence), token: findToken(a.json(), tokenFieldOf(ctx.profile)) };
}
