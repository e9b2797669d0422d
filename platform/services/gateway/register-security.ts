import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { VulnerableSwitch } from '../shared/vulnerable-switches.ts';

/**
 * Browser-facing hardening. The CSP is written out instead of helmet's defaults: those add
 * upgrade-insecure-requests, which would break the web UI on the plain-HTTP local edge.
 * CORS answers only the configured origins; any other origin gets no Access-Control-Allow-Origin.
 * TRACE has no route (404): nothing echoes a request back.
 *
 * Switches: no-security-headers (no helmet), permissive-cors (any Origin reflected, with
 * credentials), allow-trace (TRACE echoes the request, headers included: cross-site tracing).
 */
export async function registerSecurity(
  app: FastifyInstance,
  corsOrigins: readonly string[],
  vulnerable: ReadonlySet<VulnerableSwitch> = new Set(),
): Promise<void> {
  if (!vulnerable.has('no-security-headers')) {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      hsts: { maxAge: 31_536_000, includeSubDomains: true },
      referrerPolicy: { policy: 'no-referrer' },
    });
  }
  const permissive = vulnerable.has('permissive-cors');
  await app.register(cors, {
    origin: permissive ? (_origin, cb) => cb(null, true) : [...corsOrigins],
    credentials: permissive,
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Cache', 'X-Request-Id'],
    maxAge: 600,
  });
  if (vulnerable.has('allow-trace')) {
    app.route({
      method: 'TRACE',
      url: '/*',
      handler: async (request, reply) => {
        const head = Object.entries(request.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`);
        return reply.type('message/http').send(`${request.method} ${request.url} HTTP/${request.raw.httpVersion}\r\n${head.join('\r\n')}\r\n\r\n`);
      },
    });
  }
}
