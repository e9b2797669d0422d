import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RUNS_BUILT, runtimeModulePath, runtimeModuleUrl, shippedModuleFile } from './runtime-module.ts';

describe('runtime module paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-runtime-module-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('from the source tree, a spawned module is its .ts file beside the caller (the build test covers .js)', () => {
    assert.equal(RUNS_BUILT, false);
    const url = runtimeModuleUrl('../load/engine/worker-main.ts', import.meta.url);
    assert.equal(fileURLToPath(url), fileURLToPath(new URL('../load/engine/worker-main.ts', import.meta.url)));
    assert.equal(runtimeModulePath('./clock.ts', import.meta.url), fileURLToPath(new URL('./clock.ts', import.meta.url)));
  });

  it('a .ts file the package ships compiled is found as its .js; an existing .ts is kept', () => {
    writeFileSync(join(dir, 'compiled.js'), 'export default 1;');
    writeFileSync(join(dir, 'source.ts'), 'export default 1;');
    assert.equal(shippedModuleFile(join(dir, 'compiled.ts')), join(dir, 'compiled.js'));
    assert.equal(shippedModuleFile(join(dir, 'source.ts')), join(dir, 'source.ts'));
    assert.equal(shippedModuleFile(join(dir, 'missing.ts')), join(dir, 'missing.ts'), 'neither: the .ts path, so the error names what was asked for');
    assert.equal(shippedModuleFile(join(dir, 'compiled.js')), join(dir, 'compiled.js'));
  });
});
