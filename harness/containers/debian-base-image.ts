import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import type { ContainerEngine } from './container-engine.ts';
import { engineCommand, engineExec, outputTail, runProcess } from './engine-command.ts';

export const DEBIAN_SUITE = 'bookworm';
/** The Debian base made on this machine (debootstrap + import), for machines without a registry. */
export const LOCAL_DEBIAN_BASE = `localhost/crucible-debian:${DEBIAN_SUITE}`;
/** The official slim base, where a registry is reachable. */
export const OFFICIAL_DEBIAN_BASE = `docker.io/library/debian:${DEBIAN_SUITE}-slim`;

/** Whether the engine holds the image (`image inspect` works the same on docker and podman). */
export async function imageExists(engine: ContainerEngine, ref: string, signal?: AbortSignal): Promise<boolean> {
  const result = await engineExec(engine, ['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  return result.code === 0;
}

/** The image's ID, or undefined when the engine does not hold it. */
export async function imageId(engine: ContainerEngine, ref: string, signal?: AbortSignal): Promise<string | undefined> {
  const result = await engineExec(engine, ['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

function findDebootstrap(): string | undefined {
  return ['/usr/sbin/debootstrap', '/usr/bin/debootstrap', '/sbin/debootstrap'].find((f) => existsSync(f));
}

/** Mount points under dir, deepest first (debootstrap mounts /proc and /sys into the tree while it works). */
function mountsUnder(dir: string): string[] {
  try {
    return readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1] ?? '')
      .filter((m) => m === dir || m.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length);
  } catch {
    return [];
  }
}

/** Removes a root file system tree, unmounting what an interrupted debootstrap left mounted in it first. */
async function removeTree(dir: string): Promise<void> {
  for (const mount of mountsUnder(dir)) await runProcess('umount', ['-l', mount], process.env, { timeoutMs: 30_000 });
  if (mountsUnder(dir).length > 0) throw new CrucibleError('CRUCIBLE_ERR_BASE_IMAGE', `could not unmount what debootstrap mounted under ${dir}`);
  await rm(dir, { recursive: true, force: true });
}

export interface DebianBaseOptions {
  readonly signal?: AbortSignal;
  /** Progress lines (debootstrap's own output, then the import). */
  readonly log?: (line: string) => void;
  /** The Debian archive to bootstrap from; Debian's own by default. */
  readonly mirror?: string;
}

export interface DebianBaseResult {
  readonly ref: string;
  /** False when the image was there already. */
  readonly built: boolean;
}

/**
 * The local Debian base image (LOCAL_DEBIAN_BASE), built when the engine does not hold it yet:
 * `debootstrap --variant=minbase bookworm` into a temporary folder, its apt lists dropped (images built
 * FROM it run apt-get update), imported with `<engine> import`. The folder is removed on every path.
 * Needs root and Debian's debootstrap (kind-on-podman.md: 0.5-2 min, about 200 MB).
 */
export async function ensureDebianBase(engine: ContainerEngine, opts: DebianBaseOptions = {}): Promise<DebianBaseResult> {
  const { signal, log = () => undefined } = opts;
  if (await imageExists(engine, LOCAL_DEBIAN_BASE, signal)) return { ref: LOCAL_DEBIAN_BASE, built: false };
  const debootstrap = findDebootstrap();
  if (!debootstrap)
    throw new CrucibleError('CRUCIBLE_ERR_BASE_IMAGE', `cannot build ${LOCAL_DEBIAN_BASE}: debootstrap is not installed`, {
      hint: "Install Debian's debootstrap package (apt-get install debootstrap), or use an official base from a registry (--base official).",
    });
  if (process.getuid?.() !== 0)
    throw new CrucibleError('CRUCIBLE_ERR_BASE_IMAGE', `cannot build ${LOCAL_DEBIAN_BASE}: debootstrap needs root`, {
      hint: 'Run as root (or with sudo), or use an official base from a registry (--base official).',
    });
  const dir = await mkdtemp(join(tmpdir(), 'crucible-debootstrap-'));
  try {
    log(`building ${LOCAL_DEBIAN_BASE}: debootstrap --variant=minbase ${DEBIAN_SUITE}`);
    const args = ['--variant=minbase', DEBIAN_SUITE, dir, ...(opts.mirror ? [opts.mirror] : [])];
    const boot = await runProcess(debootstrap, args, process.env, { ...(signal ? { signal } : {}), onLine: (l) => log(`  ${l}`) });
    if (boot.code !== 0)
      throw new CrucibleError('CRUCIBLE_ERR_BASE_IMAGE', `debootstrap ${DEBIAN_SUITE} failed (exit ${boot.code})`, {
        details: outputTail(boot),
        hint: "Check that Debian's archive is reachable (apt-get update works) and the disk has ~300 MB free.",
      });
    await rm(join(dir, 'var', 'lib', 'apt', 'lists'), { recursive: true, force: true });
    await rm(join(dir, 'var', 'cache', 'apt'), { recursive: true, force: true });
    log(`importing the tree as ${LOCAL_DEBIAN_BASE}`);
    const tar = spawn('tar', ['-C', dir, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const tarDone = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)));
    try {
      await engineCommand(engine, ['import', '--change', 'CMD ["/bin/bash"]', '-', LOCAL_DEBIAN_BASE], { input: tar.stdout, ...(signal ? { signal } : {}) });
    } finally {
      tar.kill('SIGTERM');
    }
    const tarCode = await tarDone;
    if (tarCode !== 0) throw new CrucibleError('CRUCIBLE_ERR_BASE_IMAGE', `tar of the debootstrap tree failed (exit ${tarCode})`);
    return { ref: LOCAL_DEBIAN_BASE, built: true };
  } finally {
    await removeTree(dir);
  }
}
