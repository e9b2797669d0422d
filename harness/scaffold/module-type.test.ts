import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { moduleTypeOf, setModuleType } from './module-type.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(pkg: string | undefined, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-module-type-'));
  dirs.push(dir);
  if (pkg !== undefined) writeFileSync(join(dir, 'package.json'), pkg);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('package.json "type" for the scaffolded ES modules', () => {
  it('a project with no JavaScript of its own (npm init -y writes "type": "commonjs") may become "module"; key order and indentation are kept', () => {
    const dir = project('{\n    "name": "qa",\n    "main": "index.js",\n    "type": "commonjs",\n    "license": "ISC"\n}\n', {
      'node_modules/dep/index.js': '',
      '.github/x.js': '',
      'reports/r/report.js': '',
    });
    assert.deepEqual(moduleTypeOf(dir), { kind: 'settable', current: 'commonjs' });
    setModuleType(dir);
    assert.equal(
      readFileSync(join(dir, 'package.json'), 'utf8'),
      '{\n    "name": "qa",\n    "main": "index.js",\n    "type": "module",\n    "license": "ISC"\n}\n',
    );
    assert.deepEqual(moduleTypeOf(dir), { kind: 'module' });
  });

  it('a project with its own .js or .cjs files is left as it is, naming one', () => {
    assert.deepEqual(moduleTypeOf(project('{"name":"app"}', { 'src/server.cjs': '' })), { kind: 'kept', current: undefined, javascript: 'src/server.cjs' });
    assert.deepEqual(moduleTypeOf(project('{"type":"commonjs"}', { 'index.js': '' })), { kind: 'kept', current: 'commonjs', javascript: 'index.js' });
  });

  it('no package.json, or one that is not JSON, is said as such', () => {
    assert.deepEqual(moduleTypeOf(project(undefined)), { kind: 'no-package-json' });
    assert.deepEqual(moduleTypeOf(project('{ nope')), { kind: 'unreadable' });
  });
});
