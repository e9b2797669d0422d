import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetProfile } from '../target-profile.ts';
import { profileNeeds } from './profile-needs.ts';

const base: TargetProfile = {
  name: 'unit',
  baseUrl: 'http://127.0.0.1:9',
  auth: {
    login: { path: '/login' },
    users: { userA: { username: 'a', password: 'a' }, userB: { username: 'b', password: 'b' }, admin: { username: 'c', password: 'c' } },
  },
};

describe('profileNeeds', () => {
  it('finds the fields at their dot paths, typed', () => {
    const found = profileNeeds(
      { ...base, rateLimits: { loginPerIp: 100, identities: [{ username: 'r', password: 'p' }] } },
      {
        limit: 'rateLimits.loginPerIp',
        identities: 'rateLimits.identities',
      },
    );
    assert.deepEqual(found, { ok: true, needs: { limit: 100, identities: [{ username: 'r', password: 'p' }] } });
    if (found.ok) assert.equal(found.needs.identities[0].username, 'r');
  });

  it('is not applicable without a field, an empty list counting as none, and names each in its reason', () => {
    const found = profileNeeds({ ...base, rateLimits: { identities: [] } }, { limit: 'rateLimits.loginPerIp', identities: 'rateLimits.identities' });
    assert.deepEqual(found, {
      ok: false,
      missing: ['rateLimits.loginPerIp', 'rateLimits.identities'],
      reason: 'the profile does not give profile.rateLimits.loginPerIp, profile.rateLimits.identities',
    });
  });

  it('names a missing field rather than its missing parent, and takes the reason given', () => {
    const found = profileNeeds(base, { graphql: 'graphql', mutation: 'graphql.loginMutation', zero: 'auth.maxLoginAttempts' }, (m) => `no ${m.join(' and ')}`);
    assert.deepEqual(found, {
      ok: false,
      missing: ['graphql.loginMutation', 'auth.maxLoginAttempts'],
      reason: 'no graphql.loginMutation and auth.maxLoginAttempts',
    });
  });

  it('takes 0 and an empty string for values (present), not for missing', () => {
    const found = profileNeeds(
      { ...base, auth: { ...base.auth, maxLoginAttempts: 0, signingKeyFile: '' } },
      { max: 'auth.maxLoginAttempts', key: 'auth.signingKeyFile' },
    );
    assert.deepEqual(found, { ok: true, needs: { max: 0, key: '' } });
  });
});
