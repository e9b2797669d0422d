// The penetration checks against a second, deliberately different target: a Python notes API
// (fixtures/vulnerable-api/app.py) with cookie sessions, a form login, a GraphQL login mutation,
// API keys, creates whose id is only in the Location header and Python tracebacks. With every
// switch off no check may fail or error, whichever way its users log in; each planted
// vulnerability must be found by the check that looks for it, and no other check may fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vulnerableApiProfile, type VulnerableApiIdentity } from '../../fixtures/profiles/vulnerable-api.ts';
import { startVulnerableApi, VULNERABLE_API_SWITCHES, type VulnerableApiSwitch } from '../../fixtures/vulnerable-api/start-vulnerable-api.ts';
import type { SecurityCheckRecord } from '../../harness/result/summary-model.ts';
import { CHECKS } from '../../harness/security/catalogue.ts';
import { runChecks } from '../../harness/security/run-checks.ts';

const IDENTITIES: readonly VulnerableApiIdentity[] = ['jwt', 'cookie', 'graphql', 'api-key'];

/** The checks a profile of each identity kind must run (not not-applicable): its logins and credentials work. */
const MUST_RUN: Readonly<Record<VulnerableApiIdentity, readonly string[]>> = {
  jwt: ['SEC-AUTH-01', 'SEC-AUTH-02', 'SEC-JWT-01', 'SEC-JWT-10', 'SEC-JWT-11', 'SEC-BOLA-01', 'SEC-BOLA-02', 'SEC-PROP-02', 'SEC-INJ-01'],
  cookie: ['SEC-AUTH-01', 'SEC-AUTH-02', 'SEC-JWT-11', 'SEC-BOLA-01', 'SEC-BOLA-02', 'SEC-PROP-02', 'SEC-BFLA-01'],
  graphql: ['SEC-AUTH-01', 'SEC-AUTH-02', 'SEC-AUTH-03', 'SEC-AUTH-05', 'SEC-JWT-01', 'SEC-JWT-10', 'SEC-JWT-11', 'SEC-BOLA-01', 'SEC-BFLA-01'],
  'api-key': ['SEC-AUTH-01', 'SEC-AUTH-02', 'SEC-BOLA-01', 'SEC-BOLA-02', 'SEC-BFLA-01', 'SEC-PROP-01'],
};

/** Switches started together: no switch of a group changes what another group member's check sees. */
const GROUPS: readonly { readonly identity: VulnerableApiIdentity; readonly switches: readonly VulnerableApiSwitch[] }[] = [
  { identity: 'jwt', switches: ['bola', 'weak-jwt-secret', 'verbose-errors'] },
  { identity: 'jwt', switches: ['graphql-bola', 'jwt-alg-none', 'mass-assignment'] },
  { identity: 'jwt', switches: ['excessive-exposure', 'bfla', 'no-logout'] },
  { identity: 'jwt', switches: ['sql-injection', 'no-lockout', 'anonymous-access'] },
  // The same holes seen through the other identity kinds.
  { identity: 'cookie', switches: ['bola', 'no-logout', 'mass-assignment'] },
  { identity: 'graphql', switches: ['graphql-bola', 'weak-jwt-secret', 'no-lockout'] },
  { identity: 'api-key', switches: ['bola', 'bfla', 'excessive-exposure'] },
];

/** Checks a switch makes fail besides its own (VULNERABLE_API_SWITCHES): no-lockout is seen by the batched GraphQL brute force too. */
const ALSO: Partial<Record<VulnerableApiSwitch, readonly string[]>> = { 'no-lockout': ['SEC-AUTH-05'] };

const expectedFails = (switches: readonly VulnerableApiSwitch[]): Set<string> =>
  new Set(switches.flatMap((s) => [VULNERABLE_API_SWITCHES[s], ...(ALSO[s] ?? [])]));

