import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** Connections accepted by the plaintext listener: they carry no certificate and no identity. */
const plaintextSockets = new WeakSet<Socket>();

/** Whether a request arrived on the plaintext listener (mesh-plaintext), where no caller identity exists to check. */
export const arrivedInPlaintext = (socket: unknown): boolean => plaintextSockets.has(socket as Socket);

/**
 * The mesh-plaintext switch: the same app, also served over plain HTTP without client certificates,
 * as a workload reachable around its sidecar would be. Requests go through the app's own router,
 * so every route, hook and error handler applies; only the TLS handshake (and with it the caller's
 * identity) is missing.
 */
export async function listenPlaintext(app: FastifyInstance, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    plaintextSockets.add(req.socket);
    app.routing(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
