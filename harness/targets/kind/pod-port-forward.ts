import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A pod's port on 127.0.0.1, as `kubectl port-forward pod/<name>` gives it, through the API server:
 * each local connection opens its own forward (a WebSocket to the kubelet), so a pod that was
 * deleted and recreated under the same name (a StatefulSet's) is reached again by the next
 * connection, and a failed one fails only that connection. Traffic goes into the pod's network
 * namespace directly: NetworkPolicies and the mesh are not on its way (the datastore itself, not the
 * path to it). Disposing it closes the listener and every open connection.
 */
export class PodPortForward implements AsyncDisposable {
  readonly pod: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(kc: KubeConfig, namespace: string, pod: string, targetPort: number) {
    this.pod = pod;
    const forward = new PortForward(kc);
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      // The client sees a closed connection when the forward fails (the pod is gone, the kubelet is frozen).
      forward
        .portForward(namespace, pod, [targetPort], socket, null, socket)
        .then((ws) => {
          if (typeof ws === 'function') return;
          ws.on('close', () => socket.destroy());
          ws.on('error', () => socket.destroy());
          if (socket.destroyed) ws.close();
          else socket.on('close', () => ws.close());
        })
        .catch(() => socket.destroy());
    });
  }

  static async open(kc: KubeConfig, namespace: string, pod: string, targetPort: number): Promise<PodPortForward> {
    const pf = new PodPortForward(kc, namespace, pod, targetPort);
    pf.#server.listen(0, '127.0.0.1');
    await once(pf.#server, 'listening');
    return pf;
  }

  /** The local port (127.0.0.1). */
  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
