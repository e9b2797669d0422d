import type { AuthServices } from './auth-services.ts';
import { guard } from './dependency-unavailable.ts';
import type { TokenSubject } from './token-issuer.ts';

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}

/** Response schema: serialization emits exactly these fields, nothing that slipped into the object. */
export const TOKEN_PAIR_SCHEMA = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'tokenType', 'expiresIn'],
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    tokenType: { type: 'string' },
    expiresIn: { type: 'integer' },
  },
} as const;

export async function issueTokenPair(services: AuthServices, subject: TokenSubject): Promise<TokenPair & { jti: string }> {
  const access = await services.issuer.issueAccessToken(subject);
  const refreshToken = await guard('redis', () => services.refreshTokens.issue(subject));
  return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn, jti: access.jti };
}
