import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthServiceConfig } from '../shared/service-config.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { Role } from './user-store.ts';

export interface TokenSubject {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly jti: string;
  /** Seconds until expiry, as returned to the client in `expiresIn`. */
  readonly expiresIn: number;
}

export interface TokenIssuer {
  issueAccessToken(subject: TokenSubject): Promise<IssuedAccessToken>;
}

/** RS256 access tokens; the jti lets one token be revoked (logout) without touching the others. */
export function createTokenIssuer(jwt: AuthServiceConfig['jwt'], keys: SigningKeys): TokenIssuer {
  return {
    async issueAccessToken(subject) {
      const now = Math.floor(Date.now() / 1000);
      const jti = randomUUID();
      const token = await new SignJWT({ name: subject.username, role: subject.role })
        .setProtectedHeader({ alg: 'RS256', kid: keys.kid, typ: 'JWT' })
        .setSubject(subject.userId)
        .setJti(jti)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + jwt.accessTokenTtlSec)
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .sign(keys.privateKey);
      return { token, jti, expiresIn: jwt.accessTokenTtlSec };
    },
  };
}
