import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A short content hash of what a build is made from (versions, flags, source text). */
export function inputsHash(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex').slice(0, 16);
}

const STAMP = '.inputs';

export interface CachedBinaries {
  readonly dir: string;
  /** False when every binary was there, built from the same inputs. */
  readonly built: boolean;
}

/**
 * Binaries built into dir unless dir holds every one of them from the same inputs (a stamp file
 * records the inputs' hash after a build succeeds, so an interrupted build is redone, not trusted).
 */
export async function cachedBinaries(dir: string, names: readonly string[], hash: string, build: (dir: string) => Promise<void>): Promise<CachedBinaries> {
  const stamp = join(dir, STAMP);
  const upToDate = existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash && names.every((n) => existsSync(join(dir, n)));
  if (upToDate) return { dir, built: false };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await build(dir);
  const missing = names.filter((n) => !existsSync(join(dir, n)));
  if (missing.length > 0) throw new Error(`the build of ${dir} did not produce ${missing.join(', ')}`);
  await writeFile(stamp, `${hash}\n`);
  return { dir, built: true };
}
