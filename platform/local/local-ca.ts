// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { Identity } from '../mesh/policy.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface IssuedIdentity {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface LocalCa {
  readonly caFile: string;
  readonly identities: Readonly<Record<Identity, IssuedIdentity>>;
}

const toPem = (der: ArrayBuffer, label: string): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

async function writeKey(file: string, key: CryptoKey): Promise<void> {
  await writeFile(file, toPem(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY'), { mode: 0o600 });
}

/**
 * A throwaway CA made at every `up`, and one certificate per mesh identity (CN and DNS SAN = the
 * identity, IP SAN 127.0.0.1, usable as server and client certificate). ECDSA P-256 keeps it fast:
 * the whole set takes a few milliseconds, so nothing is cached between runs.
 */
export async function createLocalCa(dir: string, identities: readonly Identity[], validDays = 7): Promise<LocalCa> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + validDays * DAY_MS);
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=crucible local CA, O=crucible',
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, ca.toString('pem') + '\n');

  const issued = {} as Record<Identity, IssuedIdentity>;
  for (const id of identities) {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      subject: `CN=${id}, O=crucible`,
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: id },
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    const certFile = join(dir, `${id}.pem`);
    const keyFile = join(dir, `${id}-key.pem`);
    await writeFile(certFile, cert.toString('pem') + '\n');
    await writeKey(keyFile, keys.privateKey);
    issued[id] = { certFile, keyFile };
  }
  return { caFile, identities: issued };
}
