import { readFileSync } from 'node:fs';

/**
 * The JSON document the local target (or a container entrypoint) writes for each service instance
 * and names in CRUCIBLE_SERVICE_CONFIG. One typed document instead of dozens of env variables.
 */
import { vulnerableSwitchProblem, type VulnerableSwitch } from './vulnerable-switches.ts';

export type PlatformMode = 'dev' | 'test' | 'production';

export interface TlsIdentity {
  /** PEM of the local CA that signs every service certificate. */
  readonly caFile: string;
  /** This instance's certificate (used as server and as client certificate). */
  readonly certFile: string;
  readonly keyFile: string;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface RedisClientConfig {
  /** Seed nodes, as the cluster announces them. */
  readonly nodes: readonly HostPort[];
  /** Announced address "host:port" -> where to connect instead (the Toxiproxy proxy of that node). */
  readonly natMap: Readonly<Record<string, HostPort>>;
  readonly password: string;
}

export interface PostgresClientConfig extends HostPort {
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly poolSize: number;
}

export interface BaseServiceConfig {
  readonly service: 'gateway' | 'auth' | 'catalog';
  /** Unique instance name, e.g. gateway-1. */
  readonly instance: string;
  readonly host: string;
  readonly port: number;
  readonly mode: PlatformMode;
  readonly tls: TlsIdentity;
  /** JSON-lines audit log of this instance. */
  readonly auditFile: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug';
  /** Deliberately vulnerable switches this service honours (mode 'test' only; shared/vulnerable-switches.ts). */
  readonly vulnerable?: readonly VulnerableSwitch[];
  /** A plain HTTP port without client certificates, besides `port` (set only with the mesh-plaintext switch). */
  readonly plaintextPort?: number;
}

export interface AuthServiceConfig extends BaseServiceConfig {
  readonly service: 'auth';
  readonly postgres: PostgresClientConfig;
  readonly redis: RedisClientConfig;
  readonly jwt: {
    /** PKCS#8 PEM of the RS256 signing key. */
    readonly privateKeyFile: string;
    readonly kid: string;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTokenTtlSec: number;
    readonly refreshTokenTtlSec: number;
  };
  readonly lockout: {
    /** Failed logins for one username within windowSec that lock it. */
    readonly maxFailures: number;
    readonly windowSec: number;
    readonly lockSec: number;
  };
  /** scrypt cost: N (power of two), r, p. */
  readonly passwordHash: { readonly N: number; readonly r: number; readonly p: number };
  /** fixtures/users.json: seeded when the users table is empty. */
  readonly seedUsersFile: string;
}

export interface CatalogServiceConfig extends BaseServiceConfig {
  readonly service: 'catalog';
  readonly postgres: PostgresClientConfig;
  /** Products generated (deterministically from seed) when the products table is empty. */
  readonly seed: { readonly products: number; readonly seed: number };
}

export interface UpstreamConfig {
  /** https URL (through the mesh proxy) of the upstream service. */
  readonly url: string;
  /** Name the upstream's certificate must carry. */
  readonly servername: string;
}

export interface GatewayServiceConfig extends BaseServiceConfig {
  readonly service: 'gateway';
  readonly redis: RedisClientConfig;
  readonly upstreams: { readonly auth: UpstreamConfig; readonly catalog: UpstreamConfig };
  readonly jwt: { readonly issuer: string; readonly audience: string };
  readonly cache: {
    readonly productTtlSec: number;
    readonly listTtlSec: number;
    /** How long one replica may hold the fill lock of a cold key. */
    readonly fillLockMs: number;
  };
  readonly rateLimit: {
    readonly perIpPerMin: number;
    readonly perIdentityPerMin: number;
    readonly loginPerIpPerMin: number;
    /**
     * Gateway replicas sharing the limits. When Redis cannot answer in time each replica enforces
     * its share (limit / replicas) from memory, so the limits hold without the shared store. @default 1
     */
    readonly replicas?: number;
  };
  /** Origins allowed by CORS. */
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  readonly graphql: {
    readonly maxDepth: number;
    readonly maxComplexity: number;
    readonly maxAliases: number;
    readonly maxBatch: number;
  };
  /** Folder of the web UI's static files. */
  readonly webRoot: string;
}

export type ServiceConfig = AuthServiceConfig | CatalogServiceConfig | GatewayServiceConfig;

/** Reads the config named by CRUCIBLE_SERVICE_CONFIG (or the path given) and checks its service. */
export function loadServiceConfig<S extends ServiceConfig['service']>(
  service: S,
  file: string | undefined = process.env['CRUCIBLE_SERVICE_CONFIG'],
): Extract<ServiceConfig, { service: S }> {
  if (!file) throw new Error(`${service}: CRUCIBLE_SERVICE_CONFIG is not set; start services through 'crucible up'`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ServiceConfig;
  if (parsed.service !== service) throw new Error(`${file}: expected a ${service} config, got service=${String(parsed.service)}`);
  // Defence in depth: the local target refuses this too, but a hand-edited config must not slip through.
  const refused = vulnerableSwitchProblem(parsed.mode, parsed.vulnerable ?? []);
  if (refused) throw new Error(`${file}: ${refused}`);
  // Replicas sharing one config (a Kubernetes Deployment) each name themselves, e.g. after their pod.
  const instance = process.env['CRUCIBLE_INSTANCE'];
  return (instance ? { ...parsed, instance } : parsed) as Extract<ServiceConfig, { service: S }>;
}
