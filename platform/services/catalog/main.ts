import { createAuditLog } from '../shared/audit-log.ts';
import { createRegistry } from '../shared/http-metrics.ts';
import { createPostgresPool } from '../shared/postgres-pool.ts';
import { runService } from '../shared/run-service.ts';
import { loadServiceConfig } from '../shared/service-config.ts';
import { buildCatalogApp } from './app.ts';
import { runMigrations } from './migrations.ts';
import { seedCatalog } from './seed.ts';
import { waitForPostgres } from './wait-for-postgres.ts';

const DATABASE_WAIT_MS = 20_000;

const config = loadServiceConfig('catalog');
const pool = createPostgresPool(config.postgres, config.instance);
const registry = createRegistry(config.service, config.instance);
const audit = createAuditLog(config.auditFile, { service: config.service, instance: config.instance }, registry);
const app = buildCatalogApp(config, { pool, registry, audit });

try {
  await waitForPostgres(pool, `${config.postgres.host}:${config.postgres.port}`, DATABASE_WAIT_MS, app.log);
  await runMigrations(pool, app.log);
  const seeded = await seedCatalog(pool, config.seed);
  app.log.info({ inserted: seeded.inserted, ms: Math.round(seeded.ms) }, seeded.inserted ? 'seeded products' : 'products already present, not seeded');
  await runService(app, config, () => pool.end());
} catch (err) {
  // stderr as well as the log: the supervisor shows a failed start's stderr to the user.
  console.error(`catalog ${config.instance}: startup failed: ${(err as Error).message}`);
  app.log.fatal({ err }, 'startup failed');
  await app.close().catch(() => {});
  await pool.end().catch(() => {});
  process.exitCode = 1;
}
