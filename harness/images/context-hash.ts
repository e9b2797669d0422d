import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One input of a build context: a project file copied to `path`, or a prepared folder/file whose
 * digest is known (cached folders are immutable, so their digest is computed once and kept).
 */
export interface ContextInput {
  /** Where it goes in the context. */
  readonly path: string;
  /** The file or folder on this machine. */
  readonly source: string;
  /** The content digest when known; a file without one is hashed. */
  readonly digest?: string;
}

async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under dir (or dir itself when it is a file), as paths relative to it, sorted. */
export async function filesUnder(dir: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  if (!(await stat(dir)).isDirectory()) return [''];
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (skip(entry.name)) continue;
      if (entry.isDirectory()) await walk(path);
      else out.push(path);
    }
  };
  await walk('');
  return out.sort();
}

/** A folder's digest: every file's path, executable bit and bytes, in a fixed order. */
export async function folderDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const rel of await filesUnder(dir)) {
    const file = join(dir, rel);
    const executable = ((await stat(file)).mode & 0o111) !== 0;
    hash.update(`${rel} ${executable ? 'x' : '-'} ${await fileDigest(file)}\n`);
  }
  return hash.digest('hex');
}

/** The digest of an immutable cache entry, computed once and kept beside it as <dir>.sha256. */
export async function cachedDigest(dir: string): Promise<string> {
  const file = `${dir}.sha256`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const digest = await folderDigest(dir);
  await writeFile(file, `${digest}\n`);
  return digest;
}

/**
 * The content hash of a build: its arguments and every input's path, executable bit and digest.
 * Equal hashes mean the same image would be built, so the hash is computed without staging anything.
 */
export async function contextHash(inputs: readonly ContextInput[], args: Readonly<Record<string, string>>): Promise<string> {
  const hash = createHash('sha256');
  for (const key of Object.keys(args).sort()) hash.update(`arg ${key}=${args[key]}\n`);
  for (const input of [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const s = await stat(input.source);
    const digest = input.digest ?? (s.isDirectory() ? await folderDigest(input.source) : await fileDigest(input.source));
    hash.update(`${input.path} ${s.isFile() && (s.mode & 0o111) !== 0 ? 'x' : '-'} ${digest}\n`);
  }
  return hash.digest('hex');
}
