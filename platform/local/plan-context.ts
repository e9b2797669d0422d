import type { LocalCa } from './local-ca.ts';
import type { ResolvedLocalOptions } from './local-options.ts';
import type { PortMap } from './ports.ts';

/** Absolute paths of the binaries the local platform runs (resolved by the harness before start). */
export interface LocalTools {
  readonly node: string;
  readonly redisServer: string;
  readonly redisCli: string;
  readonly postgres: string;
  readonly initdb: string;
  readonly prometheus: string;
  readonly haproxy: string;
  readonly toxiproxy: string;
}

export interface PlatformSecrets {
  readonly redisPassword: string;
  readonly postgresSuperPassword: string;
  readonly postgresAppPassword: string;
}

/** Everything the component builders need; built once by the supervisor at start. */
export interface PlanContext {
  readonly opts: ResolvedLocalOptions;
  readonly ports: PortMap;
  readonly tools: LocalTools;
  readonly projectRoot: string;
  readonly runDir: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly auditDir: string;
  readonly secrets: PlatformSecrets;
  readonly ca: LocalCa;
  readonly jwt: { readonly privateKeyFile: string; readonly kid: string };
  /** PostgreSQL's folder (data + socket); outside runDir when we run as root, see postgres.ts. */
  readonly postgresDir: string;
}

export const HOST = '127.0.0.1';
export { JWT_AUDIENCE, JWT_ISSUER, PG_APP_USER, PG_DATABASE } from '../services/shared/reference-settings.ts';
