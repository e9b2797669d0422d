import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../harness/util/project-root.ts';

/** Every YAML file under dir, recursively. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
}

describe('platform/k8s manifests', () => {
  it("run the platform's images at the version `crucible images build` tags (package.json's)", () => {
    const version = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    const refs = yamlFiles(join(projectRoot(), 'platform', 'k8s')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/image: (localhost\/crucible\/[\w-]+):(\S+)/g)].map((m) => ({ file: f, image: m[1], tag: m[2] })),
    );
    assert.ok(refs.length > 0, 'the manifests name platform images');
    for (const ref of refs) assert.equal(ref.tag, version, `${ref.file}: ${ref.image}`);
  });
});
