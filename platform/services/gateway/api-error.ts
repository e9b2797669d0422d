import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

/**
 * An error the client may see as is: status, the public `error` code, a message and headers
 * (Retry-After, WWW-Authenticate). Anything else is left to the shared handler, which hides it.
 */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(statusCode: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
  }
}

export function sendApiError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).headers(err.headers).send({ error: err.code, message: err.message, requestId: reply.request.id });
}

/**
 * For the gateway's route scope: ApiErrors leave with their own code and headers; everything else is
 * rethrown, so fastify hands it to the parent (shared) error handler.
 */
export function handleApiErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((err: FastifyError | ApiError, _request, reply) => {
    if (err instanceof ApiError) return sendApiError(reply, err);
    throw err;
  });
}

export const retryAfterSeconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));
