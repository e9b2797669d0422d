import type { FastifyInstance } from 'fastify';
import type { AuthServices } from './auth-services.ts';
import { clientIp } from './client-ip.ts';
import { guard } from './dependency-unavailable.ts';
import { sendError } from './error-reply.ts';
import { issueTokenPair, TOKEN_PAIR_SCHEMA } from './token-pair.ts';
import { findUserById } from './user-store.ts';

interface RefreshBody {
  readonly refreshToken: string;
}

const REFRESH_SCHEMA = {
  body: {
    type: 'object',
    required: ['refreshToken'],
    additionalProperties: false,
    properties: { refreshToken: { type: 'string', minLength: 1, maxLength: 128 } },
  },
  response: { 200: TOKEN_PAIR_SCHEMA },
} as const;

export function registerRefreshRoute(app: FastifyInstance, services: AuthServices): void {
  const { pool, refreshTokens, audit } = services;

  app.post<{ Body: RefreshBody }>('/refresh', { schema: REFRESH_SCHEMA }, async (request, reply) => {
    const who = { ip: clientIp(request), route: '/refresh', requestId: request.id };
    // GETDEL spends the token before anything else: two concurrent refreshes with one token get one pair.
    const stored = await guard('redis', () => refreshTokens.consume(request.body.refreshToken));
    // The user is read again so a deleted user or a changed role does not live on through rotation.
    const user = stored && (await guard('postgres', () => findUserById(pool, stored.userId)));
    if (!stored || !user) {
      audit.record('auth.token_rejected', {
        ...who,
        user: stored?.username ?? null,
        reason: stored ? 'user_gone' : 'refresh_token_unknown_or_spent',
        token: 'refresh',
      });
      return sendError(request, reply, 401, 'invalid_refresh_token', 'the refresh token is unknown, expired or already used');
    }
    const { jti, ...pair } = await issueTokenPair(services, { userId: user.id, username: user.username, role: user.role });
    audit.record('auth.refresh', { ...who, user: user.username, userId: user.id, jti });
    return pair;
  });
}
