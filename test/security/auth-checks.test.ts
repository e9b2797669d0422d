// The auth checks against the reference platform: all pass when it is hardened, and each fails
// against the vulnerable switch that proves it. Plus, without a platform: what a profile lacks is
// named, an unreachable target is an error, and a target that accepts anything fails every check.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, exportPKCS8, generateKeyPair, SignJWT } from 'jose';
import { authChecks } from '../../harness/security/checks/auth/index.ts';
import { runChecks } from '../../harness/security/run-checks.ts';
import type { TargetProfile } from '../../harness/security/target-profile.ts';
import type { SecurityCheckRecord } from '../../harness/result/summary-model.ts';
import type { VulnerableSwitch } from '../../platform/services/shared/vulnerable-switches.ts';
import { bareProfile } from './unreachable-profile.ts';
import { startPlatform, type PlatformUnderTest } from './start-platform.ts';

/** The reference profile (it carries the signing key the claim checks need). */
function profileOf(p: PlatformUnderTest): TargetProfile {
  return p.profile;
}

const byId = (records: readonly SecurityCheckRecord[]): Map<string, SecurityCheckRecord> => new Map(records.map((r) => [r.id, r]));

function table(title: string, records: readonly SecurityCheckRecord[]): void {
  console.log(`# ${title}`);
  for (const r of records) console.log(`#   ${r.id.padEnd(12)} ${r.verdict.padEnd(14)} ${String(r.endedMs - r.startedMs).padStart(6)} ms  ${r.summary}`);
}

const LOGIN_CHECKS = new Set(['SEC-AUTH-03', 'SEC-AUTH-05']);

/**
 * Switches started together: no switch of a group lets in the tokens another check of the group
 * sends (each check's tokens have one fault only), so each failure is its own switch's doing; the
 * checks nobody in the group proves must still pass, which shows it. jwt-skip-signature lets in any
 * token with good claims, so it runs alone.
 */
const GROUPS: readonly (readonly VulnerableSwitch[])[] = [
  ['jwt-alg-none', 'jwt-ignore-time', 'nosql-injection', 'no-login-throttle'],
  ['jwt-key-confusion', 'jwt-ignore-audience', 'jwt-ignore-revocation'],
  ['jwt-embedded-jwk', 'jwt-weak-secret', 'anonymous-access'],
  ['jwt-follow-jku', 'jwt-kid-path'],
  ['jwt-skip-signature'],
];

/**
 * What jwt-skip-signature would also let in: every forged token whose claims are good. SEC-JWT-02
 * finds that root cause, so these checks are not tested (one root cause, one finding), each naming it.
 */
const SKIP_SIGNATURE_CONSEQUENCES = new Set(['SEC-JWT-01', 'SEC-JWT-04', 'SEC-JWT-05', 'SEC-JWT-06', 'SEC-JWT-07', 'SEC-JWT-10']);
const NOT_TESTED = /^not tested: signatures are not verified at all \(see SEC-JWT-02\)/;

