/**
 * Smoke: one VU walks the platform's main paths once per iteration: login, a cached product read,
 * an order with an Idempotency-Key (and its replay), a GraphQL batch. Any failure fails the run.
 *   k6 run -e BASE_URL=http://127.0.0.1:7300 scenarios/k6/smoke.ts
 * (under crucible, BASE_URL and the summary path are passed for you: docs/k6.md).
 */
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';
import { check, fail, group } from 'k6';
import type { Options } from 'k6/options';
import { baseUrl, crucibleOptions } from './lib/crucible.ts';

export { handleSummary } from './lib/crucible.ts';

export const options: Options = crucibleOptions({
  scenarios: { smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 2, maxDuration: '1m' } },
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    'http_req_duration{name:login}': ['p(95)<1000'],
    'http_req_duration{name:product}': ['p(95)<200'],
  },
});

const BASE = baseUrl();
const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** The body as JSON, or undefined when it is not JSON. */
function body<T>(res: RefinedResponse<ResponseType | undefined>): T | undefined {
  try {
    return JSON.parse(String(res.body)) as T;
  } catch {
    return undefined;
  }
}

const header = (res: RefinedResponse<ResponseType | undefined>, name: string): string | undefined => res.headers[name] ?? res.headers[name.toLowerCase()];

interface Product {
  readonly id: number | string;
  readonly stock: number;
}
interface Order {
  readonly id: number | string;
}

export default function smoke(): void {
  const n = ((__VU - 1) % 10) + 1;
  const username = `load-${String(n).padStart(2, '0')}`;

  const token = group('login', () => {
    const res = http.post(`${BASE}/api/auth/login`, JSON.stringify({ username, password: `load-pass-${String(n).padStart(2, '0')}` }), {
      headers: JSON_HEADERS,
      tags: { name: 'login' },
    });
    const accessToken = body<{ accessToken?: string }>(res)?.accessToken;
    check(res, { 'login is 200': (r) => r.status === 200, 'login returns a token': () => typeof accessToken === 'string' });
    return accessToken;
  });
  if (!token) fail(`login as ${username} failed`);
  const auth = { ...JSON_HEADERS, Authorization: `Bearer ${token}` };

  const product = group('browse', () => {
    const page = http.get(`${BASE}/api/products?limit=50`, { tags: { name: 'products' } });
    const items = body<{ items?: Product[] }>(page)?.items ?? [];
    check(page, { 'product page is 200': (r) => r.status === 200, 'product page has items': () => items.length > 0 });
    const inStock = items.find((p) => p.stock > 0);
    if (!inStock) return undefined;
    // The second read of the same product must come from the gateway's cache.
    http.get(`${BASE}/api/products/${inStock.id}`, { tags: { name: 'product' } });
    const again = http.get(`${BASE}/api/products/${inStock.id}`, { tags: { name: 'product' } });
    check(again, { 'product is 200': (r) => r.status === 200, 'second read is a cache hit': (r) => header(r, 'X-Cache') === 'hit' });
    return inStock;
  });
  if (!product) fail('no product in stock on the first page');

  group('order', () => {
    const key = `k6-smoke-${__VU}-${__ITER}-${Date.now()}`;
    const payload = JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] });
    const headers = { ...auth, 'Idempotency-Key': key };
    const first = http.post(`${BASE}/api/orders`, payload, { headers, tags: { name: 'order' } });
    const replay = http.post(`${BASE}/api/orders`, payload, { headers, tags: { name: 'order replay' } });
    const a = body<Order>(first);
    const b = body<Order>(replay);
    check(first, { 'order is 201': (r) => r.status === 201 });
    check(replay, { 'replay is 200': (r) => r.status === 200, 'replay returns the same order': () => a !== undefined && b !== undefined && a.id === b.id });
  });

  group('graphql', () => {
    const batch = [
      { query: 'query One($id: ID!) { product(id: $id) { id name price } }', variables: { id: String(product.id) } },
      { query: '{ me { username role } }' },
      { query: '{ products(limit: 3) { items { id name } nextCursor } }' },
    ];
    const res = http.post(`${BASE}/graphql`, JSON.stringify(batch), { headers: auth, tags: { name: 'graphql batch' } });
    const results = body<{ data?: { me?: { username?: string } }; errors?: unknown[] }[]>(res) ?? [];
    check(res, {
      'graphql batch is 200': (r) => r.status === 200,
      'graphql batch answers every operation': () => Array.isArray(results) && results.length === batch.length,
      'graphql batch has no errors': () => Array.isArray(results) && results.every((r) => !r.errors),
      'graphql me is the caller': () => Array.isArray(results) && results[1]?.data?.me?.username === username,
    });
  });
}
