import type { FastifyReply } from 'fastify';
import { GraphQLError } from 'graphql';
import mercurius, { type MercuriusOptions } from 'mercurius';
import { ApiError } from '../api-error.ts';
import { GRAPHQL_REFUSALS } from './refusal.ts';

type ErrorFormatter = NonNullable<MercuriusOptions['errorFormatter']>;
type Log = { error: (obj: object, msg: string) => void };

interface FormattedError {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface ErrorFormatterOptions {
  /** Keep graphql-js's "Did you mean ...?" hints (dev mode, or the graphql-introspection switch). */
  readonly suggestions: boolean;
  /** The verbose-errors switch: internal messages and stack traces go to the client. */
  readonly verbose: boolean;
  /** Called once per operation refused by a limit, with the refusal codes. */
  readonly onRefused: (reply: FastifyReply, codes: readonly string[]) => void;
}

/**
 * graphql-js appends suggestions to validation messages; they let a client rebuild the schema
 * field by field (clairvoyance) with introspection off, so they go too.
 */
const SUGGESTION = / ?Did you mean [^?]*\?$/;

/**
 * Errors leave with a message meant for clients: GraphQL's own (syntax, validation, limits), an
 * ApiError's public code and message, or a client error fastify raised. Anything else (a bug, an
 * upstream's internals) becomes "internal error", logged in full. GraphQLError's JSON never holds a stack.
 */
function sanitize(err: GraphQLError, log: Log, verbose: boolean): GraphQLError {
  const original = err.originalError as (Error & { statusCode?: number; errors?: unknown }) | undefined;
  if (!original || original instanceof GraphQLError) return err;
  const at = { nodes: err.nodes, path: err.path };
  if (original instanceof ApiError) return new GraphQLError(original.message, { ...at, originalError: original, extensions: { code: original.code } });
  if (original instanceof mercurius.ErrorWithProps || Array.isArray(original.errors)) return err;
  if (typeof original.statusCode === 'number' && original.statusCode < 500) return err;
  log.error({ err: original }, 'graphql operation failed');
  if (verbose) return err;
  return new GraphQLError('internal error', { ...at, extensions: { code: 'internal_error' } });
}

/** The errors as defaultErrorFormatter lists them (a validation failure holds one per problem). */
const flattened = (errors: readonly GraphQLError[]): Error[] =>
  errors.flatMap((e) => {
    const inner = (e.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(inner) ? (inner as Error[]) : [e];
  });

/** What the verbose-errors switch leaks: the error behind the GraphQL error, with its stack (Apollo's shape). */
function exceptionOf(err: Error): Record<string, unknown> {
  const cause = err instanceof GraphQLError && err.originalError ? err.originalError : err;
  return { name: cause.name, message: cause.message, stacktrace: (cause.stack ?? '').split('\n') };
}

export function createErrorFormatter(opts: ErrorFormatterOptions): ErrorFormatter {
  return (execution, context) => {
    const reply = (context as { reply?: FastifyReply }).reply;
    const log: Log = reply?.log ?? console;
    const errors = execution.errors.map((e) => sanitize(e, log, opts.verbose));
    const formatted = mercurius.defaultErrorFormatter({ ...execution, errors }, context);
    const list = (formatted.response as { errors?: FormattedError[] }).errors ?? [];
    const raw = opts.verbose ? flattened(execution.errors) : [];
    list.forEach((e, i) => {
      if (!opts.suggestions) e.message = e.message.replace(SUGGESTION, '');
      const source = raw[i];
      if (source) e.extensions = { ...e.extensions, exception: exceptionOf(source) };
    });
    const refusals = list.flatMap((e) =>
      typeof e.extensions?.['code'] === 'string' && GRAPHQL_REFUSALS.has(e.extensions['code']) ? [e.extensions['code']] : [],
    );
    if (reply && refusals.length > 0) opts.onRefused(reply, [...new Set(refusals)]);
    // mercurius answers 400 for a document with one validation error but 200 for several; a refused document is always a 400 here.
    const refused = !execution.data && execution.errors.some((e) => (e.originalError as { code?: unknown } | undefined)?.code === 'MER_ERR_GQL_VALIDATION');
    return refused ? { ...formatted, statusCode: 400 } : formatted;
  };
}
