import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { createLocalCa } from '../../../platform/local/local-ca.ts';
import type { Identity } from '../../../platform/mesh/policy.ts';

/** Where the service containers see the platform's files (mounted read-only). */
export const CONTAINER_ETC = '/etc/crucible';

export interface PlatformSecrets {
  readonly redisPassword: string;
  readonly postgresSuperPassword: string;
  readonly postgresAppPassword: string;
}

export interface ContainerTls {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** The platform's files on this machine (`hostDir`) and their paths inside the containers. */
export interface PlatformFiles {
  readonly hostDir: string;
  readonly secrets: PlatformSecrets;
  /** In-container paths of each identity's certificate and key, and of the CA. */
  readonly tls: Readonly<Record<Identity, ContainerTls>>;
  /** In-container path of the auth service's JWT signing key (`hostKeyFile` on this machine), and its key ID. */
  readonly jwt: { readonly keyFile: string; readonly hostKeyFile: string; readonly kid: string };
  /** Host path of the harness's identity, for calls the harness makes to auth and catalog. */
  readonly harnessTls: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
}

const secret = (): string => randomBytes(18).toString('base64url');

/**
 * New secrets, a new CA with a certificate per identity and a JWT signing key, in `dir` (mounted
 * read-only into the service containers at CONTAINER_ETC). The files are world-readable so the
 * images' non-root users can read them: `dir` must sit in a folder only this user can enter.
 */
export async function makePlatformFiles(dir: string): Promise<PlatformFiles> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const secrets: PlatformSecrets = { redisPassword: secret(), postgresSuperPassword: secret(), postgresAppPassword: secret() };
  const identities: Identity[] = ['gateway', 'auth', 'catalog', 'prometheus', 'harness'];
  const ca = await createLocalCa(dir, identities);
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwtFile = join(dir, 'jwt-signing-key.pem');
  await writeFile(jwtFile, await exportPKCS8(privateKey));
  const inContainer = (hostFile: string): string => `${CONTAINER_ETC}/${basename(hostFile)}`;
  const tls = {} as Record<Identity, ContainerTls>;
  for (const id of identities) {
    const issued = ca.identities[id];
    await chmod(issued.keyFile, 0o644);
    tls[id] = { caFile: inContainer(ca.caFile), certFile: inContainer(issued.certFile), keyFile: inContainer(issued.keyFile) };
  }
  await chmod(jwtFile, 0o644);
  return {
    hostDir: dir,
    secrets,
    tls,
    jwt: { keyFile: inContainer(jwtFile), hostKeyFile: jwtFile, kid: `crucible-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}` },
    harnessTls: { caFile: ca.caFile, certFile: ca.identities.harness.certFile, keyFile: ca.identities.harness.keyFile },
  };
}
