import type { FastifyInstance } from 'fastify';

/**
 * Listens, then closes gracefully on SIGTERM/SIGINT (in-flight requests finish, pools drain)
 * within a deadline, so the supervisor's stop is quick and clean.
 */
export async function runService(app: FastifyInstance, host: string, port: number, onClose: () => Promise<void> = async () => {}): Promise<void> {
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => process.exit(0), 5_000);
    deadline.unref();
    app
      .close()
      .then(onClose)
      .catch((err: unknown) => app.log.error({ err }, 'error while closing'))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host, port });
}
