import type { FastifyInstance } from 'fastify';
import type { AuthServices } from './auth-services.ts';
import { clientIp } from './client-ip.ts';
import { guard } from './dependency-unavailable.ts';
import { sendError } from './error-reply.ts';
import { issueTokenPair, TOKEN_PAIR_SCHEMA } from './token-pair.ts';
import { findUserByUsername } from './user-store.ts';

interface LoginBody {
  readonly username: string;
  readonly password: string;
}

const LOGIN_SCHEMA = {
  body: {
    type: 'object',
    required: ['username', 'password'],
    additionalProperties: false,
    properties: {
      username: { type: 'string', minLength: 1, maxLength: 64 },
      // Bounded: scrypt's cost grows with the input, an unbounded password is a cheap DoS.
      password: { type: 'string', minLength: 1, maxLength: 256 },
    },
  },
  response: { 200: TOKEN_PAIR_SCHEMA },
} as const;

// One message for unknown user and wrong password, so the answer does not reveal which usernames exist.
const INVALID_CREDENTIALS = 'invalid username or password';

export function registerLoginRoute(app: FastifyInstance, services: AuthServices): void {
  const { pool, hasher, lockout, audit, logins } = services;

  app.post<{ Body: LoginBody }>('/login', { schema: LOGIN_SCHEMA }, async (request, reply) => {
    const { username, password } = request.body;
    const who = { ip: clientIp(request), user: username, route: '/login', requestId: request.id };

    // Checked before the password: a locked account must not serve as a password oracle.
    const lockedFor = await guard('redis', () => lockout.lockedFor(username));
    if (lockedFor > 0) {
      logins.inc({ result: 'locked' });
      audit.record('auth.failure', { ...who, username, reason: 'account_locked', retryAfterSec: lockedFor });
      reply.header('retry-after', String(lockedFor));
      return sendError(request, reply, 423, 'account_locked', 'too many failed logins for this account; try again later');
    }

    const user = await guard('postgres', () => findUserByUsername(pool, username));
    const valid = await hasher.verify(password, user?.passwordHash);
    if (!user || !valid) {
      const outcome = await guard('redis', () => lockout.recordFailure(username));
      logins.inc({ result: 'invalid_credentials' });
      audit.record('auth.failure', { ...who, username, reason: user ? 'wrong_password' : 'unknown_user', failures: outcome.failures });
      if (outcome.lockedNow) {
        audit.record('auth.lockout', { ...who, username, failures: outcome.failures, lockSec: services.config.lockout.lockSec });
      }
      return sendError(request, reply, 401, 'invalid_credentials', INVALID_CREDENTIALS);
    }

    await guard('redis', () => lockout.clearFailures(username));
    const { jti, ...pair } = await issueTokenPair(services, { userId: user.id, username: user.username, role: user.role });
    logins.inc({ result: 'success' });
    audit.record('auth.login', { ...who, userId: user.id, role: user.role, jti });
    return pair;
  });
}
