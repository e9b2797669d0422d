import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Errors leave as `{ error, message, requestId }`: the client learns what was wrong with its request,
 * never a stack trace or an internal message; the full error goes to the service log.
 */
/** Fastify's own client-error codes, in the contract's vocabulary. */
const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_VALIDATION: 'bad_request',
};

/**
 * `verbose` is the verbose-errors switch (mode 'test' only): every error body then carries the
 * stack trace, the internal message and the error's code and cause, as a debug build would leak them.
 */
export function installErrorHandler(app: FastifyInstance, opts: { readonly verbose?: boolean } = {}): void {
  app.setErrorHandler((err: FastifyError & { headers?: Record<string, string> }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    // Retry-After and WWW-Authenticate travel on the error; a refusal without them is less useful.
    if (err.headers && status < 500) reply.headers(err.headers);
    const internals = opts.verbose
      ? { stack: err.stack, internal: { name: err.name, code: err.code, message: err.message, cause: String(err.cause ?? '') || undefined } }
      : {};
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply
        .code(status)
        .send({ error: status === 503 ? 'unavailable' : 'internal_error', message: 'the request could not be completed', requestId: request.id, ...internals });
    }
    const error = err.validation
      ? 'bad_request'
      : (FASTIFY_CODES[err.code] ?? (err.code?.startsWith('FST_') ? 'bad_request' : (err.code ?? 'bad_request').toLowerCase()));
    return reply.code(status).send({ error, message: err.message, requestId: request.id, ...internals });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: 'no such route', requestId: request.id }));
}
