import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { containersConf, podmanEnv, podmanFixes, type PodmanHost } from './podman-env.ts';

const thisKindOfVm: PodmanHost = { nofileHardLimit: 20_000, unifiedCgroup: false, root: true, runc: true, cniNetworks: false, netavark: true };
const laptop: PodmanHost = { nofileHardLimit: 1_048_576, unifiedCgroup: true, root: false, runc: false, cniNetworks: false, netavark: true };

describe('podman environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-podman-env-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('needs both fixes on a rootful VM with an rlimit ceiling and a hybrid cgroup, none on a rootless cgroup v2 laptop', () => {
    assert.deepEqual(podmanFixes(thisKindOfVm), ['rlimit-ceiling', 'cgroup-v1']);
    assert.deepEqual(podmanFixes(laptop), []);
    assert.deepEqual(podmanFixes({ ...laptop, root: true, nofileHardLimit: 20_000 }), ['rlimit-ceiling']);
    assert.deepEqual(podmanFixes({ ...thisKindOfVm, runc: false }), ['rlimit-ceiling'], 'no runc: nothing to switch to');
  });

  it('switches a podman that fell back to CNI networks (no DNS: kind nodes cannot find the control plane) to netavark, once that is installed', () => {
    assert.deepEqual(podmanFixes({ ...laptop, cniNetworks: true }), ['cni-without-dns']);
    assert.deepEqual(podmanFixes({ ...laptop, cniNetworks: true, netavark: false }), [], 'no netavark: nothing to switch to');
    assert.match(containersConf(['rlimit-ceiling', 'cgroup-v1', 'cni-without-dns']), /^\[network\]\nnetwork_backend = "netavark"$/m);
  });

  it('writes the containers.conf machine.md measured (runc, nofile/nproc 20000) and points CONTAINERS_CONF at it', () => {
    const confPath = join(dir, 'containers.conf');
    const env = podmanEnv({ env: { PATH: '/usr/bin' }, host: thisKindOfVm, confPath });
    assert.equal(env['CONTAINERS_CONF'], confPath);
    assert.equal(env['PATH'], '/usr/bin');
    const text = readFileSync(confPath, 'utf8');
    assert.equal(text, containersConf(['rlimit-ceiling', 'cgroup-v1']));
    assert.match(text, /^\[containers\]\ndefault_ulimits = \["nofile=20000:20000", "nproc=20000:20000"\]$/m);
    assert.match(text, /^\[engine\]\nruntime = "runc"$/m);
  });

  it("keeps the caller's environment as it is where no fix is needed, and a CONTAINERS_CONF the user set", () => {
    const confPath = join(dir, 'unused.conf');
    assert.equal(podmanEnv({ env: { PATH: '/bin' }, host: laptop, confPath })['CONTAINERS_CONF'], undefined);
    assert.equal(podmanEnv({ env: { CONTAINERS_CONF: '/etc/mine.conf' }, host: thisKindOfVm, confPath })['CONTAINERS_CONF'], '/etc/mine.conf');
    assert.throws(() => readFileSync(confPath), /ENOENT/);
  });
});
