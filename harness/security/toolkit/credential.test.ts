import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEARER, cookieSet, placeCredential } from './credential.ts';
import { probeAnswer } from './probe-answer.ts';

describe('where a credential goes', () => {
  const req = { url: 'http://127.0.0.1:1/api/me?x=1', headers: { cookie: 'theme=dark' } };

  it('a header, with its scheme', () => {
    assert.deepEqual(placeCredential(BEARER, 't', req).headers, { cookie: 'theme=dark', authorization: 'Bearer t' });
    assert.deepEqual(placeCredential({ in: 'header', name: 'X-API-Key' }, 'k', req).headers, { cookie: 'theme=dark', 'x-api-key': 'k' });
  });

  it('a cookie, beside the cookies already sent', () => {
    assert.deepEqual(placeCredential({ in: 'cookie', name: 'sid' }, 's', req).headers, { cookie: 'theme=dark; sid=s' });
  });

  it('a query parameter', () => {
    const placed = placeCredential({ in: 'query', name: 'api_key' }, 'k k', req);
    assert.equal(placed.url, 'http://127.0.0.1:1/api/me?x=1&api_key=k+k');
    assert.deepEqual(placed.headers, req.headers);
  });

  it("reads a cookie's value from Set-Cookie lines, the last one winning; an emptied cookie is none", () => {
    assert.equal(cookieSet(['a=1; Path=/', 'sid=x; HttpOnly', 'sid=y'], 'sid'), 'y');
    assert.equal(cookieSet('sid=; Max-Age=0', 'sid'), undefined);
    assert.equal(cookieSet(undefined, 'sid'), undefined);
  });
});

describe("the protected probe's reading", () => {
  const rest = { method: 'GET' as const, path: '/api/me' };
  const gql = { method: 'POST' as const, path: '/graphql', body: { query: '{ me { id } }' } };
  const answer = (status: number, body: unknown) => ({ status, json: () => body });

  it('REST: 2xx accepted, 4xx refused, 429 and 5xx unclear', () => {
    assert.equal(probeAnswer(rest, answer(200, {})), 'accepted');
    assert.equal(probeAnswer(rest, answer(401, {})), 'refused');
    assert.equal(probeAnswer(rest, answer(429, {})), 'unclear');
    assert.equal(probeAnswer(rest, answer(500, {})), 'unclear');
  });

  it('GraphQL: a 200 with errors or null data is refused; with data, accepted', () => {
    assert.equal(probeAnswer(gql, answer(200, { data: { me: { id: 1 } } })), 'accepted');
    assert.equal(probeAnswer(gql, answer(200, { data: { me: null } })), 'refused');
    assert.equal(probeAnswer(gql, answer(200, { data: null, errors: [{ message: 'not authenticated' }] })), 'refused');
    assert.equal(probeAnswer(gql, answer(200, { data: { me: { id: 1 } }, errors: [{ message: 'partial' }] })), 'refused');
    assert.equal(probeAnswer(gql, answer(200, undefined)), 'unclear');
  });
});
