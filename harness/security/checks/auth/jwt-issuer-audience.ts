import { randomUUID } from 'node:crypto';
import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { changeClaims } from './forge-jwt.ts';
import { targetSigner } from './target-signer.ts';
import { TokenOracle } from './token-oracle.ts';

export const jwtIssuerAudience = defineCheck({
  id: 'SEC-JWT-09',
  title: 'Token for another audience or from another issuer accepted',
  owasp: 'API2',
  cwe: [287],
  cvss: AUTH_CVSS.misusedToken,
  attackClass: 'authentication',
  provenBy: ['jwt-ignore-audience'],
  description:
    "A token the target's issuer made for another service, or another issuer's token, is validly signed; forging " +
    "one from outside needs a defence that is another check's (alg none, key confusion), so the check signs with the " +
    "target's own key, given by the profile's auth.signingKeyFile (white-box), with the alg and kid of userA's real " +
    "token and userA's claims: unchanged (the control: the protected probe must accept it), then with aud set to " +
    'another audience, aud removed, iss set to another issuer, and iss removed (auth.jwt says which are right), each ' +
    'with a new jti. Passes when the four are refused (4xx, not 429); fails when any is answered 2xx.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe', want: 'auth.jwt', keyFile: 'auth.signingKeyFile' }),
  async run(ctx, { probe, want, keyFile }) {
    const signer = await targetSigner(ctx, keyFile);
    const claims = changeClaims(signer.real.claims, { iss: want.issuer, aud: want.audience });
    const jti = (): Record<string, unknown> => ('jti' in claims ? { jti: randomUUID() } : {});
    const otherAudience = `${want.audience}-other-service`;
    const otherIssuer = 'https://issuer.crucible-attacker.invalid';
    return new TokenOracle(ctx, probe).judgeTokens(
      await signer.sign(changeClaims(claims, jti())),
      [
        { label: `aud=${otherAudience}, signed with the target's key`, token: await signer.sign(changeClaims(claims, { aud: otherAudience, ...jti() })) },
        { label: "no aud, signed with the target's key", token: await signer.sign(changeClaims(claims, { aud: undefined, ...jti() })) },
        { label: `iss=${otherIssuer}, signed with the target's key`, token: await signer.sign(changeClaims(claims, { iss: otherIssuer, ...jti() })) },
        { label: "no iss, signed with the target's key", token: await signer.sign(changeClaims(claims, { iss: undefined, ...jti() })) },
      ],
      {
        controlWhat: `userA's claims (iss ${want.issuer}, aud ${want.audience}) signed by the check with auth.signingKeyFile (if refused, that key or auth.jwt is not the target's)`,
      },
    );
  },
});
