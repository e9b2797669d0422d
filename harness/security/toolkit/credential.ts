import type { CredentialPlacement, TargetProfile } from '../target-profile.ts';

/** What a profile without `auth.credential` means: `Authorization: Bearer <token>`. */
export const BEARER: CredentialPlacement = { in: 'header', name: 'authorization', scheme: 'Bearer' };

export const credentialPlacement = (profile: TargetProfile): CredentialPlacement => profile.auth.credential ?? BEARER;

/** 'the Authorization header', 'the cookie session', 'the query parameter api_key': how summaries name where a credential goes. */
export function placementName(p: CredentialPlacement): string {
  return p.in === 'header' ? `the ${p.name} header` : p.in === 'cookie' ? `the cookie ${p.name}` : `the query parameter ${p.name}`;
}

/**
 * A request's headers and URL with a credential value put where the placement says. A cookie is
 * added to any Cookie header already there; a query parameter replaces one of the same name.
 */
export function placeCredential(
  p: CredentialPlacement,
  value: string,
  req: { readonly url: string; readonly headers: Readonly<Record<string, string>> },
): { readonly url: string; readonly headers: Record<string, string> } {
  const headers = { ...req.headers };
  switch (p.in) {
    case 'header':
      headers[p.name.toLowerCase()] = p.scheme !== undefined ? `${p.scheme} ${value}` : value;
      return { url: req.url, headers };
    case 'cookie': {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie') ?? 'cookie';
      const before = headers[key];
      headers[key] = before ? `${before}; ${p.name}=${value}` : `${p.name}=${value}`;
      return { url: req.url, headers };
    }
    case 'query': {
      const url = new URL(req.url);
      url.searchParams.set(p.name, value);
      return { url: url.toString(), headers };
    }
    default:
      return p.in satisfies never;
  }
}

/** The value of the cookie `name` among an answer's Set-Cookie headers (the last one set wins), if any. */
export function cookieSet(setCookie: string | readonly string[] | undefined, name: string): string | undefined {
  let found: string | undefined;
  for (const line of typeof setCookie === 'string' ? [setCookie] : (setCookie ?? [])) {
    const pair = line.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) found = pair.slice(eq + 1).trim();
  }
  return found === '' ? undefined : found;
}
