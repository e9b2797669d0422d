import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../util/project-root.ts';
import { ERROR_CODES } from './error-codes.ts';
import { CrucibleError } from './crucible-error.ts';

describe('error registry', () => {
  const doc = readFileSync(join(projectRoot(), 'docs', 'errors.md'), 'utf8');
  const rows = new Map([...doc.matchAll(/^\| (CRUCIBLE_ERR_\w+) \| (\d) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

  it('documents every code with its exit code in docs/errors.md', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      assert.ok(rows.has(code), `${code} missing from docs/errors.md`);
      assert.equal(rows.get(code), spec.exitCode, `${code}: docs say exit ${rows.get(code)}, registry says ${spec.exitCode}`);
    }
  });

  it('documents no code that does not exist', () => {
    for (const code of rows.keys()) assert.ok(code in ERROR_CODES, `docs/errors.md lists unknown ${code}`);
  });

  it('never reuses a retired code', () => {
    const retired = [...(doc.split('## Retired codes')[1] ?? '').matchAll(/`(CRUCIBLE_ERR_\w+)`/g)].map((m) => m[1]!);
    assert.ok(retired.length > 0, 'docs/errors.md has a list of retired codes');
    for (const code of retired) assert.ok(!(code in ERROR_CODES), `${code} is retired and must not be reused`);
  });

  it('carries code, hint and exit code on the error', () => {
    const err = new CrucibleError('CRUCIBLE_ERR_PORT_IN_USE', 'port 1 is taken', { details: ['x'] });
    assert.equal(err.exitCode, 3);
    assert.match(err.hint, /--port-base/);
    assert.deepEqual(err.details, ['x']);
  });
});
