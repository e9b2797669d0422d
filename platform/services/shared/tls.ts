import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { Agent } from 'undici';
import type { TlsIdentity } from './service-config.ts';

export interface TlsMaterial {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export function readTlsMaterial(tls: TlsIdentity): TlsMaterial {
  return { ca: readFileSync(tls.caFile, 'utf8'), cert: readFileSync(tls.certFile, 'utf8'), key: readFileSync(tls.keyFile, 'utf8') };
}

/** Options for fastify's `https`: mutual TLS, a peer without a certificate from our CA is refused in the handshake. */
export function mutualTlsServerOptions(m: TlsMaterial): {
  ca: string;
  cert: string;
  key: string;
  requestCert: true;
  rejectUnauthorized: true;
  minVersion: 'TLSv1.2';
} {
  return { ca: m.ca, cert: m.cert, key: m.key, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' };
}

/**
 * An undici dispatcher that presents this instance's certificate and checks the upstream's
 * certificate against the CA and the expected service name (the address is a mesh proxy port on
 * 127.0.0.1, so the name, not the address, identifies the peer).
 */
export function mutualTlsAgent(m: TlsMaterial, servername: string, opts: { connections?: number; keepAliveTimeoutMs?: number } = {}): Agent {
  return new Agent({
    connect: { ca: m.ca, cert: m.cert, key: m.key, servername, rejectUnauthorized: true },
    connections: opts.connections ?? 64,
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? 10_000,
  });
}

/** The CN of the verified client certificate on this connection, or undefined. */
export function peerIdentity(socket: unknown): string | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (!tls.authorized || typeof tls.getPeerCertificate !== 'function') return undefined;
  const cn = tls.getPeerCertificate().subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}
