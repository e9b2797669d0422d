import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingIgnoreRules, withIgnoreRules } from './gitignore-lines.ts';

const wanted = '# crucible: run output\nreports/\n.crucible/\n';

describe('.gitignore rules', () => {
  it('a rule that already keeps the folder out, spelt another way, is not added again', () => {
    assert.deepEqual(missingIgnoreRules('node_modules\n/reports\n', wanted), ['.crucible/']);
    assert.deepEqual(missingIgnoreRules('reports/*\n!reports/README.md\n.crucible\n', wanted), []);
    assert.deepEqual(missingIgnoreRules('# reports/\n', wanted), ['reports/', '.crucible/'], 'a comment is not a rule');
  });

  it('appends only the missing rules, under the comment, after a blank line; the existing text is kept byte for byte', () => {
    assert.equal(withIgnoreRules('node_modules\nreports/', wanted), 'node_modules\nreports/\n\n# crucible: run output\n.crucible/\n');
    assert.equal(withIgnoreRules('node_modules\n', wanted), 'node_modules\n\n# crucible: run output\nreports/\n.crucible/\n');
    assert.equal(withIgnoreRules('', wanted), '# crucible: run output\nreports/\n.crucible/\n');
    assert.equal(withIgnoreRules('reports/\n.crucible/\n', wanted), 'reports/\n.crucible/\n');
  });
});
