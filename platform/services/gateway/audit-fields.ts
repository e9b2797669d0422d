import type { FastifyRequest } from 'fastify';

/** The fields every gateway audit line carries, so a detector can join them to access logs and traces. */
export function auditFields(request: FastifyRequest): { ip: string; user: string | null; route: string; requestId: string } {
  return {
    ip: request.ip,
    user: request.user?.id ?? null,
    route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
    requestId: request.id,
  };
}
