// SEC-JWT-10 against a target that signs its own tokens with HS256: the secret is cracked offline
// from a captured token. The vulnerable setting signs with 'marmalade', a common word that is not
// among the 20 secrets the check used to guess online (so the old check passed it: a critical false
// pass); the safe one with 32 random bytes. No platform is started (well under a second each).
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { DEFAULT_SECRETS } from '../../harness/security/checks/auth/jwt-secret-wordlist.ts';
import { jwtWeakSecret } from '../../harness/security/checks/auth/jwt-weak-secret.ts';
import { runChecks } from '../../harness/security/run-checks.ts';
import type { TargetProfile } from '../../harness/security/target-profile.ts';
import { bareProfile } from './unreachable-profile.ts';

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const sign = (input: string, secret: string | Buffer): string => createHmac('sha256', secret).update(input).digest('base64url');

/** A loopback API issuing HS256 tokens signed with `secret` at POST /login, and verifying them at GET /api/me. */
async function hs256Api(secret: string | Buffer): Promise<AsyncDisposable & { readonly url: string; readonly accepted: () => number }> {
  let accepted = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST' && req.url === '/login') {
        const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: '1', name: 'alice', exp: Math.floor(Date.now() / 1000) + 300 })}`;
        return json(200, { accessToken: `${input}.${sign(input, secret)}` });
      }
      if (req.url === '/api/me') {
        const [h, p, s] = (/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '').split('.');
        if (h && p && s && sign(`${h}.${p}`, secret) === s) return (accepted++, json(200, { id: '1', username: 'alice' }));
        return json(401, { error: 'unauthorized' });
      }
      json(404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: () => accepted,
    [Symbol.asyncDispose]: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const profileFor = (baseUrl: string): TargetProfile => {
  const bare = bareProfile();
  return { ...bare, baseUrl, protectedProbe: { method: 'GET', path: '/api/me' } };
};

describe('SEC-JWT-10 cracks HMAC secrets offline', () => {
  it('fails against a target signing with a common word the old online list lacked, naming the secret', async () => {
    assert.ok(!DEFAULT_SECRETS.includes('marmalade'));
    await using api = await hs256Api('marmalade');
    const [r] = await runChecks([jwtWeakSecret], { profile: profileFor(api.url) });
    assert.equal(r?.verdict, 'fail', r?.summary);
    assert.match(
      r.summary,
      /signed with the common secret 'marmalade' \(found offline in \d+ ms, candidate \d+ of \d+\); GET \/api\/me accepted a token forged with it \(200\)/,
    );
    assert.ok(r.evidence.some((e) => e.note?.includes("signed with the cracked secret 'marmalade'") && e.status === 200));
    // The control and the one forged token: nothing is sent per guess.
    assert.equal(api.accepted(), 2);
  });

  it('passes against the same target signing with a random secret, saying how many secrets were tried', async () => {
    await using api = await hs256Api(randomBytes(32));
    const [r] = await runChecks([jwtWeakSecret], { profile: profileFor(api.url) });
    assert.equal(r?.verdict, 'pass', r?.summary);
    assert.match(r.summary, /^userA's HS256 token: none of \d{5,} common secrets reproduces its signature \(tried offline in \d+ ms\)$/);
    assert.equal(api.accepted(), 1, 'only the control was sent');
  });
});
