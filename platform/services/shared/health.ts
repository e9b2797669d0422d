import type { FastifyInstance } from 'fastify';

export type DependencyCheck = () => Promise<void>;

/**
 * /healthz answers while the process serves (liveness); /readyz checks every dependency within a
 * deadline and names the ones that failed (readiness), so the edge and the supervisor can tell a
 * wedged instance from one whose datastore is down.
 */
export function registerHealth(app: FastifyInstance, checks: Record<string, DependencyCheck>, timeoutMs = 1_000): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref())]);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, (err as Error).message || 'failed'] as const;
        }
      }),
    );
    const failed = results.filter(([, r]) => r !== 'ok');
    return reply.code(failed.length ? 503 : 200).send({ status: failed.length ? 'unready' : 'ready', checks: Object.fromEntries(results) });
  });
}
