import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crackHmac, hmacHashOf } from './crack-hmac.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { DEFAULT_SECRETS, jwtSecretWordlist } from './jwt-secret-wordlist.ts';

const token = (alg: string, secret: string): Promise<string> => forgeJwt({ alg, typ: 'JWT' }, { sub: '1', name: 'alice' }, { kind: 'hmac', key: secret });

describe('offline HMAC cracking', () => {
  it('the wordlist holds thousands of common secrets, the defaults first, without repeats', () => {
    const list = jwtSecretWordlist();
    assert.ok(list.length > 50_000, `${list.length}`);
    assert.deepEqual(list.slice(0, DEFAULT_SECRETS.length), DEFAULT_SECRETS);
    assert.equal(new Set(list).size, list.length);
    assert.ok(list.includes('marmalade') && !DEFAULT_SECRETS.includes('marmalade'));
  });

  for (const alg of ['HS256', 'HS384', 'HS512'])
    it(`finds the secret of an ${alg} token and how far down the list it was`, async () => {
      const r = await crackHmac(readJwt(await token(alg, 'marmalade')), ['a', 'b', 'marmalade', 'c']);
      assert.deepEqual({ ...r, elapsedMs: 0 }, { found: true, secret: 'marmalade', tried: 3, elapsedMs: 0 });
    });

  it('reports every candidate tried when none matches', async () => {
    const r = await crackHmac(readJwt(await token('HS256', 'not-a-word-anyone-uses')), ['a', 'b']);
    assert.deepEqual({ ...r, elapsedMs: 0 }, { found: false, tried: 2, of: 2, elapsedMs: 0, outOfTime: false });
  });

  it('stops when the time budget is spent, saying how much of the list was tried', async () => {
    let t = 0;
    const now = (): number => (t += 1_000);
    const list = Array.from({ length: 10_000 }, (_, i) => `w${i}`);
    const r = await crackHmac(readJwt(await token('HS256', 'w9999')), list, { budgetMs: 2_500, now });
    assert.equal(r.found, false);
    assert.ok(!r.found && r.outOfTime && r.tried > 0 && r.tried < list.length, JSON.stringify(r));
  });

  it('refuses a token that is not HMAC-signed', async () => {
    const rs = readJwt(`${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`);
    assert.equal(hmacHashOf(rs), undefined);
    await assert.rejects(crackHmac(rs, ['x']), /RS256, not an HMAC/);
  });
});
