import type { FastifyInstance } from 'fastify';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';

/**
 * GET /account sends the browser to the web UI. The Location is relative, so no request header
 * can choose where it points; the header-injection switch builds it from X-Forwarded-Host (then
 * Host) instead, as apps that reconstruct "their own" absolute URL do, which makes it an open redirect.
 */
export function registerAccountRedirect(app: FastifyInstance, deps: { vulnerable: ReadonlySet<VulnerableSwitch> }): void {
  const fromHeaders = deps.vulnerable.has('header-injection');
  app.get('/account', async (request, reply) => {
    if (!fromHeaders) return reply.redirect('/', 302);
    const host = request.headers['x-forwarded-host'] ?? request.headers.host ?? 'localhost';
    return reply.redirect(`http://${Array.isArray(host) ? host.join(',') : host}/`, 302);
  });
}
