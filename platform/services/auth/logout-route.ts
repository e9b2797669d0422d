import type { FastifyInstance } from 'fastify';
import type { AuthServices } from './auth-services.ts';
import { clientIp } from './client-ip.ts';
import { guard } from './dependency-unavailable.ts';
import { sendError } from './error-reply.ts';
import { revokeAccessToken } from './revocation-list.ts';

interface LogoutBody {
  readonly refreshToken?: string;
}

const LOGOUT_SCHEMA = {
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { refreshToken: { type: 'string', minLength: 1, maxLength: 128 } },
  },
} as const;

const bearerToken = (header: string | undefined): string | undefined => /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header ?? '')?.[1];

export function registerLogoutRoute(app: FastifyInstance, services: AuthServices): void {
  const { redis, refreshTokens, verifyAccessToken, audit } = services;

  app.post<{ Body: LogoutBody }>(
    '/logout',
    {
      schema: LOGOUT_SCHEMA,
      // The refresh token is optional, so is the body: a bare POST is validated as {}.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const who = { ip: clientIp(request), route: '/logout', requestId: request.id };
      const reject = (reason: string) => {
        audit.record('auth.token_rejected', { ...who, user: null, reason, token: 'access' });
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        return sendError(request, reply, 401, 'invalid_token', 'a valid bearer access token is required');
      };

      const token = bearerToken(request.headers.authorization);
      if (!token) return reject('missing_bearer_token');
      let claims;
      try {
        claims = await verifyAccessToken(token);
      } catch (err) {
        return reject((err as { code?: string }).code ?? 'invalid_access_token');
      }
      // SET NX: a replayed logout finds the jti revoked and is refused like any revoked token.
      if (!(await guard('redis', () => revokeAccessToken(redis, claims.jti, claims.exp)))) return reject('access_token_revoked');

      const refreshToken = request.body.refreshToken;
      const refreshRevoked = refreshToken ? await guard('redis', () => refreshTokens.revoke(refreshToken, claims.sub)) : false;
      audit.record('auth.logout', { ...who, user: claims.name ?? claims.sub, userId: claims.sub, jti: claims.jti, refreshRevoked });
      return reply.code(204).send();
    },
  );
}
