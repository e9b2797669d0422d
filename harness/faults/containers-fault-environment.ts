import { CrucibleError } from '../errors/crucible-error.ts';
import { PlatformContainers } from '../targets/containers/platform-containers.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import type { ContainersFaultEnvironment, JournalTarget } from './fault.ts';
import { meshProblems } from './mesh-problems.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';
import { waitForExit } from './wait-for-state.ts';

type ContainersTarget = Extract<JournalTarget, { kind: 'containers' }>;

export interface ContainersFaultEnvironmentOptions {
  /** The platform's containers; through the engine the target names (detected) by default. */
  readonly containers?: PlatformContainers;
  readonly clock?: Clock;
}

/**
 * Faults on the platform `crucible up --target containers` started: its containers (found by the owner
 * label) through the container engine, its mesh through the Toxiproxy API published on the host.
 * Throws CRUCIBLE_ERR_NOT_RUNNING when no container carries the label (the platform was removed, and
 * its faults with it).
 */
export async function containersFaultEnvironment(target: ContainersTarget, opts: ContainersFaultEnvironmentOptions = {}): Promise<ContainersFaultEnvironment> {
  const clock = opts.clock ?? systemClock;
  const platform = opts.containers ?? (await PlatformContainers.detect(target.name, target.engine));
  const toxiproxy = new ToxiproxyApi(target.toxiproxyUrl);
  const containers = () => platform.list();
  const one = (container: string) => platform.get(container);

  if ((await containers()).length === 0)
    throw new CrucibleError('CRUCIBLE_ERR_NOT_RUNNING', `no container platform ${target.name} to act on: no container carries its label`, {
      hint: "A platform that was removed took its faults with it (nothing to undo); otherwise check 'crucible status --target containers --port-base <base>'.",
    });

  return {
    target,
    toxiproxyUrl: target.toxiproxyUrl,
    proxies: async () => (await toxiproxy.proxies()).map((p) => p.name),
    containers,
    kill: async (container, pid, signal) => {
      process.kill(pid, signal);
      // kill() returns before the process is dead; until it is, the engine still reports the old pid
      // running, and a recovery check would pass at once. A slow SIGTERM is still a delivered fault.
      if (!(await waitForExit(pid, 10_000)) && signal === 'SIGKILL') throw new Error(`pid ${pid} of ${container} was still alive 10 s after SIGKILL`);
    },
    pause: (container) => platform.pause(container),
    unpause: async (container) => {
      const c = await one(container);
      if (!c) return 'already gone';
      if (c.state !== 'paused') return `not paused (${c.state})`;
      await platform.unpause(container);
      return 'unpaused';
    },
    stop: (container) => platform.stop(container),
    start: async (container) => {
      const c = await one(container);
      if (!c) return 'already gone';
      if (c.state === 'paused') return 'paused, not stopped (left to its own fault)';
      const started = c.state !== 'running';
      if (started) await platform.start(container);
      await platform.waitHealthy(container);
      return started ? 'started, healthy' : 'running already, healthy';
    },
    expectRunning: async (container, killedPid, timeoutMs) => {
      const deadline = clock.monotonicMs() + timeoutMs;
      let seen = 'not read yet';
      for (let attempt = 0; attempt < 100_000; attempt++) {
        const c = await one(container);
        if (!c) throw new Error(`container ${container} is gone: its restart policy cannot bring it back`);
        seen = `${c.state}, pid ${c.pid}, ${c.restarts} restart(s)`;
        if (c.state === 'running' && c.pid > 0 && c.pid !== killedPid) {
          if (await platform.healthy(container)) return `running again as pid ${c.pid} (${c.restarts} restart(s)), healthy`;
          seen += ', not healthy yet';
        }
        if (clock.monotonicMs() >= deadline) break;
        await clock.sleep(500);
      }
      throw new Error(`${container} did not run again healthy within ${Math.round(timeoutMs / 1000)} s (${seen})`);
    },
    verifyClean: async () => {
      const problems = await meshProblems(toxiproxy);
      let all: Awaited<ReturnType<typeof containers>>;
      try {
        all = await containers();
      } catch (err) {
        return [...problems, `could not list the containers of ${target.name}: ${(err as Error).message}`];
      }
      if (all.length === 0) problems.push(`no container of ${target.name} exists`);
      const passing = await platform.healthyOf(all);
      for (const c of all) {
        const healthy = passing.has(c.container);
        if (c.state === 'paused') problems.push(`${c.part} is paused`);
        else if (c.state !== 'running') problems.push(`${c.part} is ${c.state}`);
        else if (!healthy) problems.push(`${c.part} is running but not healthy`);
      }
      return problems;
    },
  };
}
