import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallContext, UpstreamResponse } from './upstream-client.ts';

/** Upstream headers a client may see; the rest (server, internal ids, cookies) stay inside the mesh. */
const PASSED_HEADERS = ['content-type', 'retry-after'] as const;

/** Sends an upstream answer on as the gateway's answer: status, body, and the few headers that matter to clients. */
export function relay(reply: FastifyReply, res: UpstreamResponse): FastifyReply {
  reply.code(res.status);
  for (const name of PASSED_HEADERS) {
    const value = res.headers[name];
    if (typeof value === 'string') reply.header(name, value);
  }
  if (res.status === 204 || res.body === '') return reply.send();
  if (!res.headers['content-type']) reply.type('application/json; charset=utf-8');
  return reply.send(res.body);
}

/** What an upstream call forwards about the client's request. */
export const callContext = (request: FastifyRequest): CallContext => ({ requestId: request.id, clientIp: request.ip });
