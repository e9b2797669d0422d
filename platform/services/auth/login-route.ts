import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { AuthServices } from './auth-services.ts';
import { clientIp } from './client-ip.ts';
import { guard } from './dependency-unavailable.ts';
import { sendError } from './error-reply.ts';
import { queryMatches, type QueryValue } from './operator-query.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { issueTokenPair, TOKEN_PAIR_SCHEMA } from './token-pair.ts';
import { findUserByUsername, listUsers, type UserRecord } from './user-store.ts';

interface LoginBody {
  readonly username: QueryValue;
  readonly password: QueryValue;
}

const USERNAME = { type: 'string', minLength: 1, maxLength: 64 } as const;
// Bounded: scrypt's cost grows with the input, an unbounded password is a cheap DoS.
const PASSWORD = { type: 'string', minLength: 1, maxLength: 256 } as const;
const OPERATOR = { type: 'object', maxProperties: 4 } as const;

const loginSchema = (operators: boolean) =>
  ({
    body: {
      type: 'object',
      required: ['username', 'password'],
      additionalProperties: false,
      properties: operators
        ? { username: { anyOf: [USERNAME, OPERATOR] }, password: { anyOf: [PASSWORD, OPERATOR] } }
        : { username: USERNAME, password: PASSWORD },
    },
    response: { 200: TOKEN_PAIR_SCHEMA },
  }) as const;

/**
 * The nosql-injection switch's login: the fields go into a document-store style query as they came,
 * so an operator object is a wildcard. The first user (oldest) whose username matches and, for an
 * operator password, whose stored hash matches it; a string password is still checked with scrypt.
 */
async function operatorLookup(pool: pg.Pool, hasher: PasswordHasher, body: LoginBody): Promise<{ user: UserRecord | undefined; valid: boolean }> {
  const { username, password } = body;
  const user = (await listUsers(pool)).find(
    (u) => queryMatches(u.username, username) && (typeof password === 'string' || queryMatches(u.passwordHash, password)),
  );
  return { user, valid: typeof password === 'string' ? await hasher.verify(password, user?.passwordHash) : user !== undefined };
}

// One message for unknown user and wrong password, so the answer does not reveal which usernames exist.
const INVALID_CREDENTIALS = 'invalid username or password';

export function registerLoginRoute(app: FastifyInstance, services: AuthServices): void {
  const { pool, hasher, lockout, audit, logins } = services;
  const operators = services.config.vulnerable?.includes('nosql-injection') ?? false;

  const checkCredentials = async (body: LoginBody): Promise<{ user: UserRecord | undefined; valid: boolean }> => {
    const { username, password } = body;
    if (typeof username !== 'string' || typeof password !== 'string') return guard('postgres', () => operatorLookup(pool, hasher, body));
    const user = await guard('postgres', () => findUserByUsername(pool, username));
    return { user, valid: await hasher.verify(password, user?.passwordHash) };
  };

  app.post<{ Body: LoginBody }>('/login', { schema: loginSchema(operators) }, async (request, reply) => {
    const body = request.body;
    // Without the switch the schema admits strings only; with it, an operator object is keyed (lockout, audit) by its JSON.
    const username = typeof body.username === 'string' ? body.username : JSON.stringify(body.username);
    const who = { ip: clientIp(request), user: username, route: '/login', requestId: request.id };

    // Checked before the password: a locked account must not serve as a password oracle.
    const lockedFor = await guard('redis', () => lockout.lockedFor(username));
    if (lockedFor > 0) {
      logins.inc({ result: 'locked' });
      audit.record('auth.failure', { ...who, username, reason: 'account_locked', retryAfterSec: lockedFor });
      reply.header('retry-after', String(lockedFor));
      return sendError(request, reply, 423, 'account_locked', 'too many failed logins for this account; try again later');
    }

    const { user, valid } = await checkCredentials(body);
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
