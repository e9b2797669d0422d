import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { loadConfig } from './load-config.ts';

const empty = mkdtempSync(join(tmpdir(), 'crucible-config-'));

async function rejection(explicit: string, cwd = projectRoot()): Promise<CrucibleError> {
  try {
    await loadConfig(explicit, cwd);
  } catch (err) {
    assert.ok(err instanceof CrucibleError, String(err));
    return err;
  }
  assert.fail(`${explicit} was accepted`);
}

describe('loadConfig()', () => {
  after(() => rmSync(empty, { recursive: true, force: true }));

  it("falls back to the project's crucible.config.ts, with the roadmap SLOs", async () => {
    const { file, config } = await loadConfig(undefined, empty);
    assert.equal(file, join(projectRoot(), 'crucible.config.ts'));
    assert.deepEqual(config.slos, { p95Ms: 200, errorRate: 0.01, cacheHitRate: 0.8 });
    assert.equal(config.reportsDir, 'reports');
  });

  it('prefers the one in the working directory', async () => {
    writeFileSync(join(empty, 'crucible.config.ts'), `export default { __crucible: 'config', portBase: 7900, slos: { p95Ms: 500 } };\n`);
    const { file, config } = await loadConfig(undefined, empty);
    assert.equal(file, join(empty, 'crucible.config.ts'));
    assert.equal(config.portBase, 7900);
    assert.deepEqual(config.slos, { p95Ms: 500 });
  });

  it('names the file and each bad field (exit 2)', async () => {
    const err = await rejection('fixtures/config/invalid/crucible.config.ts');
    assert.equal(err.code, 'CRUCIBLE_ERR_INVALID_SCENARIO');
    assert.equal(err.exitCode, 2);
    assert.match(err.message, /crucible\.config\.ts is not a valid config: 2 problems/);
    const lines = err.details.join('\n');
    assert.match(lines, /crucible\.config\.ts: slos\.p95Ms: .*expected number to be >0/);
    assert.match(lines, /crucible\.config\.ts: .*Unrecognized key: "reportDir"/);
  });

  it("takes a target that is 'local', an http(s) URL or a profile file, and names the field otherwise", async () => {
    // One file each: a module is imported once.
    for (const [i, target] of ['local', 'https://staging.example.com', './profiles/staging.profile.ts', 'staging.json'].entries()) {
      writeFileSync(join(empty, `target-${i}.config.ts`), `export default { __crucible: 'config', target: ${JSON.stringify(target)} };\n`);
      assert.equal((await loadConfig(`target-${i}.config.ts`, empty)).config.target, target);
    }
    writeFileSync(join(empty, 'bad-target.config.ts'), `export default { __crucible: 'config', target: 'staging' };\n`);
    assert.match(
      (await rejection('bad-target.config.ts', empty)).details.join('\n'),
      /bad-target\.config\.ts: target: expected 'local', an http\(s\) URL, or a target profile file/,
    );
  });

  it('refuses a file that is not a defineConfig() and a --config that does not exist', async () => {
    writeFileSync(join(empty, 'not-config.ts'), `export default { reportsDir: 'x' };\n`);
    assert.match((await rejection('not-config.ts', empty)).details.join('\n'), /expected export default defineConfig/);
    const missing = await rejection('nope.config.ts', empty);
    assert.equal(missing.code, 'CRUCIBLE_ERR_INVALID_OPTION');
    assert.match(missing.message, /--config: no file at .*nope\.config\.ts/);
  });
});
