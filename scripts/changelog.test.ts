import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../harness/util/project-root.ts';

const changelog = readFileSync(join(projectRoot(), 'CHANGELOG.md'), 'utf8');
const { version } = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
const headings = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (.+))?$/gm)].map((m) => ({ name: m[1] ?? '', date: m[2] }));
const SECTIONS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'];

describe('CHANGELOG.md (Keep a Changelog)', () => {
  it("opens with Unreleased, then package.json's version as the newest release", () => {
    assert.equal(headings[0]?.name, 'Unreleased');
    assert.equal(headings[1]?.name, version, `the newest release in CHANGELOG.md is ${headings[1]?.name}, package.json says ${version}`);
  });

  it('every release has an ISO date, and releases go newest first', () => {
    const releases = headings.slice(1);
    for (const r of releases) assert.match(r.date ?? '', /^\d{4}-\d{2}-\d{2}$/, `## [${r.name}] has no date`);
    const parts = (v: string): number[] => v.split('-')[0]!.split('.').map(Number);
    const newer = (a: string, b: string): boolean => {
      const [x, y] = [parts(a), parts(b)];
      for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
      return false;
    };
    for (const [i, r] of releases.entries()) {
      const prev = releases[i - 1];
      if (prev) assert.ok(newer(prev.name, r.name), `${prev.name} is listed before ${r.name}: newest first`);
    }
  });

  it("uses only Keep a Changelog's kinds of change", () => {
    for (const [, section] of changelog.matchAll(/^### (.+)$/gm)) assert.ok(SECTIONS.includes(section ?? ''), `unknown section ### ${section}`);
  });
});
