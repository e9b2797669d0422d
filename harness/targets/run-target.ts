import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { z } from 'zod';
import { CrucibleError } from '../errors/crucible-error.ts';
import { LocalTarget } from './local/local-target.ts';
import type { ContainersState } from './containers/containers-target.ts';
import type { KindState } from './kind/kind-target.ts';
import type { DownReport, PlatformState, UpEvent } from './target.ts';
import type { LocalPlatformOptions } from '../../platform/local/local-options.ts';

/** Where a run sends its traffic, and where its platform-side metrics come from. */
export interface RunTarget {
  readonly kind: 'local' | 'kind' | 'containers' | 'external';
  readonly name: string;
  readonly baseUrl: string;
  readonly prometheus?: string;
  /** The local platform's state (endpoints, run folder, secrets), for faults and datastore probes. */
  readonly local?: PlatformState;
  /** The kind platform's state (cluster, kubeconfig, namespace, endpoints), for faults and datastore probes. */
  readonly kindPlatform?: KindState;
  /** The container platform's state (its containers' owner label, engine, endpoints), for faults and datastore probes. */
  readonly containersPlatform?: ContainersState;
}

/**
 * A target a command acquired for its run (`await using target = await localTarget(...)`). Disposing
 * it stops what it started: the local platform when it was not up before (unless kept). A platform
 * it found running, or an external one, is left as it was.
 */
export interface StartedRunTarget extends RunTarget, AsyncDisposable {
  /** True when this handle started the platform, so disposing it stops the platform (unless kept). */
  readonly startedHere: boolean;
  /** Stops what this handle started, at most once: the down report, or undefined when the platform stays up. */
  stop(): Promise<DownReport | undefined>;
}

/** The local platform as a run's target: its state is always there. */
export type StartedLocalTarget = StartedRunTarget & { readonly kind: 'local'; readonly local: PlatformState };

/** stop() and disposal share one stop, whichever comes first. */
function startedTarget<T extends RunTarget>(target: T, startedHere: boolean, stop: () => Promise<DownReport | undefined>): T & StartedRunTarget {
  let stopping: Promise<DownReport | undefined> | undefined;
  const once = (): Promise<DownReport | undefined> => (stopping ??= stop());
  return {
    ...target,
    startedHere,
    stop: once,
    [Symbol.asyncDispose]: async () => {
      await once();
    },
  };
}

/** An external target: a platform the harness did not start (issue 5 extends this profile). */
const profileSchema = z.strictObject({
  name: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }),
  prometheus: z.url({ protocol: /^https?$/ }).optional(),
});

export async function externalTarget(profileFile: string): Promise<StartedRunTarget> {
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
export async function reachableTarget(
  p: { readonly name: string; readonly baseUrl: string; readonly prometheus?: string | undefined },
  running?: { readonly kindPlatform: KindState } | { readonly containersPlatform: ContainersState },
): Promise<StartedRunTarget> {
  await expectReachable(p.baseUrl);
  const target: RunTarget = {
    kind: running === undefined ? 'external' : 'kindPlatform' in running ? 'kind' : 'containers',
    name: p.name,
    baseUrl: p.baseUrl.replace(/\/$/, ''),
    ...(p.prometheus ? { prometheus: p.prometheus } : {}),
    ...running,
  };
  return startedTarget(target, false, async () => undefined);
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
): Promise<StartedLocalTarget> {
  const target = new LocalTarget(opts, hooks.onEvent ? { onEvent: hooks.onEvent } : {});
  const wasUp = (await target.status()).health === 'up';
  if (!wasUp) hooks.onStart?.(target);
  // A failed or interrupted start stops what it had started itself (LocalTarget.up).
  const state = await target.up(hooks.signal);
  const run = { kind: 'local' as const, name: `local:${state.portBase}`, baseUrl: state.endpoints.edge, prometheus: state.endpoints.prometheus, local: state };
  return startedTarget(run, !wasUp, async () => (wasUp || hooks.keep ? undefined : target.down()));
}
