import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resolveCrucibleToThisHarness } from './crucible-specifier-hook.ts';

describe("'crucible' in a user's file", () => {
  // Outside the checkout, with no node_modules anywhere up: only the hook can resolve 'crucible' here.
  const project = mkdtempSync(join(tmpdir(), 'crucible-hook-'));
  after(() => rmSync(project, { recursive: true, force: true }));

  it("resolves to the running harness's own entry, one instance, from .mjs and from .ts with relative imports", async () => {
    writeFileSync(join(project, 'plain.mjs'), "export { defineScenario } from 'crucible';\n");
    writeFileSync(
      join(project, 'flows.ts'),
      "import type { FlowContext } from 'crucible';\nexport const home = async ({ http }: FlowContext): Promise<void> => { await http.get('/'); };\n",
    );
    writeFileSync(join(project, 'typed.ts'), "import { defineSuite } from 'crucible';\nimport { home } from './flows.ts';\nexport { defineSuite, home };\n");
    await assert.rejects(import(pathToFileURL(join(project, 'plain.mjs')).href), /Cannot find package 'crucible'/, 'without the hook, Node cannot find it');

    resolveCrucibleToThisHarness();
    resolveCrucibleToThisHarness(); // idempotent: a second call registers nothing more
    const entry = (await import(new URL('../index.ts', import.meta.url).href)) as Record<string, unknown>;
    // A query string makes Node load the file again rather than reuse the failed attempt.
    const plain = (await import(`${pathToFileURL(join(project, 'plain.mjs')).href}?again`)) as Record<string, unknown>;
    assert.equal(plain['defineScenario'], entry['defineScenario']);
    const typed = (await import(pathToFileURL(join(project, 'typed.ts')).href)) as Record<string, unknown>;
    assert.equal(typed['defineSuite'], entry['defineSuite']);
    assert.equal(typeof typed['home'], 'function');
  });
});
