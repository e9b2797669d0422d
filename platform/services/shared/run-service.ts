import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { listenPlaintext } from './plaintext-listener.ts';

/**
 * Fastify's options for a graceful close: a request that arrives on a kept-alive connection while the
 * service closes is served, with `Connection: close`, instead of answered 503 (fastify's default). A
 * replica being replaced behind a pool (a Kubernetes Service, through the mesh's kept-alive
 * connections) then costs no request: its callers move to another replica on their next connection.
 */
export const DRAIN_ON_CLOSE = { return503OnClosing: false } as const;

/**
 * Listens, then closes gracefully on SIGTERM/SIGINT (in-flight requests finish, pools drain)
 * within a deadline, so the supervisor's stop is quick and clean. `plaintextPort` (only set by the
 * mesh-plaintext switch) serves the same app over plain HTTP as well.
 */
export async function runService(
  app: FastifyInstance,
  listen: { readonly host: string; readonly port: number; readonly plaintextPort?: number },
  onClose: () => Promise<void> = async () => {},
): Promise<void> {
  let closing = false;
  let plaintext: Server | undefined;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => process.exit(0), 5_000);
    deadline.unref();
    plaintext?.close();
    plaintext?.closeAllConnections();
    app
      .close()
      .then(onClose)
      .catch((err: unknown) => app.log.error({ err }, 'error while closing'))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host: listen.host, port: listen.port });
  if (listen.plaintextPort !== undefined) {
    plaintext = await listenPlaintext(app, listen.host, listen.plaintextPort);
    app.log.warn({ port: listen.plaintextPort }, 'mesh-plaintext: also serving plain HTTP without client certificates');
  }
}
