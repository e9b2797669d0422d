import { randomUUID } from 'node:crypto';
import type { RequestTemplate } from '../target-profile.ts';

/** Values a template's placeholders take: `{id}`, `{payload}`, `{url}`; `{uuid}` is always fresh. */
export interface TemplateValues {
  readonly id?: string | number;
  readonly payload?: string;
  readonly url?: string;
}

export interface ExpandedRequest {
  readonly method: RequestTemplate['method'];
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** The `{uuid}` values minted for this request: nobody else can know them, so they are canaries. */
  readonly minted: readonly string[];
}

/**
 * Fills a profile's request template. In the path, values are percent-encoded (a payload with a
 * quote or a slash must reach the parameter, not reshape the URL); in headers and bodies they go
 * in as they are. A body string that is exactly one placeholder keeps the value's own type.
 */
export function expandTemplate(t: RequestTemplate, values: TemplateValues = {}): ExpandedRequest {
  const minted: string[] = [];
  const uuid = (): string => {
    const u = randomUUID();
    minted.push(u);
    return u;
  };
  const fill = (s: string, encode: (v: string) => string): string =>
    s.replace(/\{(id|payload|url|uuid)\}/g, (whole, name: string) => {
      if (name === 'uuid') return uuid();
      const v = values[name as keyof TemplateValues];
      return v === undefined ? whole : encode(String(v));
    });
  const raw = (v: string): string => v;
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const only = /^\{(id|payload|url)\}$/.exec(v);
      const given = only ? values[only[1] as keyof TemplateValues] : undefined;
      return given !== undefined ? given : fill(v, raw);
    }
    if (Array.isArray(v)) return v.map(deep);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]));
    return v;
  };
  const path = fill(t.path, encodeURIComponent);
  const headers = t.headers ? Object.fromEntries(Object.entries(t.headers).map(([k, v]) => [k, fill(v, raw)])) : undefined;
  const body = t.body === undefined ? undefined : deep(t.body);
  return { method: t.method, path, ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}), minted };
}
