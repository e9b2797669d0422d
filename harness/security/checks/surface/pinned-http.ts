import { isIP } from 'node:net';
import { connect, createServer } from 'node:net';
import { Agent } from 'undici';
import type { Evidence } from '../../security-check.ts';
import { cut } from '../../security-http.ts';

export interface PinnedReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  readonly ms: number;
  readonly evidence: Evidence;
}

export interface PinnedRequest {
  readonly method: string;
  /** Sent exactly as written (no dot-segment removal, no re-encoding): path-variant probes depend on it. */
  readonly path: string;
  readonly baseUrl?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly timeoutMs?: number;
}

/**
 * A client for the probes the checks' shared client cannot send: raw paths, and requests from a
 * source address of their own. A per-IP limit is keyed on the client's address; a check that
 * spends a whole login budget from 127.0.0.1 would leave every later check unable to log in for
 * the rest of the window, so on a loopback target each such check takes a fresh 127.x.y.z.
 */
export interface PinnedHttp extends AsyncDisposable {
  /** The source address requests leave from (undefined: the system's choice). */
  readonly source: string | undefined;
  request(r: PinnedRequest): Promise<PinnedReply>;
}

export function pinnedHttp(baseUrl: string, checkId: string, source?: string, defaultTimeoutMs = 10_000): PinnedHttp {
  const agent = new Agent({ connections: 32, ...(source ? { localAddress: source } : {}), connect: { timeout: defaultTimeoutMs } });
  return {
    source,
    async request(r) {
      const base = new URL(r.baseUrl ?? baseUrl);
      const path = `${base.pathname.replace(/\/$/, '')}${r.path}`;
      const headers: Record<string, string> = { 'x-crucible-check': checkId, ...r.headers };
      let body: string | undefined;
      if (r.body !== undefined) {
        body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        headers['content-type'] ??= 'application/json';
      }
      const timeoutMs = r.timeoutMs ?? defaultTimeoutMs;
      const ev = {
        method: r.method,
        url: `${base.origin}${path}`,
        requestHeaders: source ? { ...headers, 'x-crucible-source-address': source } : headers,
        ...(body !== undefined ? { requestBody: cut(body) } : {}),
      };
      const t0 = performance.now();
      try {
        const res = await agent.request({
          origin: base.origin,
          path,
          method: r.method as 'GET',
          headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const text = await res.body.text();
        const ms = performance.now() - t0;
        return {
          status: res.statusCode,
          headers: res.headers as Record<string, string | string[] | undefined>,
          text,
          ms,
          evidence: { ...ev, status: res.statusCode, responseExcerpt: cut(text) },
        };
      } catch (err) {
        return { status: 0, headers: {}, text: '', ms: performance.now() - t0, evidence: { ...ev, status: 0, note: (err as Error).message } };
      }
    },
    [Symbol.asyncDispose]: () => agent.close(),
  };
}

const isLoopback = (host: string): boolean => host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.'));
const byte = (lo: number): number => lo + Math.floor(Math.random() * (255 - lo));

/**
 * A loopback source address no earlier run is likely to have used (127.0.0.1 excluded), when the
 * target is on loopback, the address can be bound and the target answers a connection from it;
 * otherwise undefined (a remote target sees the machine's address whatever we do).
 */
export async function freshLoopbackSource(baseUrl: string): Promise<string | undefined> {
  const url = new URL(baseUrl);
  if (!isLoopback(url.hostname)) return undefined;
  const candidate = `127.${byte(1)}.${byte(0)}.${byte(1)}`;
  const bindable = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, candidate, () => probe.close(() => resolve(true)));
  });
  return bindable && (await connects(url, candidate)) ? candidate : undefined;
}

/**
 * Whether a TCP connection from `source` is accepted. A port published on 127.0.0.1 by a container
 * engine (kind's NodePorts through podman's port mapping) is rewritten to the container, which
 * masquerades only 127.0.0.1: from any other 127.x address the handshake's answer never comes back,
 * and every request of the check would go unanswered.
 */
function connects(url: URL, source: string): Promise<boolean> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port, localAddress: source, timeout: 2_000 });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