function table(title: string, records: readonly SecurityCheckRecord[], ms: number): void {
  console.log(`# ${title} (${ms} ms)`);
  for (const r of records)
    if (r.verdict !== 'not-applicable' || !r.summary.startsWith('the profile'))
      console.log(`#   ${r.id.padEnd(12)} ${r.verdict.padEnd(14)} ${r.summary.slice(0, 160)}`);
}

async function pentest(identity: VulnerableApiIdentity, switches: readonly VulnerableApiSwitch[]): Promise<Map<string, SecurityCheckRecord>> {
  await using api = await startVulnerableApi(switches);
  const started = Date.now();
  const records = await runChecks(CHECKS, { profile: vulnerableApiProfile(api.url, identity) });
  table(`${identity} identities, switches: ${switches.join(', ') || 'none'}`, records, Date.now() - started);
  return new Map(records.map((r) => [r.id, r]));
}

describe('the penetration checks against the vulnerable Python API', { timeout: 600_000 }, () => {
  for (const identity of IDENTITIES) {
    it(`every switch off, ${identity} identities: no finding and no error, the identity's checks all run`, async () => {
      const records = await pentest(identity, []);
      for (const r of records.values()) assert.ok(r.verdict === 'pass' || r.verdict === 'not-applicable', `${r.id}: ${r.verdict}: ${r.summary}`);
      for (const id of MUST_RUN[identity])
        assert.equal(records.get(id)?.verdict, 'pass', `${id} runs with ${identity} identities: ${records.get(id)?.summary}`);
    });
  }

  for (const { identity, switches } of GROUPS) {
    it(`${identity} identities, ${switches.join(' + ')}: each switch's check fails with evidence, every other check does not`, async () => {
      const records = await pentest(identity, switches);
      const fails = expectedFails(switches);
      for (const r of records.values()) {
        if (fails.has(r.id)) {
          assert.equal(r.verdict, 'fail', `${r.id} must find its switch (${switches.join(', ')}): ${r.verdict}: ${r.summary}`);
          assert.ok(r.evidence.length > 0, `${r.id} fails with evidence`);
        } else assert.ok(r.verdict === 'pass' || r.verdict === 'not-applicable', `${r.id} is no switch's check here: ${r.verdict}: ${r.summary}`);
      }
    });
  }

  it('a JWT check is not applicable, saying why, when the credential is a session cookie', async () => {
    const records = await pentest('cookie', ['weak-jwt-secret']);
    assert.equal(records.get('SEC-JWT-10')?.verdict, 'not-applicable');
    assert.match(records.get('SEC-JWT-10')?.summary ?? '', /credential is not a JWT/);
  });

  it('creates answering no id at all: the objects are found in the list endpoint, and BOLA still shows', async () => {
    const only = CHECKS.filter((c) => ['SEC-BOLA-01', 'SEC-BOLA-02', 'SEC-PROP-01', 'SEC-BFLA-02'].includes(c.id));
    for (const switches of [[], ['bola']] as const) {
      await using api = await startVulnerableApi(switches, { noLocation: true });
      const records = new Map((await runChecks(only, { profile: vulnerableApiProfile(api.url, 'jwt', { ids: 'list' }) })).map((r) => [r.id, r]));
      table(`ids from the list, switches: ${switches.join(', ') || 'none'}`, [...records.values()], 0);
      for (const r of records.values()) assert.equal(r.verdict, r.id === 'SEC-BOLA-01' && switches.length > 0 ? 'fail' : 'pass', `${r.id}: ${r.summary}`);
    }
    // Without the list, the same API leaves the checks nothing to attack: an error naming where the id was looked for.
    await using api = await startVulnerableApi([], { noLocation: true });
    const [bola] = await runChecks(only.slice(0, 1), { profile: vulnerableApiProfile(api.url, 'jwt') });
    assert.equal(bola?.verdict, 'error');
    assert.match(bola?.summary ?? '', /without an id in 'id' or a Location header/);
  });

  it('the API process is gone once disposed', async () => {
    let pid = 0;
    {
      await using api = await startVulnerableApi([]);
      pid = api.pid;
      assert.equal((await fetch(`${api.url}/api/me`)).status, 401);
    }
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});
