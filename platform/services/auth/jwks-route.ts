import type { FastifyInstance } from 'fastify';
import type { SigningKeys } from './signing-keys.ts';

/** Public keys for the gateways' local token verification; cacheable, a key change comes with a new kid. */
export function registerJwksRoute(app: FastifyInstance, keys: SigningKeys): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { keys: [keys.publicJwk] };
  });
}
