import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileAt } from '../../../test/security/unreachable-profile.ts';
import type { SecurityHttp } from '../security-check.ts';
import type { TargetProfile } from '../target-profile.ts';
import { logIn, loginBody } from './profile-login.ts';

/** A login route answering `answer` to every request, keeping the bodies it was sent. */
function loginAnswering(answer: unknown): { readonly http: SecurityHttp; readonly sent: unknown[] } {
  const sent: unknown[] = [];
  const http: SecurityHttp = {
    request: (r) => {
      sent.push(r.body);
      const text = JSON.stringify(answer);
      return Promise.resolve({
        status: 200,
        headers: {},
        text,
        json: <T>(): T => JSON.parse(text) as T,
        evidence: { method: r.method, url: r.path, status: 200 },
      });
    },
  };
  return { http, sent };
}

describe('the login as the profile describes it', () => {
  const base = profileAt(7300);
  const nested: TargetProfile = {
    ...base,
    auth: { ...base.auth, login: { path: '/graphql-less/login', usernameField: 'user.email', passwordField: 'user.secret', tokenField: 'data.session.token' } },
  };

  it('sends the username and password at their dot paths and reads the token at its dot path', async () => {
    const { http, sent } = loginAnswering({ data: { session: { token: 'tok' } } });
    assert.equal(await logIn(http, nested, { username: 'a', password: 'p' }, { as: 'userA', blame: 'x' }), 'tok');
    assert.deepEqual(sent, [{ user: { email: 'a', secret: 'p' } }]);
  });

  it('keeps the defaults: username, password, accessToken at the top of the answer', async () => {
    assert.deepEqual(loginBody(base, 'a', 'p'), { username: 'a', password: 'p' });
    const { http } = loginAnswering({ accessToken: 'tok2' });
    assert.equal(await logIn(http, base, { username: 'a', password: 'p' }, { as: 'userA', blame: 'x' }), 'tok2');
  });

  it('a token at another place than tokenField is no token', async () => {
    const { http } = loginAnswering({ token: 'tok' });
    await assert.rejects(
      logIn(http, nested, { username: 'a', password: 'p' }, { as: 'userA', blame: 'the profile is wrong' }),
      /login as userA answered 200: the profile is wrong/,
    );
  });
});
