import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstStringAt, objectWith, valueAt } from './dot-path.ts';

describe('dot paths', () => {
  it('valueAt reads a key, a nested key and a list index; undefined when a step is missing', () => {
    const v = { id: 7, data: { order: { id: 'o-1' } }, items: [{ unitPrice: 3 }] };
    assert.equal(valueAt(v, 'id'), 7);
    assert.equal(valueAt(v, 'data.order.id'), 'o-1');
    assert.equal(valueAt(v, 'items.0.unitPrice'), 3);
    assert.equal(valueAt(v, 'data.nope.id'), undefined);
    assert.equal(valueAt('text', 'id'), undefined);
  });

  it('objectWith builds the nested object the paths name', () => {
    assert.deepEqual(
      objectWith([
        ['username', 'a'],
        ['password', 'b'],
      ]),
      { username: 'a', password: 'b' },
    );
    assert.deepEqual(
      objectWith([
        ['user.name', 'a'],
        ['user.secret', 'b'],
      ]),
      { user: { name: 'a', secret: 'b' } },
    );
  });

  it('firstStringAt finds a token at its path in the answer or anywhere inside it (a GraphQL batch)', () => {
    assert.equal(firstStringAt({ data: { session: { token: 't1' } } }, 'data.session.token'), 't1');
    assert.equal(firstStringAt({ accessToken: 't2' }, 'accessToken'), 't2');
    assert.equal(firstStringAt([{ data: { login: null } }, { data: { login: { accessToken: 't3' } } }], 'accessToken'), 't3');
    assert.equal(firstStringAt([{ data: { a: { session: { token: 't4' } } } }], 'session.token'), 't4');
    assert.equal(firstStringAt({ accessToken: '' }, 'accessToken'), undefined, 'an empty string is no token');
    assert.equal(firstStringAt({ data: { token: 5 } }, 'data.token'), undefined);
  });
});
