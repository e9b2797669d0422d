import type { FastifyReply, FastifyRequest } from 'fastify';

/** The platform's error body, `{ error, message, requestId }`, plus optional details such as productId. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(status).send({ error, message, requestId: request.id, ...details });
}
