import { CrucibleError } from '../errors/crucible-error.ts';
import type { ProxySelector } from '../config/fault-spec.ts';
import type { Mesh } from './fault.ts';

/**
 * The proxy names a selector means, in the order given, without duplicates: a name must exist, a
 * trailing `*` matches every proxy starting with what precedes it (and must match at least one).
 * Anything else is refused with the list of the proxies that exist, before a fault changes anything.
 */
export async function expandProxySelector(selector: ProxySelector | readonly ProxySelector[], env: Mesh): Promise<string[]> {
  const known = [...(await env.proxies())].sort();
  const wanted = typeof selector === 'string' ? [selector] : [...selector];
  const out = new Set<string>();
  const unknown: string[] = [];
  for (const s of wanted) {
    const matches = s.endsWith('*') ? known.filter((k) => k.startsWith(s.slice(0, -1))) : known.filter((k) => k === s);
    if (matches.length === 0) unknown.push(s);
    for (const m of matches) out.add(m);
  }
  if (wanted.length === 0)
    throw new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', 'no proxy named: the selector is empty', { details: [`known proxies: ${known.join(', ')}`] });
  if (unknown.length > 0) {
    throw new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `no proxy ${unknown.map((u) => `'${u}'`).join(', ')} on ${env.toxiproxyUrl}`, {
      details: [`known proxies: ${known.join(', ')}`],
    });
  }
  return [...out];
}
