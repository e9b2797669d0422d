import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileAt } from '../../test/security/unreachable-profile.ts';
import { profileSchema, unknownFieldsMessage } from './profile-schema.ts';
import { defineProfile } from './target-profile.ts';

describe('the profile schema', () => {
  it("accepts the reference platform's own profile, every field of it", () => {
    const parsed = profileSchema.safeParse(defineProfile(profileAt(7300)));
    assert.ok(parsed.success, parsed.error?.message);
  });

  it('takes dot paths in every field that names a place in a JSON document, and refuses what is not one', () => {
    const base = profileAt(7300);
    const login = (l: object): boolean => profileSchema.safeParse(defineProfile({ ...base, auth: { ...base.auth, login: { path: '/login', ...l } } })).success;
    assert.ok(login({ tokenField: 'data.session.token', usernameField: 'user.email', passwordField: 'user.secret' }));
    assert.equal(login({ tokenField: 'data..token' }), false);
    assert.equal(login({ tokenField: '' }), false);
  });

  it('takes each login kind with its own fields, credentials sent anywhere, and static identities', () => {
    const base = profileAt(7300);
    const parse = (auth: object) => profileSchema.safeParse(defineProfile({ ...base, auth: { ...base.auth, ...auth } } as typeof base));
    assert.ok(parse({ login: { kind: 'form', path: '/login' }, credential: { in: 'cookie', name: 'session' } }).success);
    assert.ok(parse({ login: { kind: 'graphql', mutation: 'mutation { x }', tokenField: 'login.token' } }).success);
    assert.ok(parse({ credential: { in: 'header', name: 'x-api-key' }, users: { ...base.auth.users, admin: { credential: 'k' } } }).success);
    assert.equal(parse({ login: { kind: 'graphql', path: '/graphql', tokenField: 'login.token' } }).success, false, 'a GraphQL login needs its mutation');
    assert.equal(parse({ login: { kind: 'soap', path: '/login' } }).success, false);
    assert.equal(parse({ credential: { in: 'body', name: 'x' } }).success, false);
    const misspelt = parse({ login: { kind: 'form', path: '/login', usernameFeild: 'email' } });
    assert.match(misspelt.error?.message ?? '', /unknown field 'usernameFeild' \(did you mean 'usernameField'\?\)/);
  });

  it('words unknown fields with the nearest known one, when one is near', () => {
    assert.equal(
      unknownFieldsMessage(['tokenFeild'], ['path', 'tokenField']),
      "unknown field 'tokenFeild' (did you mean 'tokenField'?); this object takes path, tokenField",
    );
    assert.equal(
      unknownFieldsMessage(['openapi', 'nmae'], ['name', 'baseUrl']),
      "unknown fields 'openapi', 'nmae' (did you mean 'name'?); this object takes name, baseUrl",
    );
  });
});
