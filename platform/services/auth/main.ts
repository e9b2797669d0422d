import { loadServiceConfig } from '../shared/service-config.ts';
import { createPostgresPool } from '../shared/postgres-pool.ts';
import { createRedisCluster } from '../shared/redis-cluster.ts';
import { runService } from '../shared/run-service.ts';
import { readTlsMaterial } from '../shared/tls.ts';
import { buildAuthApp } from './app.ts';
import { migrate } from './migrations.ts';
import { createPasswordHasher } from './password-hasher.ts';
import { seedUsersIfEmpty } from './seed-users.ts';

const config = loadServiceConfig('auth');
const pool = createPostgresPool(config.postgres, config.instance);
const redis = createRedisCluster(config.redis, config.instance);
const closeClients = async (): Promise<void> => {
  redis.disconnect();
  await pool.end();
};

try {
  const app = await buildAuthApp(config, { pool, redis, tls: readTlsMaterial(config.tls) });
  const applied = await migrate(pool);
  const seeded = await seedUsersIfEmpty(pool, config.seedUsersFile, await createPasswordHasher(config.passwordHash));
  app.log.info({ migrationsApplied: applied, usersSeeded: seeded }, 'database ready');
  await runService(app, config, closeClients);
} catch (err) {
  // Startup failures (bad key, migration, port in use) end the process with the reason, for the supervisor's log.
  console.error(`auth ${config.instance}: failed to start: ${(err as Error).stack ?? String(err)}`);
  await closeClients().catch(() => {});
  process.exit(1);
}
