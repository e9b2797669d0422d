/**
 * A datastore call failed (down, timed out, faulted link). It leaves as 503 `unavailable` through the
 * shared error handler, which tells the gateway to retry or trip its breaker, instead of a 500 that
 * reads like a bug; the cause stays attached for the service log.
 */
class DependencyUnavailableError extends Error {
  readonly statusCode = 503;
  readonly dependency: string;

  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DependencyUnavailableError';
    this.dependency = dependency;
  }
}

export async function guard<T>(dependency: 'postgres' | 'redis', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new DependencyUnavailableError(dependency, err);
  }
}
