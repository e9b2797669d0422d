import type { SecurityCheck } from '../../security-check.ts';
import { garbageToken } from './garbage-token.ts';
import { graphqlBatchBruteForce } from './graphql-batch-brute-force.ts';
import { jwtAlgNone } from './jwt-alg-none.ts';
import { jwtEmbeddedJwk } from './jwt-embedded-jwk.ts';
import { jwtIssuerAudience } from './jwt-issuer-audience.ts';
import { jwtJkuSpoof } from './jwt-jku-spoof.ts';
import { jwtKeyConfusion } from './jwt-key-confusion.ts';
import { jwtKidInjection } from './jwt-kid-injection.ts';
import { jwtRevokedToken } from './jwt-revoked-token.ts';
import { jwtStrippedSignature } from './jwt-stripped-signature.ts';
import { jwtTamperedClaims } from './jwt-tampered-claims.ts';
import { jwtTimeClaims } from './jwt-time-claims.ts';
import { jwtWeakSecret } from './jwt-weak-secret.ts';
import { loginBruteForce } from './login-brute-force.ts';
import { loginNosqlInjection } from './login-nosql-injection.ts';
import { missingCredential } from './missing-credential.ts';

/**
 * The auth checks, in the order they run: token checks first (each logs in afresh), then the login
 * checks. The brute-force ones come last, the per-IP burst of SEC-AUTH-03 at the very end: they lock
 * the lockout victim and spend the client's login budget for a minute.
 */
export const authChecks: readonly SecurityCheck[] = [
  missingCredential,
  garbageToken,
  // Before the checks whose forged tokens any target that verifies no signature accepts (their consequenceOf).
  jwtStrippedSignature,
  jwtAlgNone,
  jwtTamperedClaims,
  jwtKeyConfusion,
  jwtEmbeddedJwk,
  jwtJkuSpoof,
  jwtKidInjection,
  jwtTimeClaims,
  jwtIssuerAudience,
  jwtWeakSecret,
  jwtRevokedToken,
  loginNosqlInjection,
  graphqlBatchBruteForce,
  loginBruteForce,
];
