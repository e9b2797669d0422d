import type { CheckContext } from '../../security-check.ts';
import { firstStringAt, loginBody, sendTemplate, tokenFieldOf, type TemplateReply } from '../../toolkit/index.ts';
import { redacted } from './token-oracle.ts';

/** One POST to the profile's login route; `token` is set when the answer carries one. */
export async function attemptLogin(ctx: CheckContext, username: unknown, password: unknown): Promise<TemplateReply & { readonly token: string | undefined }> {
  const a = await sendTemplate(ctx, { method: 'POST', path: ctx.profile.auth.login.path, body: loginBody(ctx.profile, username, password) });
  return { ...a, evidence: redacted(a.evidence), token: firstStringAt(a.json(), tokenFieldOf(ctx.profile)) };
}
