import type { TargetProfile } from '../../target-profile.ts';

/**
 * Profile fields the auth checks read, with what each is for (the not-applicable sentence names
 * the field and says why it matters, so whoever writes a profile knows what to add).
 */
const WHY = {
  protectedProbe: 'a route that answers 200 with a token and 401 without, the oracle of the token checks',
  'auth.jwksPath': 'the path of the published public keys',
  'auth.jwt': 'the issuer and audience a token must carry',
  'auth.logout': 'the request that revokes the token it is sent with',
  'auth.lockoutVictim': 'an account the check may lock out',
  'auth.maxLoginAttempts': 'the failed logins after which an account must be locked',
  'auth.signingKeyFile': "the target's own token signing key (PKCS#8 PEM file): only a validly signed token can show whether its claims are checked",
  graphql: 'the GraphQL endpoint',
  'graphql.loginMutation': 'a GraphQL login mutation with variables $u and $p',
} as const;

export type ProfileNeed = keyof typeof WHY;

function valueAt(profile: TargetProfile, path: string): unknown {
  let v: unknown = profile;
  for (const key of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** The not-applicable reason for a check needing `needs`, or undefined when the profile has them all. */
export function profileNeeds(profile: TargetProfile, needs: readonly ProfileNeed[]): string | undefined {
  const missing = needs.filter((n) => valueAt(profile, n) === undefined);
  if (missing.length === 0) return undefined;
  return `the profile has no ${missing.map((m) => `${m} (${WHY[m]})`).join(', and no ')}`;
}

/**
 * `auth.signingKeyFile`, which TargetProfile does not declare yet: the claim checks (JWT-08, JWT-09)
 * need tokens signed with the target's key, and nobody outside the operator can make those.
 */
export function signingKeyFileOf(profile: TargetProfile): string | undefined {
  return profile.auth.signingKeyFile;
}
