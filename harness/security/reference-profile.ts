import { join } from 'node:path';
import { JWT_AUDIENCE, JWT_ISSUER } from '../../platform/local/plan-context.ts';
import type { PlatformState } from '../../platform/local/supervisor-state.ts';
import type { TargetProfile } from './target-profile.ts';

/**
 * Where the reference platform answers: the local target publishes every part (PlatformState's
 * endpoints); a kind cluster publishes the edge, Prometheus, the Toxiproxy API and the datastores,
 * not each gateway, auth or catalog, and has no supervisor and no audit folder on the host.
 */
export type ReferenceEndpoints = Pick<PlatformState['endpoints'], 'edge' | 'prometheus' | 'toxiproxy'> & {
  readonly postgres: { readonly host: string; readonly port: number };
  readonly redis: { readonly nodes: readonly { readonly host: string; readonly port: number }[] };
} & Partial<Pick<PlatformState['endpoints'], 'supervisor' | 'gateways' | 'auth' | 'catalog' | 'authPlaintext' | 'catalogPlaintext' | 'auditDir'>>;

/**
 * The reference platform's profile, from a running platform's endpoints (its ports vary with the
 * port base) and where its JWT signing key is (`runDir`'s config/ on the local target, or the file
 * itself). Seed users from fixtures/users.json: alice and bob are the two owners, admin the admin,
 * lockout-2 the account the brute-force checks may lock. Checks whose inputs a target does not
 * publish (the mesh's services, each replica) are not applicable there, and say so.
 */
export function referenceProfile(state: { readonly endpoints: ReferenceEndpoints; readonly runDir?: string; readonly signingKeyFile?: string }): TargetProfile {
  const e = state.endpoints;
  const signingKeyFile = state.signingKeyFile ?? (state.runDir ? join(state.runDir, 'config', 'jwt-signing-key.pem') : undefined);
  const order = { method: 'POST' as const, path: '/api/orders', headers: { 'idempotency-key': '{uuid}' }, body: { items: [{ productId: 7, quantity: 1 }] } };
  return {
    name: 'reference-platform',
    baseUrl: e.edge,
    auth: {
      login: { path: '/api/auth/login' },
      logout: { method: 'POST', path: '/api/auth/logout', body: {} },
      jwksPath: '/.well-known/jwks.json',
      jwt: { issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      users: {
        userA: { username: 'alice', password: 'alice-pass-0001' },
        userB: { username: 'bob', password: 'bob-pass-0001' },
        admin: { username: 'admin', password: 'admin-pass-0001' },
      },
      lockoutVictim: { username: 'lockout-2', password: 'lockout-pass-0002' },
      // The operator's own key (the claim checks sign with it); a hand-made state may not have a run folder.
      ...(signingKeyFile ? { signingKeyFile } : {}),
      maxLoginAttempts: 5,
    },
    protectedProbe: { method: 'GET', path: '/api/me' },
    resources: [
      {
        name: 'order',
        create: order,
        read: { method: 'GET', path: '/api/orders/{id}' },
        graphqlRead: 'query($id: ID!) { order(id: $id) { id items { productId quantity } } }',
      },
    ],
    adminOperations: [{ method: 'PUT', path: '/api/products/3', body: { price: 19.99 } }],
    self: { read: { method: 'GET', path: '/api/me' }, forbiddenFields: ['passwordHash', 'password', 'hash', 'salt', 'failedLogins'] },
    massAssignment: [
      {
        name: 'order unit price',
        create: { ...order, body: { items: [{ productId: 7, quantity: 1, unitPrice: 0.01 }] } },
        readBack: { method: 'GET', path: '/api/orders/{id}' },
        field: 'items.0.unitPrice',
        injected: 0.01,
      },
    ],
    graphql: {
      path: '/graphql',
      limits: { depth: 8, aliases: 15, batch: 10 },
      loginMutation: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
      amplification: { query: '{ product(id: "1") { related(limit: 20) { related(limit: 20) { related(limit: 20) { id } } } } }', maxItems: 1000 },
      deepQuery: { prefix: 'query { product(id: "1") { ', level: 'related(limit: 1) { ', suffix: 'id' },
      pageQuery: { query: '{ products(limit: {amount}) { items { id } } }', max: 100 },
    },
    redirectProbe: { method: 'GET', path: '/account' },
    urlInputs: [{ method: 'POST', path: '/api/webhooks', body: { url: '{url}' } }],
    injectionInputs: [{ method: 'GET', path: '/api/products?q={payload}' }],
    rateLimits: {
      perIdentity: 1200,
      loginPerIp: 100,
      ...(e.gateways ? { replicas: e.gateways } : {}),
      identities: [
        { username: 'ratelimit-1', password: 'ratelimit-pass-0001' },
        { username: 'ratelimit-2', password: 'ratelimit-pass-0002' },
      ],
    },
    internal: [
      { name: 'prometheus', url: e.prometheus },
      { name: 'toxiproxy-api', url: e.toxiproxy },
      ...(e.supervisor ? [{ name: 'supervisor', url: e.supervisor }] : []),
      ...e.redis.nodes.slice(0, 1).map((n) => ({ name: 'redis', url: `redis://${n.host}:${n.port}` })),
      { name: 'postgres', url: `postgres://${e.postgres.host}:${e.postgres.port}` },
    ],
    // The plaintext ports exist only with the mesh-plaintext switch; a hardened platform publishes none.
    ...(e.auth && e.catalog
      ? {
          mesh: [
            { name: 'auth', httpsUrl: e.auth, path: '/healthz', ...(e.authPlaintext ? { plaintextUrl: e.authPlaintext } : {}) },
            { name: 'catalog', httpsUrl: e.catalog, path: '/healthz', ...(e.catalogPlaintext ? { plaintextUrl: e.catalogPlaintext } : {}) },
          ],
        }
      : {}),
    detection: { prometheus: e.prometheus, ...(e.auditDir ? { auditDir: e.auditDir } : {}), budgetMs: 60_000 },
  };
}
