import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecurityCheckRecord } from '../../harness/result/summary-model.ts';
import { accessChecks } from '../../harness/security/checks/access/index.ts';
import { runChecks } from '../../harness/security/run-checks.ts';
import type { TargetProfile } from '../../harness/security/target-profile.ts';
import type { VulnerableSwitch } from '../../platform/services/shared/vulnerable-switches.ts';
import { startPlatform } from './start-platform.ts';
import { closedPort, profileAt } from './unreachable-profile.ts';

/**
 * Switches that touch different routes share a platform (a start costs about 5 s); each group's
 * checks must fail exactly where their provenBy names a switch of the group, and pass elsewhere,
 * which also shows that no switch of the group makes an unrelated check fail.
 */
const GROUPS: readonly (readonly VulnerableSwitch[])[] = [
  ['no-ownership-check', 'excessive-exposure', 'path-traversal', 'ssrf-open'],
  ['no-admin-check', 'mass-assignment', 'header-injection', 'sql-injection'],
];

const table = (records: readonly SecurityCheckRecord[]): string =>
  records.map((r) => `${r.id.padEnd(12)} ${r.verdict.padEnd(15)} ${String(r.endedMs - r.startedMs).padStart(6)} ms  ${r.summary}`).join('\n');

describe('access checks: metadata', () => {
  it('each check has a stable id, a CVSS vector and score, an attack class and a switch that proves it', () => {
    const ids = accessChecks.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const c of accessChecks) {
      assert.match(c.id, /^SEC-(BOLA|BFLA|PROP|INJ|SSRF)-\d\d$/);
      assert.match(c.cvss.vector, /^CVSS:3\.1\/AV:[NALP]\/AC:[LH]\/PR:[NLH]\/UI:[NR]\/S:[UC]\/C:[NLH]\/I:[NLH]\/A:[NLH]$/);
      assert.ok(c.cvss.score > 0 && c.cvss.score <= 10);
      assert.ok(['authorization', 'exposure', 'injection', 'ssrf'].includes(c.attackClass), c.id);
      assert.ok(c.provenBy.length > 0 && c.cwe.length > 0 && c.description.length > 80, c.id);
    }
  });
});

describe('access checks without a platform', () => {
  it('a profile without the inputs gives not applicable, naming the missing field', async () => {
    const full = profileAt(await closedPort(), 1);
    const bare: TargetProfile = { name: 'bare', baseUrl: full.baseUrl, auth: full.auth };
    const records = await runChecks(accessChecks, { profile: bare });
    for (const r of records) {
      if (r.id === 'SEC-INJ-03') continue; // needs only the base URL
      assert.equal(r.verdict, 'not-applicable', `${r.id}: ${r.summary}`);
      assert.match(r.summary, /profile\.\w+/, r.id);
    }
    const expected: Record<string, RegExp> = {
      'SEC-BOLA-01': /profile\.resources/,
      'SEC-BOLA-02': /profile\.graphql\.path/,
      'SEC-BFLA-01': /profile\.adminOperations/,
      'SEC-PROP-02': /profile\.massAssignment/,
      'SEC-INJ-01': /profile\.injectionInputs/,
      'SEC-INJ-02': /profile\.redirectProbe/,
      'SEC-SSRF-01': /profile\.urlInputs/,
    };
    for (const [id, field] of Object.entries(expected)) assert.match(records.find((r) => r.id === id)?.summary ?? '', field, id);
  });

  it('an unreachable target gives error for every check, never pass', async () => {
    const records = await runChecks(accessChecks, { profile: profileAt(await closedPort(), 1) });
    console.log(table(records));
    assert.equal(records.length, accessChecks.length);
    for (const r of records) assert.equal(r.verdict, 'error', `${r.id}: ${r.summary}`);
  });
});

describe('access checks against the reference platform', () => {
  it('the hardened platform passes every access check', async () => {
    await using platform = await startPlatform([]);
    const records = await runChecks(accessChecks, { profile: platform.profile });
    console.log(`hardened\n${table(records)}`);
    for (const r of records) assert.equal(r.verdict, 'pass', `${r.id}: ${r.summary}`);
  });

  for (const group of GROUPS) {
    it(`with ${group.join(', ')}: the checks they prove fail with evidence, the others pass`, async () => {
      await using platform = await startPlatform(group);
      const records = await runChecks(accessChecks, { profile: platform.profile });
      console.log(`${group.join(', ')}\n${table(records)}`);
      for (const r of records) {
        const check = accessChecks.find((c) => c.id === r.id);
        const proven = check?.provenBy.some((s) => group.includes(s));
        if (proven) {
          assert.equal(r.verdict, 'fail', `${r.id} should fail with ${check?.provenBy.join(', ')}: ${r.summary}`);
          assert.ok(r.evidence.length > 0, `${r.id} failed without evidence`);
          assert.ok(r.evidence.every((e) => e.status >= 0 && e.url.length > 0));
        } else assert.equal(r.verdict, 'pass', `${r.id}: ${r.summary}`);
      }
      for (const s of group)
        assert.ok(
          accessChecks.some((c) => c.provenBy.includes(s)),
          `no access check is proven by ${s}`,
        );
    });
  }
});
