import type { FastifyInstance } from 'fastify';
import type { Identity } from '../../mesh/policy.ts';
import { peerIdentity } from './tls.ts';
import type { AuditLog } from './audit-log.ts';
import { arrivedInPlaintext } from './plaintext-listener.ts';

/**
 * Service-level authorization of the mesh: the TLS handshake already refused callers without a
 * certificate from the CA; this refuses verified callers the policy does not list (403).
 */
export function enforceMeshCallers(app: FastifyInstance, allowed: readonly Identity[], audit: AuditLog, self: Identity): void {
  app.addHook('onRequest', async (request, reply) => {
    // Only the mesh-plaintext switch opens a plaintext listener; its callers are served unidentified.
    if (arrivedInPlaintext(request.raw.socket)) return;
    const caller = peerIdentity(request.raw.socket);
    if (caller && (allowed as readonly string[]).includes(caller)) return;
    // The instance's own identity is its health check (the images' HEALTHCHECK, the kind pods'
    // readiness probe: platform/images/service-health.ts), refused like any unlisted caller but not
    // an attack: audited, four pods every 5 s kept CrucibleAuthzDeniedBurst firing for good on kind,
    // and no authorization attack could then be detected.
    if (caller === self) return reply.code(403).send({ error: 'forbidden', message: 'caller identity not allowed by the mesh policy', requestId: request.id });
    audit.record('authz.denied', { reason: 'mesh_caller_not_allowed', caller: caller ?? null, route: request.url, ip: request.ip });
    return reply.code(403).send({ error: 'forbidden', message: 'caller identity not allowed by the mesh policy', requestId: request.id });
  });
}
