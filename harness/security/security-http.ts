import { Agent, request } from 'undici';
import type { Evidence, SecurityHttp } from './security-check.ts';
import type { CredentialPlacement } from './target-profile.ts';
import { BEARER, placeCredential } from './toolkit/credential.ts';

const EXCERPT = 2048;
/** What evidence keeps of a body: its first 2 KB. */
export const cut = (s: string): string => (s.length > EXCERPT ? `${s.slice(0, EXCERPT)}…` : s);

/** Headers safe to keep as evidence: credentials are shortened so a report never carries a live one whole. */
function evidenceHeaders(h: Record<string, string>, credentialHeader: string): Record<string, string> {
  const secret = new Set(['authorization', 'cookie', credentialHeader]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = secret.has(k.toLowerCase()) && v.length > 40 ? `${v.slice(0, 32)}…(${v.length} chars)` : v;
  return out;
}

/** A URL whose query carries a credential, shortened like a header (evidence). */
function evidenceUrl(url: string, p: CredentialPlacement): string {
  if (p.in !== 'query') return url;
  const u = new URL(url);
  const v = u.searchParams.get(p.name);
  if (v !== null && v.length > 40) u.searchParams.set(p.name, `${v.slice(0, 32)}…(${v.length} chars)`);
  return u.toString();
}

export interface SecurityHttpOptions {
  /** @default 10 s */
  readonly timeoutMs?: number;
  /** Where a request's `token` goes (the profile's auth.credential). @default Authorization: Bearer */
  readonly credential?: CredentialPlacement;
}

/**
 * The checks' HTTP client: every request carries `x-crucible-check: <check id>` (so the platform's
 * logs tie it to the check) and comes back with its evidence. Never throws for an answer: a refused
 * connection or a timeout is status 0.
 */
export function createSecurityHttp(baseUrl: string, checkId: string, o: SecurityHttpOptions = {}): SecurityHttp & AsyncDisposable {
  const defaultTimeoutMs = o.timeoutMs ?? 10_000;
  const placement = o.credential ?? BEARER;
  const agent = new Agent({ connections: 32, connect: { timeout: defaultTimeoutMs } });
  return {
    async request(r) {
      const base = (r.baseUrl ?? baseUrl).replace(/\/$/, '');
      const bare = /^https?:\/\//.test(r.path) ? r.path : `${base}${r.path}`;
      const plain: Record<string, string> = { 'x-crucible-check': checkId, ...r.headers };
      // The one place a credential is put on a request: where the profile's auth.credential says.
      const { url, headers } = r.token !== undefined ? placeCredential(placement, r.token, { url: bare, headers: plain }) : { url: bare, headers: plain };
      let body: string | undefined = r.rawBody;
      if (body === undefined && r.body !== undefined) {
        body = JSON.stringify(r.body);
        headers['content-type'] ??= 'application/json';
      }
      const timeoutMs = r.timeoutMs ?? defaultTimeoutMs;
      const ev = {
        method: r.method,
        url: evidenceUrl(url, placement),
        requestHeaders: evidenceHeaders(headers, placement.name.toLowerCase()),
        ...(body !== undefined ? { requestBody: cut(body) } : {}),
      };
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
