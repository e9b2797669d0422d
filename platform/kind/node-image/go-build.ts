import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CrucibleError } from '../../../harness/errors/crucible-error.ts';
import { outputTail, runProcess } from '../../../harness/containers/engine-command.ts';

/** How a build step reports and is stopped. */
export interface StepOptions {
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

/** The Go toolchain: on PATH, or where the official tarball puts it (machine.md: /usr/local/go/bin). */
export function goBinary(env: NodeJS.ProcessEnv = process.env): string {
  const dirs = [...(env['PATH'] ?? '').split(':').filter(Boolean), '/usr/local/go/bin', '/usr/lib/go/bin'];
  const found = dirs.map((d) => join(d, 'go')).find((f) => existsSync(f));
  if (!found)
    throw new CrucibleError('CRUCIBLE_ERR_NODE_IMAGE', 'cannot build the kind node image: Go is not installed', {
      hint: 'Install Go >= 1.25 (https://go.dev/dl, or Debian backports), or use a machine where kindest/node can be pulled.',
    });
  return found;
}

/**
 * The environment of every Go build here: static binaries (the component images are FROM scratch),
 * the installed toolchain only (a go directive must not trigger a toolchain download), and modules
 * resolved as needed (the wrapper modules start without a go.sum).
 */
export function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', ...extra };
}

/** Runs go with args in dir; a failure is a CrucibleError naming the step, with go's last lines. */
export async function go(step: string, args: readonly string[], dir: string, opts: StepOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const result = await runProcess(goBinary(), args, opts.env ?? goEnv(), {
    cwd: dir,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.log ? { onLine: opts.log } : {}),
  });
  if (result.code !== 0)
    throw new CrucibleError('CRUCIBLE_ERR_NODE_IMAGE', `${step} failed (go ${args.slice(0, 2).join(' ')}, exit ${result.code})`, {
      details: outputTail(result),
    });
  return result.stdout;
}

/** Where a module version lives in the module cache, downloading it when missing (`go mod download -json`). */
export async function goModuleDir(module: string, version: string, opts: StepOptions = {}): Promise<{ dir: string; goMod: string }> {
  // No log: stdout is the JSON answer.
  const out = await go(`downloading ${module}@${version}`, ['mod', 'download', '-json', `${module}@${version}`], process.cwd(), {
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const info = JSON.parse(out) as { Dir?: string; GoMod?: string; Error?: string };
  if (!info.Dir || !info.GoMod) throw new CrucibleError('CRUCIBLE_ERR_NODE_IMAGE', `go mod download ${module}@${version}: ${info.Error ?? 'no module folder'}`);
  return { dir: info.Dir, goMod: info.GoMod };
}
