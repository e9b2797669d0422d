import { jwtVerify } from 'jose';
import type { AuthServiceConfig } from '../shared/service-config.ts';
import type { SigningKeys } from './signing-keys.ts';

export interface VerifiedAccessToken {
  readonly sub: string;
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly exp: number;
  /** The username, for logs; absent in a token from elsewhere. */
  readonly name: string | undefined;
}

export type AccessTokenVerifier = (token: string) => Promise<VerifiedAccessToken>;

/** Checks signature, algorithm, issuer, audience and lifetime; throws (with jose's reason) otherwise. */
export function createAccessTokenVerifier(jwt: AuthServiceConfig['jwt'], keys: SigningKeys): AccessTokenVerifier {
  return async (token) => {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      issuer: jwt.issuer,
      audience: jwt.audience,
      algorithms: ['RS256'],
      requiredClaims: ['sub', 'jti', 'exp'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') throw new Error('token lacks sub, jti or exp');
    return { sub: payload.sub, jti: payload.jti, exp: payload.exp, name: typeof payload['name'] === 'string' ? payload['name'] : undefined };
  };
}
