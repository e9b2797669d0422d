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
