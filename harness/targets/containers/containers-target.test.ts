import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { ContainersTarget, parsePs } from './containers-target.ts';
import { addressPlan, meshProxies } from './container-platform.ts';

describe('containers target (no engine needed)', () => {
  it("reads both engines' ps --format json: podman's array with name lists, docker's object per line", () => {
    const podman = '[{"Names":["crucible-7300-edge"],"State":"running"},{"Names":["crucible-7300-redis-0"],"State":"exited"}]';
    const docker = '{"Names":"crucible-7300-edge","State":"running"}\n{"Names":"crucible-7300-redis-0","State":"exited"}\n';
    const expected = [
      { container: 'crucible-7300-edge', state: 'running' },
      { container: 'crucible-7300-redis-0', state: 'exited' },
    ];
    assert.deepEqual(parsePs(podman), expected);
    assert.deepEqual(parsePs(docker), expected);
    assert.deepEqual(parsePs('[]\n'), []);
    assert.deepEqual(parsePs(''), []);
  });

  it('names everything after the port base and refuses bad options before touching the engine', () => {
    const t = new ContainersTarget({ portBase: 7500, stateRoot: '/nonexistent' });
    assert.equal(t.name, 'crucible-7500');
    assert.equal(t.stateDir, '/nonexistent/containers-7500');
    assert.throws(() => new ContainersTarget({ portBase: 80 }), CrucibleError);
    assert.throws(() => new ContainersTarget({ gatewayReplicas: 0 }), /replicas/);
  });

  it('puts every edge of the local mesh through Toxiproxy under the local proxy names', () => {
    const names = meshProxies(['gateway-1', 'gateway-2']).map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of [
      'edge-gateway-1',
      'edge-gateway-2',
      'gateway-auth',
      'gateway-catalog',
      'auth-postgres',
      'catalog-postgres',
      'gateway-redis-5',
      'auth-redis-0',
    ])
      assert.ok(names.includes(n), n);
    assert.equal(names.length, 2 + 4 + 12);
  });

  it('gives the parts fixed addresses of the subnet from .10 on, and refuses what is no IPv4 /16-/24 subnet', () => {
    const next = addressPlan('10.89.1.0/24');
    assert.deepEqual([next(), next(), next()], ['10.89.1.10', '10.89.1.11', '10.89.1.12']);
    const wide = addressPlan('10.89.0.0/16');
    assert.equal(wide(), '10.89.0.10');
    assert.throws(() => addressPlan('fd00::/64'), /not an IPv4 subnet/);
    assert.throws(() => addressPlan('10.0.0.0/8'), /\/16 to \/24/);
  });
});
