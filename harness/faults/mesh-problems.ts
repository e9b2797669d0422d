import type { ToxiproxyApi } from './toxiproxy-api.ts';

/** What mesh faults could have left on a Toxiproxy: a disabled proxy, a toxic still on one; empty means clean. */
export async function meshProblems(toxiproxy: ToxiproxyApi): Promise<string[]> {
  const problems: string[] = [];
  try {
    for (const p of await toxiproxy.proxies()) {
      if (!p.enabled) problems.push(`proxy ${p.name} is disabled`);
      for (const t of await toxiproxy.toxics(p.name)) problems.push(`toxic ${t.name} (${t.type}) is still on proxy ${p.name}`);
    }
  } catch (err) {
    problems.push(`could not read Toxiproxy at ${toxiproxy.url}: ${(err as Error).message}`);
  }
  return problems;
}
