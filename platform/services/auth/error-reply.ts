import type { FastifyReply, FastifyRequest } from 'fastify';

/** The platform's error shape (docs/platform.md), for the answers a route gives on purpose. */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).send({ error, message, requestId: request.id });
}
