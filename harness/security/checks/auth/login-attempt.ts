import type { CheckContext } from '../../security-check.ts';
import { credentialIn, loginRequest, type TemplateReply } from '../../toolkit/index.ts';
import { redacted } from './token-oracle.ts';

/** One login attempt as the profile's login kind sends it; `token` is the credential the answer carries, if any. */
export async function attemptLogin(ctx: CheckContext, username: unknown, password: unknown): Promise<TemplateReply & { readonly token: string | undefined }> {
  const started = performance.now();
  const a = await ctx.http.request(loginRequest(ctx.profile, username, password));
  return { ...a, elapsedMs: performance.now() - started, evidence: redacted(a.evidence), token: credentialIn(ctx.profile, a) };
}
