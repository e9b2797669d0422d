/**
 * The platform's images, for real: `crucible images build` builds every image with the machine's
 * engine (podman here; on a cold cache this is the slow part, minutes), a second build skips them all,
 * and the whole platform runs from them on a user network this test creates: every container answers
 * its image's health check, and the smoke check passes through the edge (login through the gateway to
 * auth, product reads and an order through the gateway to catalog, the web UI). Everything the test
 * started is removed, and checked to be gone.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { detectContainerEngine, type ContainerEngine } from '../../harness/containers/container-engine.ts';
import { OWNER_LABEL } from '../../harness/containers/container-spec.ts';
import { engineCommand } from '../../harness/containers/engine-command.ts';
import { buildImages, type BuildImagesResult } from '../../harness/images/build-images.ts';
import { IMAGE_NAMES, type ImageName } from '../../harness/images/image-catalog.ts';
import { runSmokeCheck } from '../../harness/smoke/smoke-check.ts';
import { ContainerPlatform, meshProxies } from '../../harness/targets/containers/container-platform.ts';
import { httpCall } from '../../harness/util/http-call.ts';

const owner = `crucible-imgtest-${randomBytes(3).toString('hex')}`;

async function owned(engine: ContainerEngine): Promise<string[]> {
  const filter = ['--filter', `label=${OWNER_LABEL}=${owner}`];
  const lines = async (args: string[]): Promise<string[]> => (await engineCommand(engine, args)).split('\n').filter(Boolean);
  return [...(await lines(['ps', '--all', '--quiet', ...filter])), ...(await lines(['network', 'ls', '--quiet', ...filter]))];
}

describe('platform images', { timeout: 45 * 60_000 }, () => {
  let engine: ContainerEngine;
  let first: BuildImagesResult;
  let buildMs = 0;

  before(
    async () => {
      engine = await detectContainerEngine();
      const t0 = performance.now();
      first = await buildImages({ engine, log: (line) => console.log(`# ${line}`) });
      buildMs = performance.now() - t0;
      for (const image of first.images)
        console.log(
          `# ${image.status === 'built' ? 'built     ' : 'up to date'} ${image.name} ${(image.sizeBytes / 1e6).toFixed(0)} MB ${(image.ms / 1000).toFixed(1)} s`,
        );
      console.log(`# images build took ${(buildMs / 1000).toFixed(1)} s on base ${first.base.ref}`);
    },
    { timeout: 40 * 60_000 },
  );

  after(async () => {
    if (engine) assert.deepEqual(await owned(engine), [], 'every container and network the test started is gone');
  });

  it('builds every image, tagged with the version and its inputs hash, running as a non-root user with a health check', async () => {
    assert.deepEqual(
      first.images.map((i) => i.name),
      IMAGE_NAMES,
    );
    for (const image of first.images) {
      assert.match(image.ref, new RegExp(`^localhost/crucible/${image.name}:\\d+\\.\\d+\\.\\d+-[0-9a-f]{12}$`));
      const [user, health] = (await engineCommand(engine, ['image', 'inspect', '--format', '{{.Config.User}}|{{json .Config.Healthcheck}}', image.versionRef]))
        .trim()
        .split('|');
      assert.ok(user && user !== 'root' && user !== '0' && !user.startsWith('0:'), `${image.name} runs as ${user ?? 'nobody set'}`);
      assert.match(health ?? '', /"Test":\["CMD/, `${image.name} has a HEALTHCHECK`);
      assert.ok(image.sizeBytes > 50e6, `${image.name}: ${image.sizeBytes} bytes`);
    }
  });

  it('skips every image on a second build (nothing changed)', async () => {
    const second = await buildImages({ engine });
    assert.deepEqual(
      second.images.map((i) => [i.name, i.status, i.ref]),
      first.images.map((i) => [i.name, 'up to date', i.ref]),
    );
  });

  it(
    'runs the platform from the images: every container healthy, the smoke check passes through the edge, the mesh is Toxiproxy',
    { timeout: 10 * 60_000 },
    async () => {
      const images = Object.fromEntries(first.images.map((i) => [i.name, i.ref])) as Record<ImageName, string>;
      const healthy: string[] = [];
      {
        await using platform = await ContainerPlatform.start({
          engine,
          images,
          name: owner,
          onProgress: (part, status) => (status === 'healthy' ? healthy.push(part) : undefined),
        });
        assert.deepEqual([...healthy].sort(), [
          'auth',
          'catalog',
          'edge',
          'gateway-1',
          'gateway-2',
          'postgres',
          'prometheus',
          'redis-0',
          'redis-1',
          'redis-2',
          'redis-3',
          'redis-4',
          'redis-5',
          'toxiproxy',
        ]);
        for (const url of Object.values(platform.endpoints)) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const smoke = await runSmokeCheck(platform.endpoints.edge);
        assert.ok(smoke.ok, smoke.steps.map((s) => `${s.ok ? 'pass' : 'FAIL'} ${s.name}: ${s.detail}`).join('\n'));
        assert.equal((await httpCall(`${platform.endpoints.prometheus}/-/ready`, 'GET', { timeoutMs: 5_000 })).status, 200);
        // The mesh: gateway -> catalog crosses Toxiproxy, so disabling that proxy fails an uncached read, and enabling it heals it.
        const proxies = (await httpCall(`${platform.endpoints.toxiproxy}/proxies`, 'GET', { timeoutMs: 5_000 })).body as Record<string, unknown>;
        assert.deepEqual(
          Object.keys(proxies).sort(),
          meshProxies(['gateway-1', 'gateway-2'])
            .map((p) => p.name)
            .sort(),
        );
        // Every upstream is an address: nothing in the mesh looks a name up at run time (container-platform.ts says why).
        const byName = Object.values(proxies) as { name: string; upstream: string }[];
        assert.deepEqual(
          byName.filter((p) => !/^\d+\.\d+\.\d+\.\d+:\d+$/.test(p.upstream)).map((p) => `${p.name} -> ${p.upstream}`),
          [],
        );
        const setCatalogEdge = async (enabled: boolean): Promise<void> => {
          const r = await httpCall(`${platform.endpoints.toxiproxy}/proxies/gateway-catalog`, 'POST', { body: { enabled }, timeoutMs: 5_000 });
          assert.equal(r.status, 200, r.text);
        };
        await setCatalogEdge(false);
        const cut = await httpCall(`${platform.endpoints.edge}/api/products/4242`, 'GET', { timeoutMs: 15_000 });
        await setCatalogEdge(true);
        assert.ok(cut.status >= 500, `with gateway-catalog disabled an uncached read answered ${cut.status}`);
        const healed = await httpCall(`${platform.endpoints.edge}/api/products/4243`, 'GET', { timeoutMs: 15_000 });
        assert.equal(healed.status, 200, healed.text);
        assert.ok((await owned(engine)).length > 0);
      }
      assert.deepEqual(await owned(engine), [], 'disposing the platform removed its containers and network');
    },
  );
});
