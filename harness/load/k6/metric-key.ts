import type { TagFilter } from '../engine-types.ts';

/** A metric key as k6 writes it: `http_req_duration` or the sub-metric `http_req_duration{name:login}`. */
export interface MetricKey {
  readonly name: string;
  /** Empty for a plain metric. */
  readonly tags: TagFilter;
}

const unquote = (s: string): string => s.trim().replace(/^["']|["']$/g, '');

/**
 * Splits a key the way k6 parses a sub-metric (metrics.Metric.AddSubmetric): `name{k:v,k2:v2}`,
 * spaces around keys and values trimmed, surrounding quotes dropped. Values may contain ':'.
 */
export function parseMetricKey(key: string): MetricKey {
  const open = key.indexOf('{');
  if (open < 0 || !key.trimEnd().endsWith('}')) return { name: key.trim(), tags: {} };
  const tags: Record<string, string> = {};
  const body = key.trim().slice(open + 1, -1);
  for (const part of body.split(',')) {
    if (!part.trim()) continue;
    const colon = part.indexOf(':');
    if (colon < 0) tags[unquote(part)] = '';
    else tags[unquote(part.slice(0, colon))] = unquote(part.slice(colon + 1));
  }
  return { name: key.slice(0, open).trim(), tags };
}

/** One spelling per metric and tag set (tags sorted), so lookups do not depend on how a threshold was written. */
export function canonicalMetricKey(name: string, tags: TagFilter = {}): string {
  const entries = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`;
}

export function canonicalize(key: string): string {
  const { name, tags } = parseMetricKey(key);
  return canonicalMetricKey(name, tags);
}
