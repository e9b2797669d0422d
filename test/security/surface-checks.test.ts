// The surface checks (rate limits, GraphQL, configuration, exposure, inventory) against the real
// platform: all pass when it is hardened, and each fails when a switch that proves it is on.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FaultEnvironment } from '../../harness/faults/index.ts';
import type { SecurityCheckRecord } from '../../harness/result/summary-model.ts';
import { surfaceChecks } from '../../harness/security/checks/surface/index.ts';
import { runChecks } from '../../harness/security/run-checks.ts';
import { severityOf } from '../../harness/security/security-check.ts';
import { VULNERABLE_SWITCHES, type VulnerableSwitch } from '../../platform/services/shared/vulnerable-switches.ts';
import { startPlatform } from './start-platform.ts';
import { bareProfile, closedPort, profileAt } from './unreachable-profile.ts';

const RATE_LIMIT_IDS = new Set(surfaceChecks.filter((c) => c.attackClass === 'rate-limiting').map((c) => c.id));

/**
 * Switches that touch different defences share a platform (a start costs about 5 s). In the first
 * two groups every other non-rate-limit check runs too and must pass, which shows no switch of the
 * group makes an unrelated check fail. Rate-limit switches interfere with each other's checks (no
 * limit at all also breaks the spread and spoof checks), so those groups run only the checks their
 * switches prove, and pair switches whose checks cannot see each other.
 */
const GROUPS: readonly { readonly switches: readonly VulnerableSwitch[]; readonly run: 'all-but-rate-limits' | readonly string[] }[] = [
  {
    switches: ['graphql-introspection', 'graphql-no-limits', 'permissive-cors', 'allow-trace', 'mesh-plaintext', 'expose-internals'],
    run: 'all-but-rate-limits',
  },
  { switches: ['verbose-errors', 'no-security-headers', 'debug-routes', 'redis-no-auth'], run: 'all-but-rate-limits' },
  { switches: ['no-rate-limit', 'no-login-throttle'], run: ['SEC-RL-01', 'SEC-RL-04'] },
  { switches: ['trust-forwarded-for', 'rate-limit-fail-open'], run: ['SEC-RL-03', 'SEC-RL-05'] },
  { switches: ['replica-local-limits'], run: ['SEC-RL-02'] },
];

const table = (records: readonly SecurityCheckRecord[]): string =>
  records.map((r) => `${r.id.padEnd(11)} ${r.verdict.padEnd(14)} ${String(r.endedMs - r.startedMs).padStart(6)} ms  ${r.summary}`).join('\n');

const report = (t: TestContext, title: string, records: readonly SecurityCheckRecord[]): void => {
  t.diagnostic(`${title}\n${table(records)}`);
};

/** CVSS 3.1 base score (FIRST's specification, section 7.1), to hold each check's score to its vector. */
function cvss31(vector: string): number {
  const m = Object.fromEntries(
    vector
      .replace(/^CVSS:3\.1\//, '')
      .split('/')
      .map((kv) => kv.split(':') as [string, string]),
  );
  const changed = m['S'] === 'C';
  const av = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }[m['AV']!]!;
  const ac = { L: 0.77, H: 0.44 }[m['AC']!]!;
  const pr = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 }[m['PR']!]!;
  const ui = { N: 0.85, R: 0.62 }[m['UI']!]!;
  const cia = (x: string): number => ({ H: 0.56, L: 0.22, N: 0 })[x]!;
  const iss = 1 - (1 - cia(m['C']!)) * (1 - cia(m['I']!)) * (1 - cia(m['A']!));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  const roundUp = (x: number): number => {
    const i = Math.round(x * 100_000);
    return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10;
  };
  if (impact <= 0) return 0;
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}