describe('auth checks against the reference platform', { timeout: 600_000 }, () => {
  it('all pass against the hardened platform (production mode)', async () => {
    await using platform = await startPlatform([]);
    const records = await runChecks(authChecks, { profile: profileOf(platform) });
    table('hardened', records);
    assert.equal(records.length, authChecks.length);
    for (const r of records) assert.equal(r.verdict, 'pass', `${r.id} ${r.title}: ${r.verdict}: ${r.summary}`);
  });

  for (const group of GROUPS) {
    it(`fail against ${group.join(' + ')}, each with its own switch`, async () => {
      const proven = authChecks.filter((c) => c.provenBy.some((s) => group.includes(s)));
      assert.ok(proven.length > 0, 'some check is proven by this group');
      // Brute force against a platform that locks and throttles only spends time (and the login budget): run it where it is proven.
      const checks = authChecks.filter((c) => !LOGIN_CHECKS.has(c.id) || proven.includes(c));
      await using platform = await startPlatform(group);
      const records = byId(await runChecks(checks, { profile: profileOf(platform) }));
      table(group.join(' + '), [...records.values()]);
      for (const c of checks) {
        const r = records.get(c.id) as SecurityCheckRecord;
        const own = proven.includes(c);
        if (group.includes('jwt-skip-signature') && SKIP_SIGNATURE_CONSEQUENCES.has(c.id)) {
          assert.equal(r.verdict, 'not-applicable', `${c.id} is a consequence of SEC-JWT-02 against ${group.join(', ')}: ${r.verdict}: ${r.summary}`);
          assert.match(r.summary, NOT_TESTED, c.id);
        } else if (own) {
          assert.equal(r.verdict, 'fail', `${c.id} must fail against ${group.join(', ')}: ${r.verdict}: ${r.summary}`);
          assert.ok(r.evidence.length > 0, `${c.id} fails with evidence`);
        } else {
          assert.equal(r.verdict, 'pass', `${c.id} is not proven by ${group.join(', ')} and must pass: ${r.verdict}: ${r.summary}`);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Without a platform

/** A full profile (every field an auth check reads) for a target at baseUrl. */
function fullProfile(baseUrl: string, signingKeyFile: string): TargetProfile {
  const auth = {
    login: { path: '/api/auth/login' },
    logout: { method: 'POST' as const, path: '/api/auth/logout', body: {} },
    jwksPath: '/.well-known/jwks.json',
    jwt: { issuer: 'https://issuer.test', audience: 'api.test' },
    users: {
      userA: { username: 'alice', password: 'a-pass' },
      userB: { username: 'bob', password: 'b-pass' },
      admin: { username: 'admin', password: 'c-pass' },
    },
    lockoutVictim: { username: 'victim', password: 'v-pass' },
    maxLoginAttempts: 3,
    signingKeyFile,
  };
  return {
    name: 'unit',
    baseUrl,
    auth,
    protectedProbe: { method: 'GET', path: '/api/me' },
    graphql: { path: '/graphql', loginMutation: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }' },
    rateLimits: { loginPerIp: 5 },
  };
}

const keyDir = mkdtempSync(join(tmpdir(), 'crucible-auth-checks-'));
after(() => rmSync(keyDir, { recursive: true, force: true }));

async function signingKeyFile(): Promise<{ file: string; privateKey: CryptoKey; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const file = join(keyDir, `signing-${Date.now()}-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, await exportPKCS8(privateKey), { mode: 0o600 });
  return { file, privateKey, publicKey };
}

/** What the stub's protected route answers for a bearer token (undefined: none sent). */
type MeHandler = (token: string | undefined, issued: string) => Promise<number>;

/** A loopback target: any login gets a token, /api/me answers what `me` says, anything else is served. */
async function stubTarget(
  key: { privateKey: CryptoKey; publicKey: CryptoKey },
  me: MeHandler,
  login?: (body: Record<string, unknown>) => number,
): Promise<{ url: string; close(): Promise<void> }> {
  const token = await new SignJWT({ name: 'alice', role: 'user' })
    .setProtectedHeader({ alg: 'RS256', kid: 'stub' })
    .setSubject('1')
    .setJti('j1')
    .setIssuer('https://issuer.test')
    .setAudience('api.test')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(key.publicKey)), kid: 'stub', alg: 'RS256' }] });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const json = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      if (req.url === '/api/auth/login') {
        const status = login?.(JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>) ?? 200;
        return json(status, status === 200 ? JSON.stringify({ accessToken: token }) : '{"error":"refused"}');
      }
      if (req.url === '/graphql') return json(200, JSON.stringify({ data: { login: { accessToken: token } } }));
      if (req.url === '/.well-known/jwks.json') return json(200, jwks);
      if (req.url === '/api/me') {
        const status = await me(/^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1], token);
        return json(status, status === 200 ? '{"id":"1","username":"alice","role":"user"}' : '{"error":"unauthorized"}');
      }
      return json(200, '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const headerOf = (token: string | undefined): Record<string, unknown> => {
  try {
    return JSON.parse(Buffer.from((token ?? '').split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
  } catch {
    return {};
  }
};

async function runOn(me: MeHandler, ids: readonly string[], login?: (body: Record<string, unknown>) => number): Promise<Map<string, SecurityCheckRecord>> {
  const key = await signingKeyFile();
  const stub = await stubTarget(key, me, login);
  try {
    return byId(
      await runChecks(
        authChecks.filter((c) => ids.includes(c.id)),
        { profile: fullProfile(stub.url, key.file) },
      ),
    );
  } finally {
    await stub.close();
  }
}

describe('auth checks without a platform', () => {
  it('name the profile field they lack (not applicable, never run)', async () => {
    const bare = bareProfile();
    const needs: Record<string, readonly string[]> = {
      'SEC-AUTH-01': ['protectedProbe'],
      'SEC-AUTH-02': ['protectedProbe'],
      'SEC-JWT-01': ['protectedProbe'],
      'SEC-JWT-02': ['protectedProbe'],
      'SEC-JWT-03': ['protectedProbe'],
      'SEC-JWT-04': ['protectedProbe', 'auth.jwksPath'],
      'SEC-JWT-05': ['protectedProbe'],
      'SEC-JWT-06': ['protectedProbe'],
      'SEC-JWT-07': ['protectedProbe'],
      'SEC-JWT-08': ['protectedProbe', 'auth.signingKeyFile'],
      'SEC-JWT-09': ['protectedProbe', 'auth.jwt', 'auth.signingKeyFile'],
      'SEC-JWT-10': ['protectedProbe'],
      'SEC-JWT-11': ['protectedProbe', 'auth.logout'],
      'SEC-AUTH-05': ['graphql.loginMutation', 'auth.lockoutVictim', 'auth.maxLoginAttempts'],
      'SEC-AUTH-03': ['auth.lockoutVictim', 'auth.maxLoginAttempts'],
    };
    const records = byId(await runChecks(authChecks, { profile: bare }));
    for (const c of authChecks) {
      const r = records.get(c.id) as SecurityCheckRecord;
      const fields = needs[c.id];
      if (!fields) {
        assert.notEqual(r.verdict, 'not-applicable', `${c.id} needs nothing beyond login and users`);
        continue;
      }
      assert.equal(r.verdict, 'not-applicable', c.id);
      const found = c.applies(bare);
      assert.deepEqual(!found.ok && found.missing, fields, `${c.id} finds exactly these fields missing`);
      for (const f of fields) assert.match(r.summary, new RegExp(`\\b${f.replace('.', '\\.')}\\b`), `${c.id} names ${f}: ${r.summary}`);
      assert.equal(r.evidence.length, 0, `${c.id} sent nothing`);
    }
    // With the fields present the check applies again, and finds them.
    const found = authChecks
      .find((c) => c.id === 'SEC-JWT-04')
      ?.applies({ ...bare, protectedProbe: { method: 'GET', path: '/me' }, auth: { ...bare.auth, jwksPath: '/jwks' } });
    assert.deepEqual(found, { ok: true, needs: { probe: { method: 'GET', path: '/me' }, jwksPath: '/jwks' } });
  });

  it('are errors, never passes, against an unreachable target', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const key = await signingKeyFile();
    const records = await runChecks(authChecks, { profile: fullProfile(`http://127.0.0.1:${port}`, key.file) });
    for (const r of records) assert.equal(r.verdict, 'error', `${r.id}: ${r.verdict}: ${r.summary}`);
  });

  it('all fail, with evidence, against a target that accepts anything (AUTH-01 has no platform switch), the forging checks as consequences of SEC-JWT-02', async () => {
    const records = await runOn(
      async () => 200,
      authChecks.map((c) => c.id),
    );
    table('accept-everything stub', [...records.values()]);
    for (const r of records.values()) {
      if (SKIP_SIGNATURE_CONSEQUENCES.has(r.id)) {
        // It verifies no signature (SEC-JWT-02 failed): the forging checks are that finding's consequences, not findings of their own.
        assert.equal(r.verdict, 'not-applicable', `${r.id}: ${r.verdict}: ${r.summary}`);
        assert.match(r.summary, NOT_TESTED, r.id);
        continue;
      }
      assert.equal(r.verdict, 'fail', `${r.id}: ${r.verdict}: ${r.summary}`);
      assert.ok(r.evidence.length > 0, `${r.id} has evidence`);
      for (const e of r.evidence) assert.doesNotMatch(JSON.stringify(e), /eyJ[\w-]+\.[\w-]+\.[\w-]{20,}/, `${r.id}: no whole token in the evidence`);
    }
  });

  it('SEC-JWT-06 fails when the target fetches the jku URL, even though it refuses the token', async () => {
    const records = await runOn(
      async (token, issued) => {
        const jku = headerOf(token)['jku'];
        if (typeof jku === 'string') await fetch(jku).then((r) => r.arrayBuffer());
        return token === issued ? 200 : 401;
      },
      ['SEC-JWT-06'],
    );
    const r = records.get('SEC-JWT-06') as SecurityCheckRecord;
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /fetched the token's jku URL/);
    assert.ok(
      r.evidence.some((e) => e.note?.includes("check's listener")),
      'the fetch is evidence',
    );
  });

  it('SEC-JWT-07 fails when a kid makes the answer sleep, even though the token is refused', async () => {
    const records = await runOn(
      async (token, issued) => {
        if (String(headerOf(token)['kid']).includes('sleep')) await sleep(3_000);
        return token === issued ? 200 : 401;
      },
      ['SEC-JWT-07'],
    );
    const r = records.get('SEC-JWT-07') as SecurityCheckRecord;
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /delayed the answer/);
  });

  it('SEC-AUTH-03 fails when accounts lock but one client may try logins without limit', async () => {
    let failures = 0;
    const records = await runOn(
      async () => 200,
      ['SEC-AUTH-03'],
      (body) => {
        if (body['password'] === 'v-pass') return failures >= 3 ? 423 : 200;
        failures++;
        return failures > 3 ? 423 : 401;
      },
    );
    const r = records.get('SEC-AUTH-03') as SecurityCheckRecord;
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /without a 429/);
  });
});
