// SEC-CFG-03 beyond Node: the reference platform is a Node service, so its verbose-errors switch
// proves only Node's stack frames. A server answering like a Python, Java, .NET, PHP, Go or Ruby
// service with verbose errors (test/support/test-server.ts) proves the others: the check fails
// against each, with the stack named in its evidence, and passes against the same route answering
// a generic error. No platform is started (about a second).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verboseErrorsCheck } from '../../harness/security/checks/surface/verbose-errors-check.ts';
import { runChecks } from '../../harness/security/run-checks.ts';
import type { TargetProfile } from '../../harness/security/target-profile.ts';
import { startTestServer, TRACEBACKS, type TestServer } from '../support/test-server.ts';
import { bareProfile } from './unreachable-profile.ts';

const NAMED: Readonly<Record<keyof typeof TRACEBACKS, RegExp>> = {
  python: /a Python traceback, a Python stack frame/,
  'python-json': /a Python stack frame/,
  java: /a Java stack frame/,
  dotnet: /a \.NET stack frame/,
  php: /a PHP stack trace/,
  go: /a Go panic/,
  ruby: /a Ruby stack frame/,
};

describe('SEC-CFG-03 against servers of other stacks', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(0);
  });
  after(async () => {
    await server.close();
  });
  /** The bare profile (login, users) against the test server, its login route answering like `stack`. */
  const profile = (stack: string): TargetProfile => ({
    ...bareProfile(),
    baseUrl: server.url,
    auth: { ...bareProfile().auth, login: { path: `/traceback/${stack}` } },
  });

  for (const stack of Object.keys(TRACEBACKS) as (keyof typeof TRACEBACKS)[])
    it(`fails on a ${stack} traceback, naming it`, async () => {
      const [r] = await runChecks([verboseErrorsCheck], { profile: profile(stack) });
      assert.equal(r?.verdict, 'fail', r?.summary);
      assert.match(r.summary, NAMED[stack]);
      assert.ok(
        r.evidence.some((e) => e.status === 500 && /leaks/.test(e.note ?? '')),
        'the answer is the evidence',
      );
    });

  it('passes when the same route answers a generic error', async () => {
    const [r] = await runChecks([verboseErrorsCheck], { profile: profile('none') });
    assert.equal(r?.verdict, 'pass', r?.summary);
  });
});