describe('surface checks: metadata', () => {
  it('each check has a stable id, its CVSS score matches its vector, and its proving switches exist and are exercised', () => {
    const ids = surfaceChecks.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    const exercised = new Set(GROUPS.flatMap((g) => g.switches));
    for (const c of surfaceChecks) {
      assert.match(c.id, /^SEC-(RL|GQL|CFG|EXP|INV)-\d\d$/);
      assert.equal(cvss31(c.cvss.vector), c.cvss.score, `${c.id}: ${c.cvss.vector} scores ${cvss31(c.cvss.vector)}, not ${c.cvss.score}`);
      assert.notEqual(severityOf(c.cvss.score), 'none');
      assert.ok(c.cwe.length > 0 && c.description.length > 80 && c.title.length > 0, c.id);
      assert.ok(c.provenBy.length > 0, `${c.id} names no switch that proves it`);
      for (const s of c.provenBy) {
        assert.ok(Object.hasOwn(VULNERABLE_SWITCHES, s), `${c.id}: unknown switch ${s}`);
        assert.ok(exercised.has(s), `${c.id}: ${s} is in no test group`);
      }
    }
  });

  it('a profile without the inputs a check needs makes it not applicable, naming the field', () => {
    const bare = bareProfile();
    const needsNothing = new Set(['SEC-CFG-01', 'SEC-CFG-02', 'SEC-CFG-03', 'SEC-CFG-04', 'SEC-EXP-01', 'SEC-INV-01']);
    for (const c of surfaceChecks) {
      const found = c.applies(bare);
      if (needsNothing.has(c.id)) assert.equal(found.ok, true, c.id);
      else {
        assert.equal(found.ok, false, c.id);
        if (!found.ok) assert.match(found.reason, /profile\.(graphql|rateLimits|protectedProbe|mesh|internal)/, `${c.id}: ${found.reason}`);
      }
    }
    const replicaSpread = surfaceChecks.find((c) => c.id === 'SEC-RL-02');
    const oneReplica = replicaSpread?.applies({
      ...bare,
      protectedProbe: { method: 'GET', path: '/me' },
      rateLimits: { perIdentity: 5, identities: [{ username: 'x', password: 'y' }], replicas: ['http://127.0.0.1:9'] },
    });
    assert.deepEqual(oneReplica && !oneReplica.ok && oneReplica.missing, ['rateLimits.replicas']);
    assert.match((oneReplica && !oneReplica.ok && oneReplica.reason) || '', /profile\.rateLimits\.replicas/);
  });

  it('against a target that does not answer, every check is an error, never a pass', async (t) => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const nowhere = async (): Promise<never> => {
      throw new Error(`nothing answers at ${url}`);
    };
    const faults: FaultEnvironment = {
      // Named as the journal would name it; nothing runs there.
      target: { kind: 'local', portBase: port },
      toxiproxyUrl: url,
      proxies: nowhere,
      pidOf: nowhere,
      hold: nowhere,
      release: nowhere,
      redisPrimary: nowhere,
      verifyClean: nowhere,
    };
    const records = await runChecks(surfaceChecks, { profile: profileAt(port), faults });
    report(t, 'unreachable target', records);
    for (const r of records) assert.equal(r.verdict, 'error', `${r.id}: ${r.summary}`);
  });
});

describe('surface checks against the platform', { timeout: 900_000 }, () => {
  it('every surface check passes against the hardened platform', { timeout: 240_000 }, async (t) => {
    await using platform = await startPlatform([]);
    const records = await runChecks(surfaceChecks, { profile: platform.profile, faults: platform.faults });
    report(t, 'hardened', records);
    assert.equal(records.length, surfaceChecks.length);
    for (const r of records) assert.equal(r.verdict, 'pass', `${r.id}: ${r.summary}`);
  });

  for (const group of GROUPS) {
    it(
      `with ${group.switches.join(', ')}: the checks they prove fail with evidence${group.run === 'all-but-rate-limits' ? ', the others pass' : ''}`,
      { timeout: 180_000 },
      async (t) => {
        const checks = surfaceChecks.filter((c) => (group.run === 'all-but-rate-limits' ? !RATE_LIMIT_IDS.has(c.id) : group.run.includes(c.id)));
        await using platform = await startPlatform(group.switches);
        const records = await runChecks(checks, { profile: platform.profile, faults: platform.faults });
        report(t, group.switches.join(', '), records);
        for (const r of records) {
          const check = surfaceChecks.find((c) => c.id === r.id)!;
          const proven = check.provenBy.some((s) => group.switches.includes(s));
          if (proven) {
            assert.equal(r.verdict, 'fail', `${r.id} should fail with ${check.provenBy.join(' or ')}: ${r.summary}`);
            assert.ok(r.evidence.length > 0, `${r.id} failed without evidence`);
          } else assert.equal(r.verdict, 'pass', `${r.id} should pass with ${group.switches.join(', ')}: ${r.summary}`);
        }
        if (group.run !== 'all-but-rate-limits') assert.deepEqual(records.map((r) => r.id).sort(), [...group.run].sort());
      },
    );
  }
});
