import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { appManifest, appSources, packageOf } from './app-sources.ts';
import { parseBase } from './base-image.ts';
import { contextHash, type ContextInput } from './context-hash.ts';
import { IMAGE_NAMES, imageRef } from './image-catalog.ts';

describe('image inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-image-inputs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('follows the services’ imports: every module they run, none of their tests, and the npm packages they use', () => {
    const sources = appSources(projectRoot());
    for (const m of ['platform/services/gateway/main.ts', 'platform/services/shared/service-config.ts', 'platform/mesh/policy.ts', 'fixtures/catalog.ts'])
      assert.ok(sources.modules.includes(m), m);
    assert.ok(!sources.modules.some((m) => m.endsWith('.test.ts')));
    assert.ok(!sources.modules.some((m) => m.startsWith('harness/')), 'the services never import the harness');
    for (const p of ['fastify', 'ioredis', 'pg', '@fastify/static']) assert.ok(sources.packages.includes(p), p);
    assert.ok(!sources.packages.includes('echarts'), 'only what the services import');
    const project = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(appManifest(projectRoot(), sources.packages).dependencies['fastify'], project.dependencies['fastify']);
  });

  it('refuses a package the services import that is no runtime dependency', () => {
    mkdirSync(join(dir, 'svc'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { fastify: '^5.0.0' } }));
    writeFileSync(join(dir, 'svc', 'main.ts'), "import Fastify from 'fastify';\nimport { x } from './x.ts';\nexport { x, Fastify };\n");
    writeFileSync(join(dir, 'svc', 'x.ts'), "import {\n  thing,\n} from '@scope/pkg/deep';\nexport const x = thing;\n");
    const sources = appSources(dir, ['svc/main.ts']);
    assert.deepEqual(sources.modules, ['svc/main.ts', 'svc/x.ts']);
    assert.deepEqual(sources.packages, ['@scope/pkg', 'fastify']);
    assert.throws(
      () => appManifest(dir, sources.packages),
      (err: unknown) => err instanceof CrucibleError && /@scope\/pkg/.test(err.message),
    );
    assert.equal(packageOf('@fastify/static/x'), '@fastify/static');
    assert.equal(packageOf('pg'), 'pg');
  });

  it('hashes content, executable bits and build arguments, not file times', async () => {
    const file = join(dir, 'entrypoint');
    writeFileSync(file, '#!/bin/sh\n');
    const inputs: ContextInput[] = [{ path: 'entrypoint', source: file }];
    const h1 = await contextHash(inputs, { BASE: 'a' });
    writeFileSync(file, '#!/bin/sh\n');
    assert.equal(await contextHash(inputs, { BASE: 'a' }), h1, 'rewriting the same bytes changes nothing');
    assert.notEqual(await contextHash(inputs, { BASE: 'b' }), h1);
    chmodSync(file, 0o755);
    const h2 = await contextHash(inputs, { BASE: 'a' });
    assert.notEqual(h2, h1, 'the executable bit counts');
    writeFileSync(file, '#!/bin/sh\nexit 0\n');
    assert.notEqual(await contextHash(inputs, { BASE: 'a' }), h2);
    assert.notEqual(
      await contextHash([{ path: 'other', source: file }], { BASE: 'a' }),
      await contextHash(inputs, { BASE: 'a' }),
      'the path in the context counts',
    );
  });

  it('has a Containerfile per image and refs of the version and hash', () => {
    for (const name of IMAGE_NAMES) assert.ok(existsSync(join(projectRoot(), 'platform', 'images', name, 'Containerfile')), name);
    assert.equal(imageRef('gateway', '0.1.0', 'ab'.repeat(32)), 'localhost/crucible/gateway:0.1.0-abababababab');
  });

  it('parses --base', () => {
    assert.deepEqual(parseBase('auto'), { kind: 'auto' });
    assert.deepEqual(parseBase('docker.io/library/debian:bookworm-slim'), { kind: 'image', ref: 'docker.io/library/debian:bookworm-slim' });
    assert.throws(() => parseBase('no spaces allowed'), /expected auto, local, official/);
  });
});
