import { Kind, parse, type SelectionSetNode } from 'graphql';
import type { CheckContext, Evidence } from '../../security-check.ts';
import { isRefused } from '../../toolkit/index.ts';

export interface GraphqlResult {
  readonly data?: unknown;
  readonly errors?: readonly { readonly message?: string; readonly extensions?: Record<string, unknown> }[];
}

export interface GraphqlAnswer {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
  readonly evidence: Evidence;
}

/** Executed: the operation ran and produced data (a partial answer with errors counts: it ran). */
export const executed = (r: unknown): boolean => {
  const data = (r as GraphqlResult | undefined)?.data;
  return data !== undefined && data !== null;
};

/** Refused before execution: errors and no data (a validation or limit error, not a resolver's). */
export const refusedBeforeExecution = (a: GraphqlAnswer): boolean => {
  if (a.status === 0 || Array.isArray(a.body)) return false;
  const r = a.body as GraphqlResult | undefined;
  if (isRefused(a.status, 'document')) return !executed(r);
  return !executed(r) && (r?.errors?.length ?? 0) > 0;
};

export const errorMessages = (body: unknown): string =>
  ((body as GraphqlResult | undefined)?.errors ?? [])
    .map((e) => e.message ?? '')
    .join(' | ')
    .slice(0, 200);

export async function postGraphql(ctx: CheckContext, path: string, body: unknown, token?: string): Promise<GraphqlAnswer> {
  const res = await ctx.http.request({ method: 'POST', path, body, ...(token ? { token } : {}) });
  return { status: res.status, text: res.text, body: res.json(), evidence: res.evidence };
}

/**
 * A document's depth as graphql-depth-limit counts it (the measure most servers' limits use): the
 * operation's top-level fields are at 0, each nested selection one more, so `{ a { b { c } } }` is 2.
 */
export function queryDepth(document: string): number {
  const walk = (set: SelectionSetNode | undefined, depth: number): number => {
    let max = depth - 1;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) max = Math.max(max, sel.selectionSet ? walk(sel.selectionSet, depth + 1) : depth);
      else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, walk(sel.selectionSet, depth));
    }
    return max;
  };
  let deepest = 0;
  for (const d of parse(document).definitions) if (d.kind === Kind.OPERATION_DEFINITION) deepest = Math.max(deepest, walk(d.selectionSet, 0));
  return deepest;
}

/** The profile's deep query with `levels` repetitions, braces closed. */
export function deepQuery(t: { readonly prefix: string; readonly level: string; readonly suffix: string }, levels: number): string {
  const open = `${t.prefix}${t.level.repeat(levels)}${t.suffix}`;
  const unclosed = [...open].reduce((n, c) => n + (c === '{' ? 1 : c === '}' ? -1 : 0), 0);
  return `${open}${' }'.repeat(Math.max(0, unclosed))}`;
}
