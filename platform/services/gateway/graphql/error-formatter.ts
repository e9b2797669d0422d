import { GraphQLError } from 'graphql';
import mercurius, { type MercuriusOptions } from 'mercurius';
import { ApiError } from '../api-error.ts';

type ErrorFormatter = NonNullable<MercuriusOptions['errorFormatter']>;

/**
 * Errors leave with a message meant for clients: GraphQL's own (syntax, validation, limits), an
 * ApiError's public code and message, or a client error fastify raised. Anything else (a bug, an
 * upstream's internals) becomes "internal error", logged in full. GraphQLError's JSON never holds a stack.
 */
function sanitize(err: GraphQLError, log: { error: (obj: object, msg: string) => void }): GraphQLError {
  const original = err.originalError as (Error & { statusCode?: number; errors?: unknown }) | undefined;
  if (!original || original instanceof GraphQLError) return err;
  const at = { nodes: err.nodes, path: err.path };
  if (original instanceof ApiError) return new GraphQLError(original.message, { ...at, originalError: original, extensions: { code: original.code } });
  if (original instanceof mercurius.ErrorWithProps || Array.isArray(original.errors)) return err;
  if (typeof original.statusCode === 'number' && original.statusCode < 500) return err;
  log.error({ err: original }, 'graphql operation failed');
  return new GraphQLError('internal error', { ...at, extensions: { code: 'internal_error' } });
}

export const sanitizingErrorFormatter: ErrorFormatter = (execution, context) => {
  const log = (context as { reply?: { log: { error: (obj: object, msg: string) => void } } }).reply?.log ?? console;
  const formatted = mercurius.defaultErrorFormatter({ ...execution, errors: execution.errors.map((e) => sanitize(e, log)) }, context);
  // mercurius answers 400 for a document with one validation error but 200 for several; a refused document is always a 400 here.
  const refused = !execution.data && execution.errors.some((e) => (e.originalError as { code?: unknown } | undefined)?.code === 'MER_ERR_GQL_VALIDATION');
  return refused ? { ...formatted, statusCode: 400 } : formatted;
};
