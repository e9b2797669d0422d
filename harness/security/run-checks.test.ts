import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileAt } from '../../test/security/unreachable-profile.ts';
import { runChecks } from './run-checks.ts';
import { defineCheck, type CheckOutcome, type SecurityCheck } from './security-check.ts';
import { needsNothing } from './toolkit/index.ts';

/** A check that sends nothing and ends in `verdict`, counting its runs. */
function fakeCheck(id: string, verdict: CheckOutcome['verdict'], consequenceOf?: SecurityCheck['consequenceOf']): SecurityCheck & { runs: number } {
  const check = {
    runs: 0,
    ...defineCheck({
      id,
      title: id,
      owasp: 'API2',
      cwe: [347],
      cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', score: 9.1 },
      attackClass: 'authentication',
      provenBy: ['jwt-skip-signature'],
      description: 'a fake check',
      ...(consequenceOf ? { consequenceOf } : {}),
      applies: needsNothing,
      run: () => {
        check.runs++;
        return Promise.resolve({ verdict, summary: `${id} ${verdict}`, evidence: [] });
      },
    }),
  };
  return check;
}

describe('runChecks: one root cause, one finding', () => {
  const profile = profileAt(9);

  it('does not run a check whose root cause a check before it found: not tested, naming the cause and the check', async () => {
    const root = fakeCheck('SEC-ROOT-01', 'fail');
    const consequence = fakeCheck('SEC-DEP-01', 'fail', { check: root, cause: 'signatures are not verified at all' });
    const records = await runChecks([root, consequence], { profile });
    assert.equal(consequence.runs, 0, 'nothing sent');
    assert.deepEqual(
      records.map((r) => [r.id, r.verdict]),
      [
        ['SEC-ROOT-01', 'fail'],
        ['SEC-DEP-01', 'not-applicable'],
      ],
    );
    assert.match(records[1]!.summary, /^not tested: signatures are not verified at all \(see SEC-ROOT-01\)/);
  });

  it('runs it when the root check passed, or was not run at all', async () => {
    const root = fakeCheck('SEC-ROOT-01', 'pass');
    const consequence = fakeCheck('SEC-DEP-01', 'fail', { check: root, cause: 'x' });
    assert.deepEqual(
      (await runChecks([root, consequence], { profile })).map((r) => r.verdict),
      ['pass', 'fail'],
    );
    assert.deepEqual(
      (await runChecks([consequence], { profile })).map((r) => r.verdict),
      ['fail'],
    );
  });
});
