import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import mercurius, { type IResolvers } from 'mercurius';
import type { AuditLog } from '../../shared/audit-log.ts';
import type { GatewayServiceConfig } from '../../shared/service-config.ts';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';
import { ApiError, sendApiError } from '../api-error.ts';
import { auditFields } from '../audit-fields.ts';
import type { CatalogApi } from '../catalog-api.ts';
import { callContext } from '../relay.ts';
import { aliasLimitRule } from './alias-limit-rule.ts';
import { createErrorFormatter } from './error-formatter.ts';
import { queryCostRule } from './query-cost-rule.ts';
import type { LoginResolverDeps } from './login-resolver.ts';
import { createProductLoader } from './product-loader.ts';
import { tagged } from './refusal.ts';
import { createResolvers, type GraphqlContext } from './resolvers.ts';
import { GATEWAY_SCHEMA } from './schema.ts';

const MAX_TOKENS = 5_000;

/**
 * /graphql with the limits of docs/platform.md. Every operation is validated against depth,
 * complexity and alias limits (and introspection outside dev) before it runs; a batch larger than
 * graphql.maxBatch is refused before any operation runs. Every refusal is audited (graphql.rejected).
 * The product loader is built once per HTTP request in the context, which mercurius shares (by
 * prototype) with every operation of a batch.
 *
 * Vulnerable switches: graphql-introspection (introspection and field suggestions on),
 * graphql-no-limits (no depth, complexity, alias or batch limit), verbose-errors (internals and
 * stacks in errors), debug-routes (the GraphiQL IDE at /graphiql).
 */
export async function registerGraphql(
  app: FastifyInstance,
  deps: { config: GatewayServiceConfig; catalog: CatalogApi; audit: AuditLog; login: LoginResolverDeps; vulnerable: ReadonlySet<VulnerableSwitch> },
): Promise<void> {
  const { graphql: limits, mode } = deps.config;
  const { vulnerable, audit } = deps;
  const open = mode === 'dev' || vulnerable.has('graphql-introspection');
  const unlimited = vulnerable.has('graphql-no-limits');

  const refuseLargeBatch = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body;
    if (unlimited || !Array.isArray(body) || (body.length >= 1 && body.length <= limits.maxBatch)) return undefined;
    audit.record('graphql.rejected', { ...auditFields(request), reasons: ['batch_too_large'], operations: body.length });
    return sendApiError(reply, new ApiError(400, 'bad_request', `a batch holds 1..${limits.maxBatch} operations`));
  };

  await app.register(mercurius, {
    schema: GATEWAY_SCHEMA,
    resolvers: createResolvers(deps) as unknown as IResolvers,
    path: '/graphql',
    graphiql: vulnerable.has('debug-routes'),
    allowBatchedQueries: true,
    // The complexity rule needs each request's variables, which mercurius only passes to a rules
    // function, and a rules function rules out mercurius's parse/validate cache.
    cache: false,
    // Bounds the parser's work (and its recursion) before any rule runs; real queries use a few hundred tokens.
    graphql: { parseOptions: { maxTokens: MAX_TOKENS } },
    validationRules: ({ variables, operationName }) => {
      const rules: ValidationRule[] = unlimited
        ? []
        : [
            queryCostRule({ maxDepth: limits.maxDepth, maxComplexity: limits.maxComplexity, variables: variables ?? {}, operationName }),
            aliasLimitRule(limits.maxAliases),
          ];
      if (!open) rules.push(tagged(NoSchemaIntrospectionCustomRule, 'introspection_disabled'));
      return rules;
    },
    context: (request): GraphqlContext => {
      const call = callContext(request);
      return { request, user: request.user, call, products: createProductLoader(deps.catalog, call) };
    },
    errorFormatter: createErrorFormatter({
      suggestions: open,
      verbose: vulnerable.has('verbose-errors'),
      onRefused: (reply, reasons) => audit.record('graphql.rejected', { ...auditFields(reply.request), reasons }),
    }),
    additionalRouteOptions: { preValidation: refuseLargeBatch },
  });
}
