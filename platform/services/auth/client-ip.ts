import type { FastifyRequest } from 'fastify';

/**
 * The end client's address: the first X-Forwarded-For entry set by the gateway, else the peer.
 * Trusting the header is safe here only because mutual TLS admits nothing but mesh identities.
 */
export function clientIp(request: FastifyRequest): string {
  const header = request.headers['x-forwarded-for'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
  return first || request.ip;
}
