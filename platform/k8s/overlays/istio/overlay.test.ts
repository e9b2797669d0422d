import { loadAllYaml } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { projectRoot } from '../../../../harness/util/project-root.ts';
import { MESH_POLICY } from '../../../mesh/policy.ts';

// `kubectl kustomize` builds it in test/kind/istio.test.ts (kubectl comes with the kind node image, after the unit tests).
const dir = join(projectRoot(), 'platform', 'k8s', 'overlays', 'istio');
type Obj = { kind: string; apiVersion: string; metadata: { name: string }; spec: Record<string, unknown> };
const objects = (file: string): Obj[] => loadAllYaml(readFileSync(join(dir, file), 'utf8')) as Obj[];
const SERVICES = ['gateway', 'auth', 'catalog'] as const;
const seconds = (d: string): number => (d.endsWith('ms') ? Number(d.slice(0, -2)) / 1000 : Number(d.slice(0, -1)));

describe('platform/k8s/overlays/istio', () => {
  it('builds on the base, labels its namespace for sidecar injection and lists every file of the overlay', () => {
    const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; namespace: string; patches: { patch: string }[] };
    assert.equal(k.namespace, 'crucible');
    assert.deepEqual(k.resources, ['../../base', 'peer-authentication.yaml', 'destination-rules.yaml', 'virtual-services.yaml']);
    assert.match(k.patches[0]?.patch ?? '', /path: \/metadata\/labels\/istio-injection\n\s+value: enabled/);
  });

  it('requires mutual TLS of every workload (PeerAuthentication STRICT)', () => {
    const [pa] = objects('peer-authentication.yaml');
    assert.equal(pa?.kind, 'PeerAuthentication');
    assert.equal(pa.apiVersion, 'security.istio.io/v1');
    assert.deepEqual(pa.spec, { mtls: { mode: 'STRICT' } });
  });

  it("has a DestinationRule per service: ISTIO_MUTUAL, outlier detection at the mesh client's circuit breaker", () => {
    const rules = objects('destination-rules.yaml');
    assert.deepEqual(
      rules.map((r) => r.metadata.name),
      [...SERVICES],
    );
    const cb = MESH_POLICY.edges['gateway->auth'].circuitBreaker;
    for (const r of rules) {
      assert.equal(r.kind, 'DestinationRule');
      assert.equal(r.spec['host'], `${r.metadata.name}.crucible.svc.cluster.local`);
      const policy = r.spec['trafficPolicy'] as { tls: { mode: string }; outlierDetection: { consecutive5xxErrors: number; baseEjectionTime: string } };
      assert.equal(policy.tls.mode, 'ISTIO_MUTUAL');
      assert.equal(policy.outlierDetection.consecutive5xxErrors, cb.consecutiveFailures);
      assert.equal(seconds(policy.outlierDetection.baseEjectionTime) * 1000, cb.halfOpenAfterMs);
    }
  });

  it("has a VirtualService per service; auth's and catalog's routes carry MESH_POLICY's timeouts and retries", () => {
    const vss = objects('virtual-services.yaml');
    assert.deepEqual(
      vss.map((v) => v.metadata.name),
      [...SERVICES],
    );
    for (const v of vss) {
      assert.equal(v.kind, 'VirtualService');
      assert.deepEqual(v.spec['hosts'], [`${v.metadata.name}.crucible.svc.cluster.local`]);
      const [route] = v.spec['http'] as { timeout?: string; retries?: { attempts: number; perTryTimeout: string } }[];
      assert.ok(route);
      if (v.metadata.name === 'gateway') {
        assert.equal(route.retries, undefined);
        continue;
      }
      const edge = MESH_POLICY.edges[`gateway->${v.metadata.name as 'auth' | 'catalog'}`];
      assert.equal(route.retries?.attempts, edge.retry.maxRetries);
      assert.equal(seconds(route.retries.perTryTimeout) * 1000, edge.timeoutMs);
      assert.equal(seconds(route.timeout ?? '') * 1000, edge.timeoutMs * (edge.retry.maxRetries + 1));
    }
  });
});
