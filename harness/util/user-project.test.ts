import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { projectRoot } from './project-root.ts';
import { userProjectRoot } from './user-project.ts';

describe('userProjectRoot()', () => {
  const top = realpathSync(mkdtempSync(join(tmpdir(), 'crucible-user-project-')));
  after(() => rmSync(top, { recursive: true, force: true }));

  it('is the nearest folder up from the working directory with a package.json or a crucible.config.ts', () => {
    const repo = join(top, 'repo');
    const deep = join(repo, 'qa', 'scenarios', 'load');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(repo, 'package.json'), '{}');
    assert.equal(userProjectRoot(deep), repo);
    writeFileSync(join(repo, 'qa', 'crucible.config.ts'), 'export default {};');
    assert.equal(userProjectRoot(deep), join(repo, 'qa'), 'a nearer crucible.config.ts wins');
    assert.equal(userProjectRoot(repo), repo);
  });

  it('is the working directory itself when no folder up holds either', () => {
    const lone = join(top, 'lone', 'dir');
    mkdirSync(lone, { recursive: true });
    // The temporary folder has no package.json above it on a normal machine; if it had one, this test would say so.
    assert.equal(userProjectRoot(lone), lone);
  });

  it("from crucible's checkout, is the checkout's root (behaviour as before: .crucible/ and reports/ there)", () => {
    assert.equal(userProjectRoot(join(projectRoot(), 'harness', 'util')), projectRoot());
  });
});
