import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '../shared/audit-log.ts';
import { ApiError, sendApiError } from './api-error.ts';
import { auditFields } from './audit-fields.ts';
import { TokenRejected, type AuthUser, type JwtVerifier } from './jwt-verifier.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, or null for an anonymous request. */
    user: AuthUser | null;
  }
}

export interface AuthHooks {
  /** onRequest, every route: a request that carries a token must carry a valid one. */
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** preValidation (before body checks, so a stranger learns nothing about the body) of routes for signed-in users. */
  requireUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** preValidation of admin routes. */
  requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
}

const unauthorized = (invalid: boolean): ApiError =>
  new ApiError(401, 'unauthorized', 'a valid access token is required', {
    'www-authenticate': invalid ? 'Bearer realm="crucible", error="invalid_token"' : 'Bearer realm="crucible"',
  });

/**
 * Bearer-token authentication. An invalid token is refused even on public routes (a client that
 * believes it is signed in should learn it is not), and every refusal is audited with its reason.
 */
export function createAuthHooks(verifier: JwtVerifier, audit: AuditLog, vulnerable: ReadonlySet<string> = new Set()): AuthHooks {
  const reject = (request: FastifyRequest, reply: FastifyReply, reason: string, invalid: boolean): FastifyReply => {
    audit.record('auth.token_rejected', { ...auditFields(request), reason });
    return sendApiError(reply, unauthorized(invalid));
  };

  return {
    async authenticate(request, reply) {
      const header = request.headers.authorization;
      if (header === undefined) return undefined;
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
      if (!match) return reject(request, reply, 'malformed_header', true);
      try {
        request.user = await verifier.verify(match[1] as string);
        return undefined;
      } catch (err) {
        if (err instanceof TokenRejected) return reject(request, reply, err.reason, true);
        if (err instanceof ApiError) return sendApiError(reply, err);
        throw err;
      }
    },
    async requireUser(request, reply) {
      // Deliberately vulnerable (mode test): a forgotten check, the caller becomes a guest.
      if (!request.user && vulnerable.has('anonymous-access')) request.user = { id: 'guest', username: 'guest', role: 'user' } as AuthUser;
      if (!request.user) return reject(request, reply, 'missing_token', false);
      return undefined;
    },
    async requireAdmin(request, reply) {
      if (!request.user) return reject(request, reply, 'missing_token', false);
      if (request.user.role === 'admin') return undefined;
      audit.record('authz.denied', { ...auditFields(request), reason: 'admin_role_required', role: request.user.role });
      return sendApiError(reply, new ApiError(403, 'forbidden', 'this action needs the admin role'));
    },
  };
}
