import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { exportJWK, type JWK } from 'jose';

export interface SigningKeys {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public half as published in the JWKS. */
  readonly publicJwk: JWK;
}

/** Reads the RS256 signing key (PKCS#8 PEM); the public JWK is derived from it, so the two cannot drift. */
export async function loadSigningKeys(privateKeyFile: string, kid: string): Promise<SigningKeys> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: await readFile(privateKeyFile, 'utf8'), format: 'pem' });
  } catch (err) {
    throw new Error(`jwt.privateKeyFile ${privateKeyFile}: cannot read a PEM private key (${(err as Error).message})`, { cause: err });
  }
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw new Error(`jwt.privateKeyFile ${privateKeyFile}: RS256 needs an RSA key, got ${privateKey.asymmetricKeyType}`);
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new Error(`jwt.privateKeyFile ${privateKeyFile}: RSA key of ${bits} bits; RS256 needs at least 2048`);
  const publicKey = createPublicKey(privateKey);
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, publicJwk };
}
