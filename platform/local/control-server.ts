import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Supervisor } from './supervisor.ts';

/**
 * The supervisor's control API on 127.0.0.1, for the harness: read the live state, hold a component
 * down (a fault: "stop PostgreSQL"), release or restart it, shut everything down. A bearer token
 * from the run folder (mode 0600) keeps other local users out.
 */
export function startControlServer(supervisor: Supervisor, port: number, token: string, onShutdown: () => void): Promise<Server> {
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) return send(401, { error: 'unauthorized' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/state') return send(200, supervisor.state);
    if (req.method === 'POST' && url.pathname === '/shutdown') {
      send(202, { status: 'stopping' });
      return onShutdown();
    }
    const m = /^\/components\/([\w.-]+)\/(hold|release|restart)$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      const [, name, action] = m as unknown as [string, string, 'hold' | 'release' | 'restart'];
      const op = action === 'hold' ? supervisor.hold(name) : action === 'release' ? supervisor.release(name) : supervisor.restartComponent(name);
      op.then(
        () =>
          send(
            200,
            supervisor.state.components.find((c) => c.name === name),
          ),
        (err: Error) => send(/no process component/.test(err.message) ? 404 : 500, { error: err.message }),
      );
      return;
    }
    send(404, { error: 'not_found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
