import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRequestName } from './request-name.ts';
import { isExpectedStatus } from './expected-status.ts';
import { httpErrorKind } from './http-error.ts';

describe('defaultRequestName()', () => {
  it('numeric segments become :id, the query string goes', () => {
    assert.equal(defaultRequestName('GET', '/api/products/42?x=1'), 'GET /api/products/:id');
    assert.equal(defaultRequestName('DELETE', '/api/users/7/orders/123'), 'DELETE /api/users/:id/orders/:id');
    assert.equal(defaultRequestName('GET', '/api/v2/items/abc1#top'), 'GET /api/v2/items/abc1');
    assert.equal(defaultRequestName('POST', '/graphql'), 'POST /graphql');
  });
});

describe('isExpectedStatus()', () => {
  it('200-399 by default; a number, a list or a predicate otherwise; 0 never', () => {
    assert.equal(isExpectedStatus(204, undefined), true);
    assert.equal(isExpectedStatus(302, undefined), true);
    assert.equal(isExpectedStatus(404, undefined), false);
    assert.equal(isExpectedStatus(404, 404), true);
    assert.equal(isExpectedStatus(429, [200, 429]), true);
    assert.equal(
      isExpectedStatus(500, (s) => s < 600),
      true,
    );
    assert.equal(
      isExpectedStatus(0, () => true),
      false,
    );
  });
});

describe('httpErrorKind()', () => {
  it('timeouts, refused connections and resets by code; anything else by message', () => {
    const coded = (code: string): Error => Object.assign(new Error('x'), { code });
    assert.equal(httpErrorKind(coded('UND_ERR_HEADERS_TIMEOUT')), 'timeout');
    assert.equal(httpErrorKind(coded('ECONNREFUSED')), 'connect');
    assert.equal(httpErrorKind(coded('UND_ERR_SOCKET')), 'reset');
    assert.equal(httpErrorKind(new Error('weird')), 'weird');
  });
});
