import type DataLoader from 'dataloader';
import type { FastifyRequest } from 'fastify';
import type { AuditLog } from '../../shared/audit-log.ts';
import { ORDER_LIMITS } from '../../shared/catalog-contract.ts';
import { ApiError } from '../api-error.ts';
import { auditFields } from '../audit-fields.ts';
import type { CatalogApi, OrderItemInput, Product, ProductQuery } from '../catalog-api.ts';
import type { AuthUser } from '../jwt-verifier.ts';
import { ID_REGEX, IDEMPOTENCY_KEY_PATTERN } from '../routes/schemas.ts';
import { answerAsError, parseJson } from '../upstream-answers.ts';
import type { CallContext, UpstreamResponse } from '../upstream-client.ts';
import { createLoginResolver, type LoginResolverDeps } from './login-resolver.ts';

export interface GraphqlContext {
  readonly request: FastifyRequest;
  readonly user: AuthUser | null;
  readonly call: CallContext;
  readonly products: DataLoader<string, Product | null>;
}

interface Order {
  readonly items: readonly OrderItemInput[];
}

const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);
const badRequest = (message: string): ApiError => new ApiError(400, 'bad_request', message);

function checkId(id: string): string {
  if (!ID_REGEX.test(id)) throw badRequest('invalid id');
  return id;
}

/** The JSON body of a successful catalog answer; any other answer becomes the error the client sees. */
function answer<T>(res: UpstreamResponse, ok: readonly number[] = [200]): T {
  if (!ok.includes(res.status)) throw answerAsError(res, 'catalog');
  return parseJson<T>(res, 'catalog');
}

const asList = <T>(body: T[] | { items: T[] }): T[] => (Array.isArray(body) ? body : body.items);

/** Resolvers over the same CatalogApi (and caches) as the REST routes; the same argument bounds as their schemas. */
export function createResolvers(deps: { catalog: CatalogApi; audit: AuditLog; login: LoginResolverDeps }) {
  const { catalog, audit } = deps;
  const requireUser = (ctx: GraphqlContext): AuthUser => {
    if (ctx.user) return ctx.user;
    audit.record('auth.token_rejected', { ...auditFields(ctx.request), reason: 'missing_token' });
    throw new ApiError(401, 'unauthorized', 'a valid access token is required');
  };

  return {
    Query: {
      product: (_: unknown, args: { id: string }, ctx: GraphqlContext) => ctx.products.load(checkId(args.id)),
      products: async (_: unknown, args: ProductQuery, ctx: GraphqlContext) => {
        if (args.limit !== undefined && (args.limit < 1 || args.limit > 100)) throw badRequest('limit must be 1..100');
        if (args.cursor !== undefined && !/^[A-Za-z0-9_=:.-]{1,200}$/.test(args.cursor)) throw badRequest('invalid cursor');
        if ((args.category?.length ?? 0) > 64 || (args.q?.length ?? 0) > 100) throw badRequest('category or q too long');
        const { response } = await catalog.listProducts(args, ctx.call);
        return answer<{ items: Product[]; nextCursor: string | null }>(response);
      },
      me: (_: unknown, __: unknown, ctx: GraphqlContext) => {
        const { id, username, role } = requireUser(ctx);
        return { id, username, role };
      },
      order: async (_: unknown, args: { id: string }, ctx: GraphqlContext) => {
        const res = await catalog.order(checkId(args.id), requireUser(ctx), ctx.call);
        return res.status === 404 ? null : answer<Order>(res);
      },
      orders: async (_: unknown, __: unknown, ctx: GraphqlContext) =>
        asList(answer<Order[] | { items: Order[] }>(await catalog.listOrders(requireUser(ctx), ctx.call))),
    },
    Mutation: {
      placeOrder: async (_: unknown, args: { idempotencyKey: string; items: OrderItemInput[] }, ctx: GraphqlContext) => {
        const user = requireUser(ctx);
        if (!IDEMPOTENCY_KEY.test(args.idempotencyKey)) throw badRequest('invalid idempotencyKey');
        if (args.items.length < 1 || args.items.length > ORDER_LIMITS.maxItems) throw badRequest(`an order has 1..${ORDER_LIMITS.maxItems} items`);
        for (const item of args.items) {
          checkId(String(item.productId));
          if (item.quantity < 1 || item.quantity > ORDER_LIMITS.maxQuantity) throw badRequest(`quantity must be 1..${ORDER_LIMITS.maxQuantity}`);
        }
        return answer<Order>(await catalog.placeOrder(args.items, args.idempotencyKey, user, ctx.call), [200, 201]);
      },
      login: createLoginResolver(deps.login),
    },
    Product: {
      // Same-category products: the one recursive edge of the schema, which is what makes the depth
      // and complexity limits matter (and what a GraphQL denial-of-service query would abuse).
      related: async (product: Product, args: { limit: number }, ctx: GraphqlContext) => {
        if (args.limit < 1 || args.limit > 20) throw badRequest('limit must be 1..20');
        const { response } = await catalog.listProducts({ category: product.category, limit: args.limit + 1 }, ctx.call);
        return answer<{ items: Product[] }>(response)
          .items.filter((p) => String(p.id) !== String(product.id))
          .slice(0, args.limit);
      },
    },
    OrderItem: {
      product: (item: OrderItemInput, _: unknown, ctx: GraphqlContext) => ctx.products.load(String(item.productId)),
    },
  };
}
