import type { ContainersFaultEnvironment, PlatformContainer } from './fault.ts';

/** The running container of a platform part; refuses (throws) a part the platform does not have, or one that does not run. */
export async function runningContainer(env: ContainersFaultEnvironment, part: string): Promise<PlatformContainer> {
  const all = await env.containers();
  const c = all.find((x) => x.part === part);
  if (!c) throw new Error(`no container for part '${part}' in ${env.target.name} (parts: ${all.map((x) => x.part).join(', ')})`);
  if (c.state !== 'running' || c.pid <= 0)
    throw new Error(`container ${c.container} is ${c.state}, not running (another fault's, or left so: crucible recover)`);
  return c;
}
