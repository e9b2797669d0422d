import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP target for the engine's tests (loopback only):
 *   /ok                 200 "ok"
 *   /stall?ms=N         200 after N ms
 *   /cache/N            200 with x-cache: hit for even N, miss for odd N
 *   /status/N           status N
 *   /echo               200 JSON: method, url, authorization, content-type and body of the request
 * pause(ms) holds every response (new and in flight) for ms: a stalled server.
 */
export interface TestServer {
  readonly url: string;
  pause(ms: number): void;
  requests(): number;
  close(): Promise<void>;
}

export async function startTestServer(port: number): Promise<TestServer> {
  let pausedUntil = 0;
  let count = 0;
  const server: Server = createServer((req, res) => {
    count++;
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = (status: number, body: string, headers: Record<string, string> = {}): void => {
      const send = (): void => void res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
      const wait = pausedUntil - Date.now();
      if (wait > 0) setTimeout(send, wait);
      else send();
    };
    const [, kind, arg] = url.pathname.split('/');
    if (kind === 'echo') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () =>
        reply(
          200,
          JSON.stringify({ method: req.method, url: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], body }),
          {
            'content-type': 'application/json',
          },
        ),
      );
    } else if (kind === 'stall') setTimeout(() => reply(200, 'slow'), Number(url.searchParams.get('ms') ?? 100));
    else if (kind === 'cache') reply(200, 'item', { 'x-cache': Number(arg) % 2 === 0 ? 'HIT' : 'MISS' });
    else if (kind === 'status') reply(Number(arg), 'status');
    else reply(200, 'ok');
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pause: (ms) => void (pausedUntil = Date.now() + ms),
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
