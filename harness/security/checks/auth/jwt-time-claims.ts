import { randomUUID } from 'node:crypto';
import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { changeClaims } from './forge-jwt.ts';
import { targetSigner } from './target-signer.ts';
import { TokenOracle } from './token-oracle.ts';

/** Well past any clock leeway a verifier may allow (RFC 7519: "usually no more than a few minutes"). */
const PAST_LEEWAY_SEC = 600;

export const jwtTimeClaims = defineCheck({
  id: 'SEC-JWT-08',
  title: 'Expired, not-yet-valid or never-expiring token accepted',
  owasp: 'API2',
  cwe: [613],
  cvss: AUTH_CVSS.staleToken,
  attackClass: 'authentication',
  provenBy: ['jwt-ignore-time'],
  description:
    'Only a validly signed token can show whether exp and nbf are checked, and from outside the only such token is ' +
    'a real one left to expire (minutes, and never one with nbf ahead or no exp). So the check signs with the ' +
    "target's own key, given by the profile's auth.signingKeyFile (white-box: the operator's test key), with the " +
    "alg and kid of userA's real token and userA's claims: unchanged (the control: the protected probe must accept " +
    `it), then expired ${PAST_LEEWAY_SEC} s ago, not valid for another ${PAST_LEEWAY_SEC} s (nbf), and without exp, ` +
    'each with a new jti. Passes when the three are refused (4xx, not 429); fails when any is answered 2xx.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe', keyFile: 'auth.signingKeyFile' }),
  async run(ctx, { probe, keyFile }) {
    const signer = await targetSigner(ctx, keyFile);
    const now = Math.floor(Date.now() / 1000);
    const claims = signer.real.claims;
    const jti = (): Record<string, unknown> => ('jti' in claims ? { jti: randomUUID() } : {});
    const hasNbf = 'nbf' in claims;
    const expired = { iat: now - 2 * PAST_LEEWAY_SEC, exp: now - PAST_LEEWAY_SEC, ...(hasNbf ? { nbf: now - 2 * PAST_LEEWAY_SEC } : {}), ...jti() };
    const early = { iat: now, nbf: now + PAST_LEEWAY_SEC, exp: now + 2 * PAST_LEEWAY_SEC, ...jti() };
    return new TokenOracle(ctx, probe).judgeTokens(
      await signer.sign(changeClaims(claims, jti())),
      [
        { label: `userA's claims signed with the target's key, expired ${PAST_LEEWAY_SEC} s ago`, token: await signer.sign(changeClaims(claims, expired)) },
        { label: `userA's claims signed with the target's key, nbf ${PAST_LEEWAY_SEC} s ahead`, token: await signer.sign(changeClaims(claims, early)) },
        { label: "userA's claims signed with the target's key, without exp", token: await signer.sign(changeClaims(claims, { exp: undefined, ...jti() })) },
      ],
      { controlWhat: "userA's claims signed by the check with auth.signingKeyFile (if refused, that key is not the target's)" },
    );
  },
});
