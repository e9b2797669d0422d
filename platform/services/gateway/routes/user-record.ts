import type { AuthUser } from '../jwt-verifier.ts';
import { parseJson } from '../upstream-answers.ts';
import type { CallContext, UpstreamClient } from '../upstream-client.ts';

/**
 * The excessive-exposure switch's /api/me: the user's whole record as auth stores it (password
 * hash included, from auth's GET /users/:id, which exists only under the same switch) plus the
 * token's internals, where the hardened route answers only id, username and role.
 */
export async function fullUserRecord(auth: UpstreamClient, user: AuthUser, ctx: CallContext): Promise<Record<string, unknown>> {
  const res = await auth.request({ method: 'GET', path: `/users/${encodeURIComponent(user.id)}` }, ctx);
  const stored = res.status === 200 ? parseJson<Record<string, unknown>>(res, 'auth') : {};
  return { id: user.id, username: user.username, role: user.role, ...stored, tokenId: user.jti };
}
