import { readFile } from 'node:fs/promises';
import { importPKCS8 } from 'jose';
import type { CheckContext } from '../../security-check.ts';
import { forgeJwt, readJwt, type JwtClaims, type ReadJwt } from './forge-jwt.ts';

export interface TargetSigner {
  /** userA's real token, taken apart: its claims are the starting point of every variant. */
  readonly real: ReadJwt;
  /** Signs claims as the target does (its alg, kid and key). */
  sign(claims: JwtClaims): Promise<string>;
}

/**
 * Signs like the target, with the key in auth.signingKeyFile: the claim checks need tokens whose
 * only fault is a claim, and only the holder of the key can make those.
 */
export async function targetSigner(ctx: CheckContext, file: string): Promise<TargetSigner> {
  const real = readJwt((await ctx.login('userA')).token);
  const alg = typeof real.header['alg'] === 'string' ? real.header['alg'] : 'RS256';
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`auth.signingKeyFile ${file} cannot be read (${(err as Error).message})`, { cause: err });
  }
  const key = await importPKCS8(pem, alg);
  const header = { alg, typ: 'JWT', ...(real.header['kid'] !== undefined ? { kid: real.header['kid'] } : {}) };
  return { real, sign: (claims) => forgeJwt(header, claims, { kind: 'key', key }) };
}
