import { randomUUID } from 'node:crypto';
import type { FlowContext } from 'crucible';
import type { PlatformData } from './platform-data.ts';

type Ctx = FlowContext<PlatformData>;

/**
 * One session per load user and worker, shared by the VUs that act as that user (a user with the
 * shop open in several tabs): the platform limits logins per client IP (100/min), and every VU of
 * a load test comes from one address, so a login per VU would be refused at a few hundred VUs.
 */
const sessions = new Map<string, Promise<string | undefined>>();

/** The token of this VU's load user: logs in once per worker, again after a 401. */
export async function ensureToken(ctx: Ctx): Promise<string | undefined> {
  const user = ctx.data.users[(ctx.vu.id - 1) % ctx.data.users.length]!;
  let session = sessions.get(user.username);
  if (!session) {
    session = (async () => {
      const res = await ctx.http.post('/api/auth/login', { name: 'login', json: user });
      ctx.check(res, { 'login 200': (r) => r.status === 200 });
      return res.status === 200 ? res.json<{ accessToken: string }>().accessToken : undefined;
    })();
    sessions.set(user.username, session);
    // A failed login is not cached: the next iteration tries again.
    void session.then((t) => t === undefined && sessions.get(user.username) === session && sessions.delete(user.username));
  }
  return session;
}

function forgetTokenOn401(ctx: Ctx, status: number): void {
  if (status !== 401) return;
  const user = ctx.data.users[(ctx.vu.id - 1) % ctx.data.users.length]!;
  sessions.delete(user.username);
}

/**
 * Product popularity: Zipf with exponent 1.1, the skew commonly reported for retail catalogs (a few
 * products draw most views, the long tail is cold), so the cache matters and is not trivially warm.
 */
export const POPULARITY = 1.1;

/** A Zipf-distributed product read, sometimes followed by a category page. */
export async function browse(ctx: Ctx): Promise<void> {
  const id = ctx.zipf(ctx.data.products, POPULARITY);
  const res = await ctx.http.get(`/api/products/${id}`, { name: 'product' });
  ctx.check(res, { 'product 200': (r) => r.status === 200 });
  if (ctx.random() < 0.2) {
    const page = await ctx.http.get(`/api/products?limit=20&category=${ctx.pick(['books', 'kitchen', 'garden', 'toys', 'music'])}`, { name: 'product list' });
    ctx.check(page, { 'list 200': (r) => r.status === 200 });
  }
}

export async function search(ctx: Ctx): Promise<void> {
  const q = ctx.pick(['lamp', 'novel', 'kettle', 'chair', 'guitar', 'puzzle', 'blender']);
  const res = await ctx.http.get(`/api/products?q=${q}&limit=10`, { name: 'search' });
  ctx.check(res, { 'search 200': (r) => r.status === 200 });
}

/** Log in (once), browse, order one product with an idempotency key. */
export async function order(ctx: Ctx): Promise<void> {
  const token = await ensureToken(ctx);
  if (!token) return;
  const productId = ctx.zipf(ctx.data.products, POPULARITY);
  await ctx.http.get(`/api/products/${productId}`, { name: 'product' });
  const res = await ctx.http.post('/api/orders', {
    name: 'place order',
    token,
    headers: { 'idempotency-key': randomUUID() },
    json: { items: [{ productId, quantity: 1 }] },
    expect: [200, 201, 409],
  });
  forgetTokenOn401(ctx, res.status);
  ctx.check(res, { 'order accepted': (r) => r.status === 201 || r.status === 409 });
}

/** Three product lookups and `me` in one GraphQL batch (one HTTP request, one catalog call). */
export async function graphqlBatch(ctx: Ctx): Promise<void> {
  const token = await ensureToken(ctx);
  if (!token) return;
  const ids = [ctx.zipf(ctx.data.products, POPULARITY), ctx.zipf(ctx.data.products, POPULARITY), ctx.zipf(ctx.data.products, POPULARITY)];
  const res = await ctx.http.graphql(
    [...ids.map((id) => ({ query: `query { product(id: "${id}") { id name price stock } }` })), { query: 'query { me { username } }' }],
    { name: 'graphql batch', token },
  );
  forgetTokenOn401(ctx, res.status);
  ctx.check(res, {
    'graphql 200': (r) => r.status === 200,
    'graphql no errors': (r) => r.status === 200 && r.json<{ errors?: unknown }[]>().every((x) => !x.errors),
  });
}
