import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { mutualTlsServerOptions, peerIdentity, type TlsMaterial } from '../../../platform/services/shared/tls.ts';

export const ISSUER = 'https://auth.crucible.local';
export const AUDIENCE = 'crucible-api';

export interface TokenOptions {
  readonly sub: string;
  readonly role?: 'user' | 'admin';
  readonly jti?: string;
  /** Seconds from now (negative: already expired). */
  readonly expiresInSec?: number;
  readonly audience?: string;
  readonly issuer?: string;
  /** Seconds from now before which the token is not valid (nbf); none when absent. */
  readonly notBeforeInSec?: number;
  /** Sign with this key instead of the published one (a forgery). */
  readonly key?: CryptoKey;
  readonly kid?: string;
}

export interface StandInAuth {
  readonly kid: string;
  /** How many times the JWKS was fetched. */
  jwksFetches: number;
  /** Every login that reached auth, with the body exactly as received. */
  readonly logins: { forwardedFor: string | undefined; username: unknown; body: unknown }[];
  readonly callers: Set<string | undefined>;
  sign(opts: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * auth as the gateway sees it: mutual TLS, a JWKS from a key pair made here, login and logout.
 * Any string username logs in unless the password starts with "wrong"; anything else is a 401.
 */
export async function startStandInAuth(port: number, tls: TlsMaterial): Promise<StandInAuth> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key-1';
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const app = Fastify({ https: mutualTlsServerOptions(tls) });
  const state: StandInAuth = {
    kid,
    jwksFetches: 0,
    logins: [],
    callers: new Set(),
    sign: (o) => {
      const jwt = new SignJWT({ name: o.sub, role: o.role ?? 'user' })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid })
        .setIssuer(o.issuer ?? ISSUER)
        .setAudience(o.audience ?? AUDIENCE)
        .setSubject(o.sub)
        .setJti(o.jti ?? randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (o.expiresInSec ?? 300));
      if (o.notBeforeInSec !== undefined) jwt.setNotBefore(Math.floor(Date.now() / 1000) + o.notBeforeInSec);
      return jwt.sign(o.key ?? privateKey);
    },
    close: () => app.close(),
  };

  app.addHook('onRequest', async (request) => void state.callers.add(peerIdentity(request.raw.socket)));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/.well-known/jwks.json', async () => {
    state.jwksFetches += 1;
    return { keys: [jwk] };
  });
  app.post<{ Body: { username: unknown; password: unknown } }>('/login', async (request, reply) => {
    const forwardedFor = request.headers['x-forwarded-for'];
    const { username, password } = request.body;
    state.logins.push({ forwardedFor: typeof forwardedFor === 'string' ? forwardedFor : undefined, username, body: request.body });
    if (typeof username !== 'string' || typeof password !== 'string' || password.startsWith('wrong')) {
      return reply.code(401).send({ error: 'invalid_credentials', message: 'invalid username or password' });
    }
    return { accessToken: await state.sign({ sub: username }), refreshToken: randomUUID(), tokenType: 'Bearer', expiresIn: 300 };
  });
  app.post('/logout', async (_request, reply) => reply.code(204).send());
  // Real auth serves this only under the excessive-exposure switch; the stand-in always does.
  app.get<{ Params: { id: string } }>('/users/:id', async (request) => ({
    id: request.params.id,
    username: request.params.id,
    role: 'user',
    passwordHash: `scrypt$16384$8$1$salt$hash-of-${request.params.id}`,
    createdAt: '2026-01-01T00:00:00.000Z',
  }));
  await app.listen({ host: '127.0.0.1', port });
  return state;
}
