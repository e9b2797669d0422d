import { setTimeout as sleep } from 'node:timers/promises';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { httpCall } from '../../util/http-call.ts';

/**
 * Waits (bounded: 240 tries 250 ms apart) until GET <edge>/healthz, answered by a gateway behind the
 * edge, is 200. The platform is ready when its edge routes to a gateway (its health checks have marked
 * one up), as the local target's edge readiness asks, not when HAProxy merely runs.
 */
export async function edgeRoutes(edge: string, signal: AbortSignal | undefined): Promise<void> {
  let last = '';
  for (let i = 0; i < 240; i++) {
    try {
      const reply = await httpCall(`${edge}/healthz`, 'GET', { timeoutMs: 2_000 });
      if (reply.status === 200) return;
      last = `answered ${reply.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(250, undefined, signal ? { signal } : {});
  }
  throw new CrucibleError('CRUCIBLE_ERR_UP_TIMEOUT', `the edge at ${edge} did not route to a gateway within 60 s (GET /healthz ${last})`);
}
