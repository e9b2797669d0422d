import type { KubernetesObject } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { GatewayServiceConfig } from '../../../platform/services/shared/service-config.ts';
import { makePlatformFiles } from '../reference-platform/platform-files.ts';
import { pinImages, platformSecretObjects } from './kind-platform.ts';

describe('the kind platform: what the harness applies besides the manifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-kind-platform-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("pins crucible's images to the given content-hash tags, leaves other images, and does not change its input", () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gateway' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'wait', image: 'localhost/crucible/redis:0.1.0' }],
            containers: [
              { name: 'gateway', image: 'localhost/crucible/gateway:0.1.0' },
              { name: 'sidecar', image: 'docker.io/library/busybox:1.36' },
            ],
          },
        },
      },
    } as KubernetesObject;
    const before = structuredClone(deployment);
    const pinned = pinImages(deployment, {
      gateway: 'localhost/crucible/gateway:0.1.0-abc',
      redis: 'localhost/crucible/redis:0.1.0-def',
    }) as typeof deployment & {
      spec: { template: { spec: { containers: { image: string }[]; initContainers: { image: string }[] } } };
    };
    assert.deepEqual(
      pinned.spec.template.spec.containers.map((c) => c.image),
      ['localhost/crucible/gateway:0.1.0-abc', 'docker.io/library/busybox:1.36'],
    );
    assert.deepEqual(
      pinned.spec.template.spec.initContainers.map((c) => c.image),
      ['localhost/crucible/redis:0.1.0-def'],
    );
    assert.deepEqual(deployment, before);
    assert.deepEqual(pinImages({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, { gateway: 'x' }), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
    });
  });

  it("makes the secrets the manifests name: the pods' certificates (never the harness's or the CA's key), each service's config over the mesh by Service name, the edge's configuration", async () => {
    const files = await makePlatformFiles(join(dir, 'etc'));
    const objects = await platformSecretObjects(files, ['http://127.0.0.1:7300']);
    const byName = new Map(
      objects.map((o) => [o.metadata?.name ?? '', o as KubernetesObject & { stringData?: Record<string, string>; data?: Record<string, string> }]),
    );
    assert.deepEqual([...byName.keys()].sort(), ['auth-config', 'catalog-config', 'edge', 'gateway-config', 'platform-tls', 'postgres-auth', 'redis-auth']);
    assert.ok(objects.every((o) => o.metadata?.namespace === 'crucible'));
    assert.equal(byName.get('redis-auth')?.stringData?.['password'], files.secrets.redisPassword);
    const tls = Object.keys(byName.get('platform-tls')?.stringData ?? {}).sort();
    assert.deepEqual(tls, [
      'auth-key.pem',
      'auth.pem',
      'ca.pem',
      'catalog-key.pem',
      'catalog.pem',
      'gateway-key.pem',
      'gateway.pem',
      'jwt-signing-key.pem',
      'prometheus-key.pem',
      'prometheus.pem',
    ]);
    const gateway = JSON.parse(byName.get('gateway-config')?.stringData?.['service.json'] ?? '{}') as GatewayServiceConfig;
    assert.equal(gateway.service, 'gateway');
    assert.equal(gateway.upstreams.auth.url, 'https://toxiproxy:10100');
    assert.deepEqual(gateway.redis.natMap?.['redis-3.redis:6379'], { host: 'toxiproxy', port: 10203 });
    assert.equal(gateway.rateLimit.replicas, 2);
    assert.equal(gateway.tls.certFile, '/etc/crucible/gateway.pem');
    const haproxy = byName.get('edge')?.data?.['haproxy.cfg'] ?? '';
    assert.match(haproxy, /^ {2}server gateway toxiproxy:10000$/m, 'one server, the Service behind the mesh, not health-checked');
  });
});
