import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { detectContainerEngine } from './container-engine.ts';

/** A folder holding stand-in CLIs: a docker whose engine is down (as on these machines) and a working podman. */
function fakeBin(dir: string, name: string, script: string): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

describe('container engine detection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-engine-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes podman when the docker CLI has no engine behind it', async () => {
    const bin = mkdtempSync(join(dir, 'both-'));
    fakeBin(bin, 'docker', 'echo "Cannot connect to the Docker daemon" >&2; exit 1');
    fakeBin(bin, 'podman', 'echo 4.3.1');
    const engine = await detectContainerEngine({ env: { PATH: bin, CONTAINERS_CONF: '/dev/null' } });
    assert.equal(engine.kind, 'podman');
    assert.equal(engine.bin, join(bin, 'podman'));
  });

  it('takes docker where its engine answers', async () => {
    const bin = mkdtempSync(join(dir, 'docker-'));
    fakeBin(bin, 'docker', 'echo 28.2.2');
    fakeBin(bin, 'podman', 'echo 4.3.1');
    assert.equal((await detectContainerEngine({ env: { PATH: bin } })).kind, 'docker');
    assert.equal((await detectContainerEngine({ env: { PATH: bin, CRUCIBLE_CONTAINER_ENGINE: 'podman', CONTAINERS_CONF: '/dev/null' } })).kind, 'podman');
  });

  it('names what it found for each engine when none is usable', async () => {
    const bin = mkdtempSync(join(dir, 'none-'));
    fakeBin(bin, 'docker', 'exit 1');
    await assert.rejects(
      detectContainerEngine({ env: { PATH: bin } }),
      (err: unknown) =>
        err instanceof CrucibleError &&
        err.code === 'CRUCIBLE_ERR_NO_CONTAINER_ENGINE' &&
        err.details.some((d) => d.includes('no Docker engine answers')) &&
        err.details.some((d) => d.includes('podman: not installed')),
    );
    await assert.rejects(detectContainerEngine({ env: { PATH: bin, CRUCIBLE_CONTAINER_ENGINE: 'lxc' } }), /expected docker or podman/);
  });
});
