import type { FastifyRequest } from 'fastify';
import type { GraphQLResolveInfo } from 'graphql';
import { ApiError } from '../api-error.ts';
import type { RateLimitHooks } from '../rate-limits.ts';
import { answerAsError, parseJson } from '../upstream-answers.ts';
import type { CallContext, UpstreamClient } from '../upstream-client.ts';
import { loginPosition, loginPositions } from './login-positions.ts';

export interface LoginResolverDeps {
  readonly auth: UpstreamClient;
  readonly limits: RateLimitHooks;
}

export interface AuthPayload {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: string;
  readonly expiresIn: number;
}

export interface LoginContext {
  readonly request: FastifyRequest;
  readonly call: CallContext;
  /** Set by mercurius on each operation of a batch. */
  readonly operationId?: number;
}

/** What the limiter said about one attempt: undefined to go ahead, or the error refusing it. */
type Verdict = Promise<unknown>;

interface RequestLogins {
  /** One verdict per login field of the request, by position. */
  readonly verdicts: Map<string, Verdict>;
  /** The request's auth calls, one after another. */
  queue: Promise<unknown>;
}

const settle = (attempt: Promise<void>): Verdict =>
  attempt.then(
    () => undefined,
    (err: unknown) => err,
  );

/**
 * Mutation.login: auth's /login, as POST /api/auth/login relays it, with every attempt counted
 * against the per-IP login limit before auth sees it. One HTTP request may hold many logins (a batch
 * of operations, aliases: OWASP API2 scenario 1), so the limiter is asked once per login field, in
 * document order, as soon as the request's first login runs: the attempts let through are always
 * the first ones of the document, never a correct password placed last that mercurius happened to
 * run early (the operations of a batch run side by side). The auth calls of one request are then
 * made one at a time, so auth's account lockout counts each failure before the next attempt.
 */
export function createLoginResolver(deps: LoginResolverDeps) {
  const requests = new WeakMap<FastifyRequest, RequestLogins>();

  const loginsOf = (request: FastifyRequest): RequestLogins => {
    let logins = requests.get(request);
    if (!logins) {
      const verdicts = new Map<string, Verdict>();
      let chain: Verdict = Promise.resolve();
      for (const position of loginPositions(request.body)) {
        chain = chain.then(() => settle(deps.limits.loginAttempt(request)));
        verdicts.set(position, chain);
      }
      logins = { verdicts, queue: Promise.resolve() };
      requests.set(request, logins);
    }
    return logins;
  };

  const attempt = async (args: { username: string; password: string }, ctx: LoginContext, verdict: Verdict): Promise<AuthPayload> => {
    const refusal = await verdict;
    if (refusal instanceof ApiError && refusal.statusCode === 429) {
      // GraphQL clients branch on extensions.code; this one is spelled the way GraphQL servers commonly spell it.
      throw new ApiError(429, 'RATE_LIMITED', refusal.message, refusal.headers);
    }
    if (refusal !== undefined) throw refusal;
    const res = await deps.auth.request({ method: 'POST', path: '/login', body: { username: args.username, password: args.password } }, ctx.call);
    if (res.status !== 200) throw answerAsError(res, 'auth');
    return parseJson<AuthPayload>(res, 'auth');
  };

  return (_: unknown, args: { username: string; password: string }, ctx: LoginContext, info: GraphQLResolveInfo): Promise<AuthPayload> => {
    if (args.username.length < 1 || args.username.length > 64 || args.password.length < 1 || args.password.length > 256) {
      return Promise.reject(new ApiError(400, 'bad_request', 'username must be 1..64 characters and password 1..256'));
    }
    const logins = loginsOf(ctx.request);
    // A field the body did not show (never expected) is still counted, on its own.
    const verdict = logins.verdicts.get(loginPosition(ctx.operationId, String(info.path.key))) ?? settle(deps.limits.loginAttempt(ctx.request));
    const turn = logins.queue.then(() => attempt(args, ctx, verdict));
    logins.queue = turn.catch(() => undefined);
    return turn;
  };
}
