import type { Applicability } from '../../security-check.ts';
import type { TargetProfile } from '../../target-profile.ts';
import { profileNeeds, type NeedsOf } from '../../toolkit/index.ts';

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

export type AuthNeed = keyof typeof WHY;

/** The fields an auth check needs (toolkit's profileNeeds), the not-applicable reason saying what each is for. */
export function authNeeds<const W extends Readonly<Record<string, AuthNeed>>>(profile: TargetProfile, wanted: W): Applicability<NeedsOf<W>> {
  return profileNeeds(profile, wanted, (missing) => `the profile has no ${missing.map((m) => `${m} (${WHY[m]})`).join(', and no ')}`);
}
