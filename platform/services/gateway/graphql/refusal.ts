import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/** Why a document was refused before it ran; `extensions.code` of the error, and the audit reason. */
export type GraphqlRefusal = 'query_too_deep' | 'query_too_complex' | 'too_many_aliases' | 'batch_too_large' | 'introspection_disabled';

export const GRAPHQL_REFUSALS: ReadonlySet<string> = new Set<GraphqlRefusal>([
  'query_too_deep',
  'query_too_complex',
  'too_many_aliases',
  'batch_too_large',
  'introspection_disabled',
]);

export const refusalError = (message: string, code: GraphqlRefusal, nodes?: GraphQLError['nodes']): GraphQLError =>
  new GraphQLError(message, { nodes: nodes ?? undefined, extensions: { code } });

/**
 * The context as a third-party rule sees it, with every error it reports tagged with `code`, so
 * refusals can be told apart from ordinary validation errors (and audited) without parsing messages.
 */
export function taggingContext(context: ValidationContext, code: GraphqlRefusal): ValidationContext {
  return Object.create(context, {
    reportError: { value: (err: GraphQLError) => context.reportError(refusalError(err.message, code, err.nodes)) },
  }) as ValidationContext;
}

export const tagged =
  (rule: ValidationRule, code: GraphqlRefusal): ValidationRule =>
  (context) =>
    rule(taggingContext(context, code));
