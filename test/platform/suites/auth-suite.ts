import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeJwt, generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { call, type PlatformFixture } from '../platform-fixture.ts';

const ISSUER = 'https://auth.crucible.local';
const AUDIENCE = 'crucible-api';

export function authSuite(p: () => PlatformFixture): void {
  describe('authentication', () => {
    it('logs in, and the token carries identity, role, issuer, audience and a short expiry', async () => {
      const { accessToken, refreshToken } = await p().login('alice', 'alice-pass-0001');
      const claims = decodeJwt(accessToken);
      assert.equal(claims.name, 'alice');
      assert.equal(claims['role'], 'user');
      assert.equal(claims.iss, ISSUER);
      assert.equal(claims.aud, AUDIENCE);
      assert.ok(claims.exp! - claims.iat! <= 900, 'access token lives at most 15 minutes');
      assert.ok(refreshToken.length >= 32);
      const me = await call(`${p().edge}/api/me`, 'GET', { token: accessToken });
      assert.equal(me.status, 200);
      assert.equal((me.body as { username: string }).username, 'alice');
    });

    it('refuses a wrong password and an unknown user alike', async () => {
      const wrong = await call(`${p().edge}/api/auth/login`, 'POST', { body: { username: 'bob', password: 'nope-nope-nope' } });
      const unknown = await call(`${p().edge}/api/auth/login`, 'POST', { body: { username: `ghost-${randomUUID()}`, password: 'nope-nope-nope' } });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal((wrong.body as { error: string }).error, (unknown.body as { error: string }).error);
    });

    it('rotates refresh tokens: the new pair works, the spent refresh token is refused', async () => {
      const first = await p().login('carol', 'carol-pass-0001');
      const refreshed = await call(`${p().edge}/api/auth/refresh`, 'POST', { body: { refreshToken: first.refreshToken } });
      assert.equal(refreshed.status, 200);
      const pair = refreshed.body as { accessToken: string; refreshToken: string };
      assert.notEqual(pair.refreshToken, first.refreshToken);
      assert.equal((await call(`${p().edge}/api/me`, 'GET', { token: pair.accessToken })).status, 200);
      const reuse = await call(`${p().edge}/api/auth/refresh`, 'POST', { body: { refreshToken: first.refreshToken } });
      assert.equal(reuse.status, 401);
    });

    it('revokes on logout, and every gateway replica refuses the token afterwards', async () => {
      const { accessToken, refreshToken } = await p().login('dave', 'dave-pass-0001');
      for (const g of p().gateways) assert.equal((await call(`${g}/api/me`, 'GET', { token: accessToken })).status, 200, `${g} accepts before logout`);
      const out = await call(`${p().edge}/api/auth/logout`, 'POST', { token: accessToken, body: { refreshToken } });
      assert.equal(out.status, 204);
      for (const g of p().gateways) assert.equal((await call(`${g}/api/me`, 'GET', { token: accessToken })).status, 401, `${g} refuses after logout`);
      assert.equal((await call(`${p().edge}/api/auth/refresh`, 'POST', { body: { refreshToken } })).status, 401, 'refresh token revoked too');
    });

    it('locks an account after five failures, even for the right password, and says when to retry', async () => {
      for (let i = 0; i < 5; i++) {
        const r = await call(`${p().edge}/api/auth/login`, 'POST', { body: { username: 'lockout-1', password: `wrong-${i}-password` } });
        assert.equal(r.status, 401, `failure ${i + 1} is a plain 401`);
      }
      const locked = await call(`${p().edge}/api/auth/login`, 'POST', { body: { username: 'lockout-1', password: 'lockout-pass-0001' } });
      assert.equal(locked.status, 423);
      assert.ok(Number(locked.headers['retry-after']) > 0, 'Retry-After is set');
      const other = await call(`${p().edge}/api/auth/login`, 'POST', { body: { username: 'lockout-2', password: 'lockout-pass-0002' } });
      assert.equal(other.status, 200, 'other accounts are not affected');
    });

    describe('JWT verification', () => {
      const realKey = async (): Promise<{ key: CryptoKey; kid: string }> => {
        const cfg = JSON.parse(readFileSync(join(p().runDir, 'config', 'auth-1.json'), 'utf8')) as { jwt: { privateKeyFile: string; kid: string } };
        return { key: await importPKCS8(readFileSync(cfg.jwt.privateKeyFile, 'utf8'), 'RS256'), kid: cfg.jwt.kid };
      };
      const sign = async (key: CryptoKey, kid: string, claims: { aud?: string; iss?: string; expOffsetSec?: number }): Promise<string> => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ name: 'alice', role: 'admin' })
          .setProtectedHeader({ alg: 'RS256', kid })
          .setSubject('1')
          .setJti(randomUUID())
          .setIssuer(claims.iss ?? ISSUER)
          .setAudience(claims.aud ?? AUDIENCE)
          .setIssuedAt(now - 600)
          .setNotBefore(now - 600)
          .setExpirationTime(now + (claims.expOffsetSec ?? 300))
          .sign(key);
      };

      it('accepts a token the test signs with the platform key (control for the refusals below)', async () => {
        const { key, kid } = await realKey();
        const r = await call(`${p().edge}/api/me`, 'GET', { token: await sign(key, kid, {}) });
        assert.equal(r.status, 200);
      });

      it('refuses a token signed by another key with the same kid', async () => {
        const { kid } = await realKey();
        const { privateKey } = await generateKeyPair('RS256');
        const r = await call(`${p().edge}/api/me`, 'GET', { token: await sign(privateKey, kid, {}) });
        assert.equal(r.status, 401);
      });

      it('refuses an expired token', async () => {
        const { key, kid } = await realKey();
        const r = await call(`${p().edge}/api/me`, 'GET', { token: await sign(key, kid, { expOffsetSec: -120 }) });
        assert.equal(r.status, 401);
      });

      it('refuses a token for another audience or issuer', async () => {
        const { key, kid } = await realKey();
        assert.equal((await call(`${p().edge}/api/me`, 'GET', { token: await sign(key, kid, { aud: 'some-other-api' }) })).status, 401);
        assert.equal((await call(`${p().edge}/api/me`, 'GET', { token: await sign(key, kid, { iss: 'https://evil.example' }) })).status, 401);
      });

      it('refuses alg none', async () => {
        const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        const token = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: '1', name: 'alice', role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now + 300, iat: now })}.`;
        assert.equal((await call(`${p().edge}/api/me`, 'GET', { token })).status, 401);
      });
    });
  });
}
