import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VULNERABLE_SWITCHES } from '../../platform/services/shared/vulnerable-switches.ts';
import { projectRoot } from '../util/project-root.ts';
import { CHECKS } from './catalogue.ts';
import { severityOf } from './security-check.ts';

describe('the penetration check catalogue', () => {
  it('has unique, stable ids (SARIF rule ids) and complete metadata', () => {
    const ids = CHECKS.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const c of CHECKS) {
      assert.match(c.id, /^SEC-[A-Z]+-\d{2}$/, c.id);
      assert.match(c.owasp, /^API([1-9]|10)$/, `${c.id} owasp`);
      assert.ok(c.cwe.length > 0 && c.cwe.every((n) => Number.isInteger(n) && n > 0), `${c.id} cwe`);
      assert.match(c.cvss.vector, /^CVSS:3\.1\/AV:[NALP]\/AC:[LH]\/PR:[NLH]\/UI:[NR]\/S:[UC]\/C:[NLH]\/I:[NLH]\/A:[NLH]$/, `${c.id} CVSS vector`);
      assert.ok(c.cvss.score > 0 && c.cvss.score <= 10, `${c.id} score`);
      assert.ok(c.title.length > 0 && c.description.length > 40, `${c.id} title and description`);
    }
  });

  it('proves every check with a switch the platform has, and every switch proves a check', () => {
    const switches = new Set(Object.keys(VULNERABLE_SWITCHES));
    for (const c of CHECKS) {
      assert.ok(c.provenBy.length > 0, `${c.id} names the switch that makes it fail`);
      for (const s of c.provenBy) assert.ok(switches.has(s), `${c.id}: no vulnerable switch named ${s}`);
    }
    const proving = new Set<string>(CHECKS.flatMap((c) => c.provenBy));
    const idle = [...switches].filter((s) => !proving.has(s));
    assert.deepEqual(idle, [], 'switches no check is proven by');
  });

  it('runs each root cause before the checks that are its consequences', () => {
    const ids = CHECKS.map((c) => c.id);
    const consequences = CHECKS.filter((c) => c.consequenceOf);
    assert.ok(consequences.length > 0);
    for (const c of consequences) {
      const root = c.consequenceOf?.check.id ?? '';
      assert.ok(ids.includes(root), `${c.id}: its root ${root} is a check`);
      assert.ok(ids.indexOf(root) < ids.indexOf(c.id), `${c.id} runs after its root ${root}`);
      assert.equal(
        CHECKS.find((x) => x.id === root)?.attackClass,
        c.attackClass,
        `${c.id} and ${root} run in one class segment (runChecks sees the root's record)`,
      );
    }
  });

  it('is documented: docs/security.md lists every check id with its severity band', () => {
    const doc = readFileSync(join(projectRoot(), 'docs', 'security.md'), 'utf8');
    for (const c of CHECKS) {
      const row = doc.split('\n').find((l) => l.includes(`| ${c.id} `));
      assert.ok(row, `docs/security.md has a row for ${c.id}`);
      assert.match(row, new RegExp(severityOf(c.cvss.score)), `${c.id}'s row says ${severityOf(c.cvss.score)}`);
    }
  });
});
