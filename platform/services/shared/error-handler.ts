import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Errors leave as `{ error, message, requestId }`: the client learns what was wrong with its request,
 * never a stack trace or an internal message; the full error goes to the service log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(status).send({ error: status === 503 ? 'unavailable' : 'internal_error', message: 'the request could not be completed', requestId: request.id });
    }
    const error = err.validation ? 'bad_request' : (err.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');
    return reply.code(status).send({ error, message: err.message, requestId: request.id });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: 'no such route', requestId: request.id }));
}
