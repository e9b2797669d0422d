import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';
import type { AuthHooks } from '../authenticate.ts';
import type { JwksStore } from '../jwks-store.ts';
import type { RateLimitHooks } from '../rate-limits.ts';
import { callContext, relay } from '../relay.ts';
import type { UpstreamClient } from '../upstream-client.ts';
import { loginBody, logoutBody, noQuery, refreshBody } from './schemas.ts';
import { fullUserRecord } from './user-record.ts';

/** nosql-injection: operator objects ({"$ne": null}) pass to auth instead of being refused as non-strings. */
const operatorLoginBody = {
  ...loginBody,
  properties: {
    username: { anyOf: [loginBody.properties.username, { type: 'object', maxProperties: 4 }] },
    password: { anyOf: [loginBody.properties.password, { type: 'object', maxProperties: 4 }] },
  },
} as const;

/**
 * /api/auth/* relayed to auth (which owns credentials, lockout and token issue), /api/me answered
 * from the verified token, and auth's public keys. The client IP travels as X-Forwarded-For:
 * auth's lockout and audit need it.
 */
export function registerAuthRoutes(
  app: FastifyInstance,
  deps: { auth: UpstreamClient; hooks: AuthHooks; limits: RateLimitHooks; jwks: JwksStore; vulnerable?: ReadonlySet<VulnerableSwitch> },
): void {
  const { auth, hooks, limits, jwks } = deps;
  const body = deps.vulnerable?.has('nosql-injection') ? operatorLoginBody : loginBody;

  app.post('/api/auth/login', { onRequest: limits.perLogin, schema: { querystring: noQuery, body } }, async (request, reply) =>
    relay(reply, await auth.request({ method: 'POST', path: '/login', body: request.body }, callContext(request))),
  );

  // Public keys are public: served from the keys this replica verifies with, so a client (or an
  // attacker trying key confusion) sees exactly what the gateway trusts, and auth stays inside the mesh.
  app.get('/.well-known/jwks.json', { schema: { querystring: noQuery } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return jwks.publicKeySet();
  });

  app.post('/api/auth/refresh', { schema: { querystring: noQuery, body: refreshBody } }, async (request, reply) =>
    relay(reply, await auth.request({ method: 'POST', path: '/refresh', body: request.body }, callContext(request))),
  );

  // The refresh token is optional, so is the body: a bodiless logout is validated as `{}`.
  const emptyBodyIsObject = async (request: FastifyRequest) => void (request.body ??= {});
  app.post(
    '/api/auth/logout',
    { preValidation: [hooks.requireUser, emptyBodyIsObject], schema: { querystring: noQuery, body: logoutBody } },
    async (request, reply) => {
      const call = { method: 'POST', path: '/logout', body: request.body, headers: { authorization: request.headers.authorization } } as const;
      return relay(reply, await auth.request(call, callContext(request)));
    },
  );

  app.get('/api/me', { preValidation: hooks.requireUser, schema: { querystring: noQuery } }, async (request) => {
    const user = request.user as NonNullable<typeof request.user>;
    if (deps.vulnerable?.has('excessive-exposure')) return fullUserRecord(auth, user, callContext(request));
    return { id: user.id, username: user.username, role: user.role };
  });
}
