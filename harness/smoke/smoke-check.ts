import { randomUUID } from 'node:crypto';
import { httpCall, type HttpCallOptions, type HttpReply } from '../util/http-call.ts';

export interface SmokeStep {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
}

export interface SmokeResult {
  readonly ok: boolean;
  readonly steps: readonly SmokeStep[];
}

const call = (base: string, method: 'GET' | 'POST', path: string, opts: HttpCallOptions = {}): Promise<HttpReply> =>
  httpCall(`${base}${path}`, method, { timeoutMs: 10_000, ...opts });

class StepFailed extends Error {}
const expect = (cond: boolean, message: string): void => {
  if (!cond) throw new StepFailed(message);
};

/**
 * A short proof that the platform serves, through the edge like a user: the web UI loads, a login,
 * a product read twice (miss then hit from the cache), an order and its idempotent replay, and a
 * GraphQL batch. Each step is timed; the first failure stops the rest.
 */
export async function runSmokeCheck(
  edge: string,
  credentials = { username: 'alice', password: 'alice-pass-0001' },
  productId = 1 + Math.floor(Math.random() * 10_000),
): Promise<SmokeResult> {
  const steps: SmokeStep[] = [];
  let token = '';
  const step = async (name: string, fn: () => Promise<string>): Promise<boolean> => {
    const t0 = performance.now();
    try {
      const detail = await fn();
      steps.push({ name, ok: true, ms: performance.now() - t0, detail });
      return true;
    } catch (err) {
      steps.push({ name, ok: false, ms: performance.now() - t0, detail: (err as Error).message });
      return false;
    }
  };
  const all = [
    () =>
      step('edge ready', async () => {
        const r = await call(edge, 'GET', '/readyz');
        expect(r.status === 200, `GET /readyz answered ${r.status}: ${r.text.slice(0, 200)}`);
        return 'GET /readyz 200';
      }),
    () =>
      step('web UI', async () => {
        const r = await call(edge, 'GET', '/');
        expect(r.status === 200 && r.text.includes('login-username'), `GET / answered ${r.status} without the login form`);
        return `GET / 200 (${r.text.length} bytes)`;
      }),
    () =>
      step('login', async () => {
        const r = await call(edge, 'POST', '/api/auth/login', { body: credentials });
        const body = r.body as { accessToken?: string } | undefined;
        expect(r.status === 200 && typeof body?.accessToken === 'string', `login as ${credentials.username} answered ${r.status}: ${r.text.slice(0, 200)}`);
        token = body!.accessToken!;
        return `${credentials.username} got a token`;
      }),
    () =>
      step('cached read', async () => {
        const first = await call(edge, 'GET', `/api/products/${productId}`);
        expect(first.status === 200, `GET /api/products/${productId} answered ${first.status}`);
        const t1 = performance.now();
        const second = await call(edge, 'GET', `/api/products/${productId}`);
        const hitMs = performance.now() - t1;
        expect(
          second.status === 200 && second.headers['x-cache'] === 'hit',
          `second read of product ${productId} was not a cache hit (x-cache: ${String(second.headers['x-cache'])})`,
        );
        return `product ${productId}: ${String(first.headers['x-cache'])} then hit (${hitMs.toFixed(1)} ms)`;
      }),
    () =>
      step('write (order)', async () => {
        const key = `smoke-${randomUUID()}`;
        const body = { items: [{ productId: 1 + (productId % 9_999), quantity: 1 }] };
        const placed = await call(edge, 'POST', '/api/orders', { token, body, headers: { 'idempotency-key': key } });
        const order = placed.body as { id?: unknown } | undefined;
        if (placed.status === 409) return 'product out of stock (409): write path answered';
        expect(placed.status === 201 && order?.id !== undefined, `POST /api/orders answered ${placed.status}: ${placed.text.slice(0, 200)}`);
        const replay = await call(edge, 'POST', '/api/orders', { token, body, headers: { 'idempotency-key': key } });
        expect(
          replay.status === 200 && (replay.body as { id?: unknown }).id === order!.id,
          `replaying the order answered ${replay.status} (expected 200 with the same order)`,
        );
        return `order ${String(order!.id)} placed; replay returned the same order`;
      }),
    () =>
      step('GraphQL batch', async () => {
        const ops = [
          { query: 'query { product(id: "1") { id name price } }' },
          { query: `query { product(id: "${productId}") { id name stock } }` },
          { query: 'query { me { username role } }' },
        ];
        const r = await call(edge, 'POST', '/graphql', { token, body: ops });
        const out = r.body as { data?: unknown; errors?: unknown }[] | undefined;
        expect(r.status === 200 && Array.isArray(out) && out.length === 3, `batch of 3 answered ${r.status}: ${r.text.slice(0, 200)}`);
        const errors = out!.filter((o) => o.errors !== undefined);
        expect(errors.length === 0, `batch returned errors: ${JSON.stringify(errors).slice(0, 200)}`);
        return '3 operations answered in one request';
      }),
  ];
  for (const run of all) if (!(await run())) break;
  return { ok: steps.length === all.length && steps.every((s) => s.ok), steps };
}
