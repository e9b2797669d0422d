import { dirname, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load-config.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { loadProfile } from '../security/load-profile.ts';
import { containersRunTarget } from '../targets/containers/containers-run-target.ts';
import { kindRunTarget } from '../targets/kind/kind-run-target.ts';
import { externalTarget, reachableTarget, type StartedRunTarget } from '../targets/run-target.ts';

/** Where `crucible run` sends its traffic: the --target flag, else the config's `target`, else local. */
export type RunTargetRef =
  | { readonly kind: 'local' }
  /** The platform `crucible up --target containers` started (its edge and Prometheus). */
  | { readonly kind: 'containers' }
  /** The platform `crucible up --target kind` started (its edge and Prometheus through kind's port mappings). */
  | { readonly kind: 'kind' }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'profile'; readonly file: string; readonly format: 'json' | 'module' };

function refOf(value: string, base: string, origin: string): RunTargetRef {
  if (value === 'local') return { kind: 'local' };
  if (value === 'containers') return { kind: 'containers' };
  if (value === 'kind') return { kind: 'kind' };
  if (/^https?:\/\//.test(value)) {
    try {
      return { kind: 'url', url: new URL(value).href.replace(/\/$/, '') };
    } catch {
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `${origin}: '${value}' is not a valid URL`);
    }
  }
  if (/\.json$/.test(value)) return { kind: 'profile', file: resolve(base, value), format: 'json' };
  if (/\.(ts|mts|js|mjs)$/.test(value)) return { kind: 'profile', file: resolve(base, value), format: 'module' };
  throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `${origin} must be local, containers, kind, an http(s) URL or a target profile file (got '${value}')`);
}

/** The flag's path is relative to the working directory, the config's to the config file. */
export function runTargetRef(flag: string | undefined, config: LoadedConfig): RunTargetRef {
  if (flag !== undefined) return refOf(flag, process.cwd(), '--target');
  const fromConfig = config.config.target;
  if (fromConfig !== undefined && config.file !== undefined) return refOf(fromConfig, dirname(config.file), `${config.file}: target`);
  return { kind: 'local' };
}

/** Validates a profile before anything is sent (a .ts profile is loaded and checked whole, exit 2 naming its fields). */
export async function prepareExternalTarget(
  ref: Exclude<RunTargetRef, { kind: 'local' }>,
  opts: { readonly portBase?: number | undefined } = {},
): Promise<() => Promise<StartedRunTarget>> {
  switch (ref.kind) {
    case 'containers':
      return () => containersRunTarget(opts.portBase);
    case 'kind':
      return () => kindRunTarget(opts.portBase);
    case 'url':
      return () => reachableTarget({ name: new URL(ref.url).host, baseUrl: ref.url });
    case 'profile': {
      if (ref.format === 'json') return () => externalTarget(ref.file);
      const { profile } = await loadProfile(ref.file);
      return () => reachableTarget({ name: profile.name, baseUrl: profile.baseUrl, prometheus: profile.detection?.prometheus });
    }
    default: {
      const never: never = ref;
      return never;
    }
  }
}
