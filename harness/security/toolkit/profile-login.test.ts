import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileAt } from '../../../test/security/unreachable-profile.ts';
import type { SecurityHttp } from '../security-check.ts';
import type { TargetProfile } from '../target-profile.ts';
import { credentialIn, logIn, loginBody, loginRefused, loginRequest } from './profile-login.ts';

/** A login route answering `answer` (and `headers`) to every request, keeping the bodies it was sent. */
function loginAnswering(answer: unknown, headers: Record<string, string | string[]> = {}): { readonly http: SecurityHttp; readonly sent: unknown[] } {
  const sent: unknown[] = [];
  const http: SecurityHttp = {
    request: (r) => {
      sent.push(r.rawBody ?? r.body);
      const text = JSON.stringify(answer);
      return Promise.resolve({
        status: 200,
        headers,
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

describe('login kinds and credentials', () => {
  const base = profileAt(7300);
  const as = { as: 'userA', blame: 'the profile is wrong' };
  const user = { username: 'a b', password: 'p&q' };

  it('a form login posts the fields url-encoded, operator objects as bracket fields', () => {
    const form: TargetProfile = { ...base, auth: { ...base.auth, login: { kind: 'form', path: '/login', usernameField: 'email' } } };
    const r = loginRequest(form, user.username, user.password);
    assert.deepEqual(r, {
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'email=a+b&password=p%26q',
    });
    assert.equal(loginRequest(form, { $ne: null }, 'x').rawBody, 'email%5B%24ne%5D=null&password=x');
  });

  it('a cookie session: the credential is the Set-Cookie of its name, not a token in the body', async () => {
    const cookie: TargetProfile = { ...base, auth: { ...base.auth, login: { kind: 'form', path: '/login' }, credential: { in: 'cookie', name: 'sid' } } };
    const { http } = loginAnswering({ accessToken: 'not-this' }, { 'set-cookie': ['theme=dark; Path=/', 'sid=s3ss10n; HttpOnly; Path=/'] });
    assert.equal(await logIn(http, cookie, user, as), 's3ss10n');
    const none = loginAnswering({ accessToken: 'not-this' }, { 'set-cookie': 'theme=dark' });
    await assert.rejects(logIn(none.http, cookie, user, as), /login as userA answered 200: the profile is wrong/);
  });

  it('a GraphQL login: the mutation with $u and $p, the credential at its dot path into data; errors are a refusal', async () => {
    const gql: TargetProfile = {
      ...base,
      graphql: { path: '/gql' },
      auth: {
        ...base.auth,
        login: { kind: 'graphql', mutation: 'mutation($u: String!, $p: String!) { login(u: $u, p: $p) { jwt } }', tokenField: 'login.jwt' },
      },
    };
    const { http, sent } = loginAnswering({ data: { login: { jwt: 'tok' } } });
    assert.equal(await logIn(http, gql, user, as), 'tok');
    assert.deepEqual(sent, [{ query: gql.auth.login.kind === 'graphql' ? gql.auth.login.mutation : '', variables: { u: 'a b', p: 'p&q' } }]);
    assert.equal(loginRequest(gql, 'a', 'b').path, '/gql');
    const refused = { status: 200, headers: {}, json: () => ({ data: { login: { jwt: 'tok' } }, errors: [{ message: 'bad password' }] }) };
    assert.equal(credentialIn(gql, refused), undefined);
    assert.equal(loginRefused(gql, { status: 200, token: undefined }), true);
    assert.equal(loginRefused(base, { status: 200, token: undefined }), false, 'a JSON login answering 200 without a token decides nothing');
  });

  it('a static credential is the credential: nothing is sent', async () => {
    const { http, sent } = loginAnswering({});
    assert.equal(await logIn(http, base, { credential: 'api-key-1' }, as), 'api-key-1');
    assert.deepEqual(sent, []);
  });
});
