import { Agent, request } from 'undici';
import type { Evidence, SecurityHttp } from './security-check.ts';

const EXCERPT = 2048;
/** What evidence keeps of a body: its first 2 KB. */
export const cut = (s: string): string => (s.length > EXCERPT ? `${s.slice(0, EXCERPT)}…` : s);

/** Headers safe to keep as evidence: tokens are shortened so a report never carries a live credential whole. */
function evidenceHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = k.toLowerCase() === 'authorization' && v.length > 40 ? `${v.slice(0, 32)}…(${v.length} chars)` : v;
  return out;
}

/**
 * The checks' HTTP client: every request carries `x-crucible-check: <check id>` (so the platform's
 * logs tie it to the check) and comes back with its evidence. Never throws for an answer: a refused
 * connection or a timeout is status 0.
 */
export function createSecurityHttp(baseUrl: string, checkId: string, defaultTimeoutMs = 10_000): SecurityHttp & AsyncDisposable {
  const agent = new Agent({ connections: 32, connect: { timeout: defaultTimeoutMs } });
  return {
    async request(r) {
      const base = (r.baseUrl ?? baseUrl).replace(/\/$/, '');
      const url = /^https?:\/\//.test(r.path) ? r.path : `${base}${r.path}`;
      const headers: Record<string, string> = { 'x-crucible-check': checkId, ...r.headers };
      if (r.token !== undefined) headers['authorization'] = `Bearer ${r.token}`;
      let body: string | undefined = r.rawBody;
      if (body === undefined && r.body !== undefined) {
        body = JSON.stringify(r.body);
        headers['content-type'] ??= 'application/json';
      }
      const timeoutMs = r.timeoutMs ?? defaultTimeoutMs;
      const ev = { method: r.method, url, requestHeaders: evidenceHeaders(headers), ...(body !== undefined ? { requestBody: cut(body) } : {}) };
      try {
        const res = await request(url, { method: r.method as 'GET', headers, body, dispatcher: agent, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
        const text = await res.body.text();
        const evidence: Evidence = { ...ev, status: res.statusCode, responseExcerpt: cut(text) };
        return {
          status: res.statusCode,
          headers: res.headers as Record<string, string | string[] | undefined>,
          text,
          json<T>(): T | undefined {
            try {
              return JSON.parse(text) as T;
            } catch {
              return undefined;
            }
          },
          evidence,
        };
      } catch (err) {
        const evidence: Evidence = { ...ev, status: 0, note: (err as Error).message };
        return { status: 0, headers: {}, text: '', json: () => undefined, evidence };
      }
    },
    [Symbol.asyncDispose]: () => agent.close(),
  };
}
