import type { Product as CatalogProduct } from '../shared/catalog-contract.ts';
import type { AuthUser } from './jwt-verifier.ts';
import type { CachedRead, ReadThroughCache } from './read-through-cache.ts';
import { ID_REGEX } from './routes/schemas.ts';
import { answerAsError, parseJson } from './upstream-answers.ts';
import type { CallContext, UpstreamClient, UpstreamResponse } from './upstream-client.ts';

/** The catalog's product; ids arrive as numbers from REST and as strings from GraphQL arguments. */
export type Product = Omit<CatalogProduct, 'id'> & { readonly id: string | number };

export interface ProductQuery {
  readonly limit?: number;
  readonly cursor?: string;
  readonly category?: string;
  readonly q?: string;
}

export interface OrderItemInput {
  readonly productId: string | number;
  readonly quantity: number;
}

const productKey = (id: string | number): string => `product:${id}`;
const userHeaders = (user: AuthUser) => ({ 'x-user-id': user.id, 'x-user-role': user.role });

/** One query string for equal queries whatever the parameter order, so they share a cache entry. */
function normalizeProductQuery(q: ProductQuery): string {
  const params = new URLSearchParams({ limit: String(q.limit ?? 20) });
  for (const name of ['category', 'cursor', 'q'] as const) {
    const value = q[name]?.trim();
    if (value) params.set(name, value);
  }
  params.sort();
  return params.toString();
}

/**
 * The catalog's API as the gateway uses it, with the product and list caches in front of reads and
 * the invalidations that writes imply; REST routes and GraphQL resolvers share it.
 */
export class CatalogApi {
  readonly #client: UpstreamClient;
  readonly #products: ReadThroughCache;
  readonly #lists: ReadThroughCache;

  constructor(client: UpstreamClient, caches: { products: ReadThroughCache; lists: ReadThroughCache }) {
    this.#client = client;
    this.#products = caches.products;
    this.#lists = caches.lists;
  }

  product(id: string, ctx: CallContext): Promise<CachedRead> {
    return this.#products.read(productKey(id), () => this.#client.request({ method: 'GET', path: `/products/${encodeURIComponent(id)}` }, ctx));
  }

  listProducts(query: ProductQuery, ctx: CallContext): Promise<CachedRead> {
    const qs = normalizeProductQuery(query);
    return this.#lists.read(`list:${qs}`, () => this.#client.request({ method: 'GET', path: `/products?${qs}` }, ctx));
  }

  /** Many products in one catalog call (for cached ids, none); null where the catalog has no such product. */
  async productsByIds(ids: readonly string[], ctx: CallContext): Promise<(Product | null)[]> {
    const cached = await this.#products.peekMany(ids.map(productKey));
    const missing = ids.filter((_, i) => cached[i] === undefined);
    const fetched = new Map<string, Product>();
    if (missing.length > 0) {
      const res = await this.#client.request({ method: 'GET', path: `/products?ids=${missing.map(encodeURIComponent).join(',')}` }, ctx);
      if (res.status !== 200) throw answerAsError(res, 'catalog');
      const body = parseJson<Product[] | { items: Product[] }>(res, 'catalog');
      for (const p of Array.isArray(body) ? body : body.items) {
        fetched.set(String(p.id), p);
        void this.#products.store(productKey(p.id), JSON.stringify(p));
      }
    }
    return ids.map((id, i) => {
      const hit = cached[i];
      return hit === undefined ? (fetched.get(id) ?? null) : (JSON.parse(hit) as Product);
    });
  }

  async updateProduct(id: string, patch: Record<string, unknown>, user: AuthUser, ctx: CallContext): Promise<UpstreamResponse> {
    const res = await this.#client.request({ method: 'PUT', path: `/products/${encodeURIComponent(id)}`, body: patch, headers: userHeaders(user) }, ctx);
    if (res.status >= 200 && res.status < 300) await this.#products.invalidate(productKey(id));
    return res;
  }

  /** Retried like a GET: the catalog deduplicates by Idempotency-Key, so a repeat cannot double an order. */
  async placeOrder(items: readonly OrderItemInput[], idempotencyKey: string, user: AuthUser, ctx: CallContext): Promise<UpstreamResponse> {
    const res = await this.#client.request(
      { method: 'POST', path: '/orders', body: { items }, headers: { ...userHeaders(user), 'idempotency-key': idempotencyKey }, idempotent: true },
      ctx,
    );
    if (res.status >= 200 && res.status < 300) await this.#invalidateListed(res.headers['x-invalidate-products']);
    return res;
  }

  listOrders(user: AuthUser, ctx: CallContext): Promise<UpstreamResponse> {
    return this.#client.request({ method: 'GET', path: '/orders', headers: userHeaders(user) }, ctx);
  }

  order(id: string, user: AuthUser, ctx: CallContext): Promise<UpstreamResponse> {
    return this.#client.request({ method: 'GET', path: `/orders/${encodeURIComponent(id)}`, headers: userHeaders(user) }, ctx);
  }

  /** The catalog names the products whose stock an order changed; their cached copies are now wrong. */
  async #invalidateListed(header: string | string[] | undefined): Promise<void> {
    const ids = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim());
    await Promise.all(ids.filter((id) => ID_REGEX.test(id)).map((id) => this.#products.invalidate(productKey(id))));
  }
}
