import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../util/project-root.ts';

/** Where prepared build inputs (the Node binary, the services' dependencies) are kept between builds. */
export function imageCacheDir(root = projectRoot()): string {
  return join(root, '.tools', 'images');
}

/**
 * The folder `key` in the cache, made by `fill` into a temporary sibling and renamed into place when
 * complete, so an interrupted or concurrent preparation never leaves a half-filled entry behind.
 */
export async function cachedFolder(cacheDir: string, key: string, fill: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(cacheDir, key);
  if (existsSync(dir)) return dir;
  await mkdir(cacheDir, { recursive: true });
  const tmp = await mkdtemp(join(cacheDir, `.${key}-`));
  try {
    await fill(tmp);
    if (!existsSync(dir)) await rename(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}
