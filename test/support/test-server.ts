import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP target for the engine's tests (loopback only):
 *   /ok                 200 "ok"
 *   /stall?ms=N         200 after N ms
 *   /cache/N            200 with x-cache: hit for even N, miss for odd N
 *   /status/N           status N
 *   /echo               200 JSON: method, url, authorization, content-type and body of the request
 *   /traceback/<stack>  500 with the error a server of that stack shows when its errors are verbose
 *                       (TRACEBACKS: python, python-json, java, dotnet, php, go, ruby), or a generic
 *                       error for `none`: the verbose-errors check's non-Node proof
 * pause(ms) holds every response (new and in flight) for ms: a stalled server.
 */
export interface TestServer {
  readonly url: string;
  pause(ms: number): void;
  requests(): number;
  close(): Promise<void>;
}

/**
 * What a server of each stack answers an unhandled error with when it shows its errors: each as the
 * stack's runtime prints it (Python's traceback module, a JVM's printStackTrace, .NET's
 * Exception.ToString(), PHP's uncaught-error report, Go's panic, Rails' backtrace), and one inside
 * JSON (a Python API returning the formatted traceback in its error body).
 */
export const TRACEBACKS = {
  python: [
    'Traceback (most recent call last):',
    '  File "/srv/api/app.py", line 42, in login',
    "    user = users[request.json['username']]",
    "KeyError: 'username'",
  ].join('\n'),
  'python-json': JSON.stringify({ error: 'KeyError', detail: '  File "/srv/api/app.py", line 42, in login\n    user = users[name]\nKeyError: \'username\'' }),
  java: [
    'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null',
    '\tat com.example.api.LoginController.login(LoginController.java:57)',
    '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
  ].join('\n'),
  dotnet: [
    'System.NullReferenceException: Object reference not set to an instance of an object.',
    '   at Api.Controllers.LoginController.Login(LoginRequest request) in /src/Api/Controllers/LoginController.cs:line 31',
  ].join('\n'),
  php: [
    'PHP Fatal error:  Uncaught TypeError: strlen(): Argument #1 ($string) must be of type string, array given',
    'Stack trace:',
    '#0 /var/www/html/login.php(14): strlen(Array)',
    '#1 {main}',
  ].join('\n'),
  go: [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '',
    'goroutine 21 [running]:',
    'main.login(0xc000012345)',
    '\t/app/main.go:42 +0x2a',
  ].join('\n'),
  ruby: ["NoMethodError (undefined method `[]' for nil:NilClass):", "app/controllers/sessions_controller.rb:12:in `create'"].join('\n'),
} as const;

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
    else if (kind === 'traceback') {
      const trace = Object.entries(TRACEBACKS).find(([stack]) => stack === arg)?.[1];
      reply(500, trace ?? JSON.stringify({ error: 'internal error' }), {
        'content-type': trace?.startsWith('{') || !trace ? 'application/json' : 'text/plain',
      });
    } else reply(200, 'ok');
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
