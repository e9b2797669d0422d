import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Resolves a host name to every address it has (dns.lookup with all: true); injectable for tests. */
export type Resolve = (host: string) => Promise<readonly { address: string; family: number }[]>;

export const resolveAll: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

export type UrlVerdict =
  { readonly allowed: true; readonly url: URL; readonly address: string; readonly family: 4 | 6 } | { readonly allowed: false; readonly reason: string };

/**
 * Addresses a webhook may never reach: this host, private networks, link-local (169.254.0.0/16,
 * where cloud metadata answers), carrier-grade NAT (100.100.100.200 is a metadata address too),
 * multicast and reserved ranges, and their IPv6 counterparts.
 */
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  // ::/96 holds ::, ::1 and the old IPv4-compatible form.
  ['::', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  FORBIDDEN.addSubnet(net, prefix, 'ipv6');

/** Names that only mean something inside a network (or are metadata services by name). */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home|lan|corp|intranet)$|^metadata$/i;

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

export function isForbiddenAddress(address: string): boolean {
  const mapped = IPV4_MAPPED.exec(address);
  if (mapped) return FORBIDDEN.check(mapped[1] as string, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether the gateway may call `raw`: an https URL without credentials whose host (every address
 * it resolves to) is public. The caller connects to the returned address, not the name again, so
 * a DNS answer that changes between this check and the connection (rebinding) cannot redirect it.
 */
export async function checkWebhookUrl(raw: string, resolve: Resolve = resolveAll): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'not_a_url' };
  }
  if (url.protocol !== 'https:') return { allowed: false, reason: 'scheme_not_https' };
  if (url.username || url.password) return { allowed: false, reason: 'credentials_in_url' };
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (INTERNAL_NAME.test(host)) return { allowed: false, reason: 'internal_host_name' };
  let addresses: readonly { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { allowed: false, reason: 'unresolvable_host' };
    }
  }
  const first = addresses[0];
  if (!first) return { allowed: false, reason: 'unresolvable_host' };
  if (addresses.some((a) => isForbiddenAddress(a.address))) return { allowed: false, reason: 'forbidden_address' };
  return { allowed: true, url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
