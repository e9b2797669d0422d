import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../util/project-root.ts';

const MAIN = join(projectRoot(), 'harness', 'cli', 'main.ts');

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', MAIN, ...args],
      { env: { ...env, CI: 'true' }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('crucible images and --target containers|kind refuse bad input before touching an engine', () => {
  it('images build --help names every image and how up to date is decided', async () => {
    const r = await cli(['images', 'build', '--help']);
    assert.equal(r.code, 0);
    for (const name of ['gateway', 'auth', 'catalog', 'redis', 'postgres', 'prometheus', 'toxiproxy', 'edge', 'kube-state-metrics'])
      assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
    assert.match(r.stdout, /up to date and skipped/);
  });

  it('an unknown image, a bad --base, an unknown engine or target: exit 2 with the accepted values', async () => {
    const unknown = await cli(['images', 'build', 'gateway', 'nginx']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /CRUCIBLE_ERR_INVALID_OPTION: unknown image nginx: the images are gateway, auth/);
    const base = await cli(['images', 'build', '--base', 'not an image']);
    assert.equal(base.code, 2);
    assert.match(base.stderr, /expected auto, local, official or an image reference/);
    const engine = await cli(['images', 'build', '--engine', 'lxc']);
    assert.equal(engine.code, 2);
    const target = await cli(['status', '--target', 'kubernetes']);
    assert.equal(target.code, 2);
    assert.match(target.stderr, /expected local, containers or kind/);
  });

  it('no container engine at all: exit 3 naming what was found for each', async () => {
    const r = await cli(['images', 'build'], { PATH: '/nonexistent' });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /CRUCIBLE_ERR_NO_CONTAINER_ENGINE/);
    assert.match(r.stderr, /podman: not installed/);
  });

  it('the containers target runs the production platform only', async () => {
    const r = await cli(['up', '--target', 'containers', '--mode', 'test', '--port-base', '7990']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /production platform only/);
  });

  it('the kind target runs platform/k8s as it is: --vulnerable, --mode and --replicas are refused, and bad --workers', async () => {
    const vulnerable = await cli(['up', '--target', 'kind', '--mode', 'test', '--vulnerable', 'no-rate-limit', '--port-base', '7990']);
    assert.equal(vulnerable.code, 2);
    assert.match(vulnerable.stderr, /--mode, --vulnerable and --replicas are the local target/);
    const replicas = await cli(['up', '--target', 'kind', '--replicas', '3', '--port-base', '7990']);
    assert.equal(replicas.code, 2);
    const workers = await cli(['up', '--target', 'kind', '--workers', '9', '--port-base', '7990']);
    assert.equal(workers.code, 2);
    assert.match(workers.stderr, /invalid workers 9: expected 0 to 5/);
    const notInteger = await cli(['up', '--target', 'kind', '--workers', 'two', '--port-base', '7990']);
    assert.equal(notInteger.code, 2);
    assert.match(notInteger.stderr, /--workers must be an integer \(got 'two'\)/);
  });

  it('--cluster (an existing kind cluster) goes with --target kind only, and keeps its nodes (no --workers)', async () => {
    const local = await cli(['up', '--cluster', 'dev', '--port-base', '7990']);
    assert.equal(local.code, 2);
    assert.match(local.stderr, /--cluster names an existing kind cluster: it goes with --target kind \(got --target local\)/);
    const workers = await cli(['up', '--target', 'kind', '--cluster', 'dev', '--workers', '1', '--port-base', '7990']);
    assert.equal(workers.code, 2);
    assert.match(workers.stderr, /an existing cluster \(--cluster\) keeps its nodes/);
  });
});
