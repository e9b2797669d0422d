import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';
import type { AuthHooks } from '../authenticate.ts';
import type { RateLimitHooks } from '../rate-limits.ts';
import { callContext, relay } from '../relay.ts';
import type { UpstreamClient } from '../upstream-client.ts';
import { loginBody, logoutBody, noQuery, refreshBody } from './schemas.ts';
import { fullUserRecord } from './user-record.ts';

/**
 * /api/auth/* relayed to auth (which owns credentials, lockout and token issue) and /api/me answered
 * from the verified token. The client IP travels as X-Forwarded-For: auth's lockout and audit need it.
 */
export function registerAuthRoutes(app: FastifyInstance, deps: { auth: UpstreamClient; hooks: AuthHooks; limits: RateLimitHooks; vulnerable?: ReadonlySet<VulnerableSwitch> }): void {
  const { auth, hooks, limits } = deps;

  app.post('/api/auth/login', { onRequest: limits.perLogin, schema: { querystring: noQuery, body: loginBody } }, async (request, reply) =>
    relay(reply, await auth.request({ method: 'POST', path: '/login', body: request.body }, callContext(request))),
  );

  app.post('/api/auth/refresh', { schema: { querystring: noQuery, body: refreshBody } }, async (request, reply) =>
    relay(reply, await auth.request({ method: 'POST', path: '/refresh', body: request.body }, callContext(request))),
  );

  // The refresh token is optional, so is the body: a bodiless logout is validated as `{}`.
  const emptyBodyIsObject = async (request: FastifyRequest) => void (request.body ??= {});
  app.post('/api/auth/logout', { preValidation: [hooks.requireUser, emptyBodyIsObject], schema: { querystring: noQuery, body: logoutBody } }, async (request, reply) => {
    const call = { method: 'POST', path: '/logout', body: request.body, headers: { authorization: request.headers.authorization } } as const;
    return relay(reply, await auth.request(call, callContext(request)));
  });

  app.get('/api/me', { preValidation: hooks.requireUser, schema: { querystring: noQuery } }, async (request) => {
    const user = request.user as NonNullable<typeof request.user>;
    if (deps.vulnerable?.has('excessive-exposure')) return fullUserRecord(auth, user, callContext(request));
    return { id: user.id, username: user.username, role: user.role };
  });
}
