import type { CheckContext } from '../security-check.ts';
import type { RequestTemplate } from '../target-profile.ts';
import { expandTemplate, type ExpandedRequest, type TemplateValues } from './expand-template.ts';

export type Reply = Awaited<ReturnType<CheckContext['http']['request']>>;

/** An answer to a profile request, with how long it took (the time-based oracles read it). */
export interface TemplateReply extends Reply {
  readonly elapsedMs: number;
}

export interface SendOptions {
  /** What the template's placeholders take (`{id}`, `{payload}`, `{url}`; `{uuid}` is always fresh). */
  readonly values?: TemplateValues;
  /** A credential (sent where the profile's auth.credential says); none: anonymous. */
  readonly token?: string;
  /** Another base URL than the profile's (a replica). */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  /** Headers over the template's own. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends a request of the profile (a template, filled; or one expanded already, to know its minted values). */
export async function sendTemplate(ctx: CheckContext, t: RequestTemplate | ExpandedRequest, o: SendOptions = {}): Promise<TemplateReply> {
  const r = 'minted' in t ? t : expandTemplate(t, o.values);
  const headers = o.headers ? { ...r.headers, ...o.headers } : r.headers;
  const started = performance.now();
  const res = await ctx.http.request({
    method: r.method,
    path: r.path,
    ...(headers ? { headers } : {}),
    ...(r.body !== undefined ? { body: r.body } : {}),
    ...(o.token !== undefined ? { token: o.token } : {}),
    ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
  return { ...res, elapsedMs: performance.now() - started };
}
