import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { z } from 'zod';
import { CrucibleError } from '../errors/crucible-error.ts';
import { LocalTarget } from './local/local-target.ts';
import type { PlatformState, UpEvent } from './target.ts';
import type { LocalPlatformOptions } from '../../platform/local/local-options.ts';

/** Where a run sends its traffic, and where its platform-side metrics come from. */
export interface RunTarget {
  readonly kind: 'local' | 'external';
  readonly name: string;
  readonly baseUrl: string;
  readonly prometheus?: string;
  /** The local platform's state (endpoints, run folder, secrets), for faults and datastore probes. */
  readonly local?: PlatformState;
  /** Stops what this run started (the local platform when it was not up before). */
  release(): Promise<void>;
}

/** An external target: a platform the harness did not start (issue 5 extends this profile). */
const profileSchema = z.strictObject({
  name: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }),
  prometheus: z.url({ protocol: /^https?$/ }).optional(),
});

export async function externalTarget(profileFile: string): Promise<RunTarget> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(profileFile, 'utf8'));
  } catch (err) {
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `target profile ${profileFile} could not be read as JSON: ${(err as Error).message}`);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success)
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `target profile ${profileFile} is not valid`, {
      details: parsed.error.issues.map((i) => `${profileFile}: ${i.path.join('.') || '(root)'}: ${i.message}`),
    });
  return reachableTarget(parsed.data);
}

/** A platform the harness did not start, once it answers at its base URL. */
export async function reachableTarget(p: { readonly name: string; readonly baseUrl: string; readonly prometheus?: string | undefined }): Promise<RunTarget> {
  await expectReachable(p.baseUrl);
  return {
    kind: 'external',
    name: p.name,
    baseUrl: p.baseUrl.replace(/\/$/, ''),
    ...(p.prometheus ? { prometheus: p.prometheus } : {}),
    release: async () => {},
  };
}

async function expectReachable(baseUrl: string): Promise<void> {
  try {
    const res = await request(baseUrl, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    await res.body.dump();
  } catch (err) {
    throw new CrucibleError('CRUCIBLE_ERR_TARGET_UNAVAILABLE', `${baseUrl} did not answer: ${(err as Error).message}`);
  }
}

/**
 * The local platform: reused when it is up; otherwise started for this run and stopped after it
 * (unless `keep`), so `crucible run` works on a machine where nothing runs yet.
 */
export async function localTarget(
  opts: LocalPlatformOptions,
  hooks: { keep?: boolean; signal?: AbortSignal; onStart?: (t: LocalTarget) => void; onEvent?: (e: UpEvent) => void } = {},
): Promise<RunTarget> {
  const target = new LocalTarget(opts, hooks.onEvent ? { onEvent: hooks.onEvent } : {});
  const wasUp = (await target.status()).health === 'up';
  if (!wasUp) hooks.onStart?.(target);
  const state = await target.up(hooks.signal);
  return {
    kind: 'local',
    name: `local:${state.portBase}`,
    baseUrl: state.endpoints.edge,
    prometheus: state.endpoints.prometheus,
    local: state,
    release: async () => {
      if (!wasUp && !hooks.keep) await target.down();
    },
  };
}
