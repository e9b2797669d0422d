import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An HTTP request that reached the listener. */
export interface ArrivedRequest {
  readonly method: string;
  /** The path and query asked for. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A connection to the listener, or an HTTP request on one (the first request on a connection counts twice: harmless). */
export interface Arrival {
  readonly at: number;
  readonly listener: '127.0.0.1' | '::1';
  readonly remote: string;
  /** The request, for an HTTP request; absent for the connection itself. */
  readonly request?: ArrivedRequest;
}

/** What the listener answers to every request but a redirect: the canary (text) by default. */
export interface OobAnswer {
  readonly contentType: string;
  readonly body: string;
}

/**
 * An out-of-band listener on loopback: whatever the target fetches from it shows it followed a URL
 * it should not have (SSRF, a token's jku). Every TCP connection is an arrival (an https:// URL
 * sends a TLS handshake, not HTTP, and proves the fetch just as well), and so is every request.
 * `/redirect/<key>` answers 302 to an internal URL registered under that key; everything else
 * answers 200 with the answer given, by default the canary, which must never come back through
 * the target.
 */
export class OobListener implements AsyncDisposable {
  readonly canary: string;
  readonly arrivals: readonly Arrival[];
  readonly port: number;
  /** The ::1 listener's port; undefined where IPv6 loopback cannot be bound. */
  readonly port6: number | undefined;
  readonly #servers: readonly Server[];
  readonly #sockets: Set<Socket>;
  readonly #redirects: Map<string, string>;

  private constructor(o: {
    canary: string;
    arrivals: Arrival[];
    servers: Server[];
    sockets: Set<Socket>;
    redirects: Map<string, string>;
    port: number;
    port6: number | undefined;
  }) {
    this.canary = o.canary;
    this.arrivals = o.arrivals;
    this.#servers = o.servers;
    this.#sockets = o.sockets;
    this.#redirects = o.redirects;
    this.port = o.port;
    this.port6 = o.port6;
  }

  static async start(o: { readonly answer?: OobAnswer } = {}): Promise<OobListener> {
    const canary = `crucible-ssrf-canary-${randomBytes(6).toString('hex')}`;
    const answer = o.answer ?? { contentType: 'text/plain', body: canary };
    const arrivals: Arrival[] = [];
    const sockets = new Set<Socket>();
    const redirects = new Map<string, string>();
    const make = (listener: Arrival['listener']): Server => {
      const server = createServer((req, res) => {
        // A fetcher that keeps the connection alive would make its next fetch invisible to 'connection'.
        const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
        arrivals.push({ at: Date.now(), listener, remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`, request });
        const location = redirects.get(/^\/redirect\/(\w+)/.exec(req.url ?? '')?.[1] ?? '');
        if (location) res.writeHead(302, { location, connection: 'close' }).end();
        else res.writeHead(200, { 'content-type': answer.contentType, connection: 'close' }).end(answer.body);
      });
      server.on('connection', (socket: Socket) => {
        arrivals.push({ at: Date.now(), listener, remote: `${socket.remoteAddress}:${socket.remotePort}` });
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.on('clientError', (_err, socket) => socket.destroy());
      return server;
    };
    const v4 = make('127.0.0.1');
    await listen(v4, '127.0.0.1');
    const servers = [v4];
    let port6: number | undefined;
    const v6 = make('::1');
    try {
      await listen(v6, '::1');
      servers.push(v6);
      port6 = (v6.address() as AddressInfo).port;
    } catch {
      // No IPv6 loopback here: the [::1] probe still runs, it just cannot be seen arriving.
    }
    return new OobListener({ canary, arrivals, servers, sockets, redirects, port: (v4.address() as AddressInfo).port, port6 });
  }

  /** The listener's origin on IPv4 loopback: `http://127.0.0.1:<port>`. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A URL on this listener that redirects to `location`. */
  redirectTo(location: string): string {
    const key = randomBytes(6).toString('hex');
    this.#redirects.set(key, location);
    return `${this.origin}/redirect/${key}`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await Promise.all(this.#servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

function listen(server: Server, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
