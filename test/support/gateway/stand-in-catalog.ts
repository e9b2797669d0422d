import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import Fastify from 'fastify';
import type { Product as CatalogProduct } from '../../../platform/services/shared/catalog-contract.ts';
import { mutualTlsServerOptions, peerIdentity, type TlsMaterial } from '../../../platform/services/shared/tls.ts';

/** A catalog product keyed by a string id, as the gateway passes ids through. */
type Product = Omit<CatalogProduct, 'id'> & { id: string };

interface Order {
  id: string;
  userId: string;
  status: string;
  total: number;
  createdAt: string;
  idempotencyKey: string;
  items: { productId: string; quantity: number; unitPrice: number }[];
}

export interface StandInCatalog {
  /** Origin reads of GET /products/:id, by id. */
  readonly reads: Map<string, number>;
  /** The ids of every GET /products?ids= call. */
  readonly idsCalls: string[][];
  listCalls: number;
  /** Added to every GET /products/:id, to widen a stampede's window. */
  delayMs: number;
  /** Headers of every request, newest last. */
  readonly requests: { url: string; headers: IncomingHttpHeaders; caller: string | undefined }[];
  readonly products: Map<string, Product>;
  close(): Promise<void>;
}

/**
 * catalog as the gateway sees it: mutual TLS, products and orders in memory, counting origin reads.
 * An order item's unitPrice is taken when given, as the catalog does under mass-assignment (it is
 * the gateway's schema that must keep it out).
 */
export async function startStandInCatalog(port: number, tls: TlsMaterial, productCount = 500): Promise<StandInCatalog> {
  const products = new Map<string, Product>();
  for (let i = 1; i <= productCount; i++) {
    const id = String(i);
    products.set(id, {
      id,
      sku: `SKU-${i}`,
      name: `Product ${i}`,
      description: `About product ${i}`,
      category: i % 2 ? 'tools' : 'toys',
      price: i,
      stock: 100,
    });
  }
  const orders = new Map<string, Order>();
  const app = Fastify({ https: mutualTlsServerOptions(tls) });
  const state: StandInCatalog = { reads: new Map(), idsCalls: [], listCalls: 0, delayMs: 0, requests: [], products, close: () => app.close() };
  const notFound = { error: 'not_found', message: 'no such thing' };

  app.addHook(
    'onRequest',
    async (request) => void state.requests.push({ url: request.url, headers: request.headers, caller: peerIdentity(request.raw.socket) }),
  );
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get<{ Querystring: { ids?: string; limit?: string } }>('/products', async (request) => {
    if (request.query.ids !== undefined) {
      const ids = request.query.ids.split(',');
      state.idsCalls.push(ids);
      return { items: ids.flatMap((id) => products.get(id) ?? []) };
    }
    state.listCalls += 1;
    return { items: [...products.values()].slice(0, Number(request.query.limit ?? 20)), nextCursor: null };
  });
  app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    const { id } = request.params;
    state.reads.set(id, (state.reads.get(id) ?? 0) + 1);
    if (state.delayMs) await sleep(state.delayMs);
    return products.get(id) ?? reply.code(404).send(notFound);
  });
  app.put<{ Params: { id: string }; Body: Partial<Product> }>('/products/:id', async (request, reply) => {
    const product = products.get(request.params.id);
    if (!product) return reply.code(404).send(notFound);
    Object.assign(product, request.body);
    return product;
  });
  app.post<{ Body: { items: { productId: string | number; quantity: number; unitPrice?: number }[] } }>('/orders', async (request, reply) => {
    const key = String(request.headers['idempotency-key']);
    const existing = [...orders.values()].find((o) => o.idempotencyKey === key);
    if (existing) return existing;
    const items = request.body.items.map((i) => ({
      productId: String(i.productId),
      quantity: i.quantity,
      unitPrice: i.unitPrice ?? products.get(String(i.productId))?.price ?? 0,
    }));
    const order: Order = {
      id: String(orders.size + 1),
      userId: String(request.headers['x-user-id']),
      status: 'placed',
      total: items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0),
      createdAt: new Date().toISOString(),
      idempotencyKey: key,
      items,
    };
    orders.set(order.id, order);
    return reply
      .code(201)
      .header('x-invalidate-products', items.map((i) => i.productId).join(','))
      .send(order);
  });
  app.get('/orders', async (request) =>
    [...orders.values()].filter((o) => request.headers['x-user-role'] === 'admin' || o.userId === request.headers['x-user-id']),
  );
  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const order = orders.get(request.params.id);
    const mine = order && (request.headers['x-user-role'] === 'admin' || order.userId === request.headers['x-user-id']);
    return mine ? order : reply.code(404).send(notFound);
  });
  await app.listen({ host: '127.0.0.1', port });
  return state;
}
