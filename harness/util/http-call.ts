import { request, type Dispatcher } from 'undici';

export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly body: unknown;
  readonly text: string;
}

export interface HttpCallOptions {
  readonly token?: string;
  /** Sent as JSON (a string is sent as is). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly dispatcher?: Dispatcher;
  readonly timeoutMs?: number;
}

/** One HTTP exchange, body read in full; for checks and tests, not the load engine's hot path. */
export async function httpCall(url: string, method = 'GET', opts: HttpCallOptions = {}): Promise<HttpReply> {
  const res = await request(url, {
    method: method as Dispatcher.HttpMethod,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    headersTimeout: opts.timeoutMs ?? 15_000,
    bodyTimeout: opts.timeoutMs ?? 15_000,
  });
  const text = await res.body.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body, text };
}
