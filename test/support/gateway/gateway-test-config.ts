import { join } from 'node:path';
import type { LocalCa } from '../../../platform/local/local-ca.ts';
import type { GatewayServiceConfig, HostPort } from '../../../platform/services/shared/service-config.ts';
import { AUDIENCE, ISSUER } from './stand-in-auth.ts';

export interface TestEnvironment {
  readonly dir: string;
  readonly ca: LocalCa;
  readonly redisNodes: readonly HostPort[];
  readonly redisPassword: string;
  readonly authUrl: string;
  readonly catalogUrl: string;
  readonly webRoot: string;
}

type Overrides = Partial<Omit<GatewayServiceConfig, 'graphql' | 'rateLimit'>> & {
  graphql?: Partial<GatewayServiceConfig['graphql']>;
  rateLimit?: Partial<GatewayServiceConfig['rateLimit']>;
};

/** A gateway config as the local target would write it, pointing at the test's cluster and stand-ins. */
export function gatewayTestConfig(env: TestEnvironment, instance: string, overrides: Overrides = {}): GatewayServiceConfig {
  const { graphql, rateLimit, ...rest } = overrides;
  return {
    service: 'gateway',
    instance,
    host: '127.0.0.1',
    port: 0,
    mode: 'production',
    tls: { caFile: env.ca.caFile, certFile: env.ca.identities.gateway.certFile, keyFile: env.ca.identities.gateway.keyFile },
    auditFile: join(env.dir, 'audit', `${instance}.jsonl`),
    logLevel: 'fatal',
    redis: { nodes: env.redisNodes, natMap: {}, password: env.redisPassword },
    upstreams: { auth: { url: env.authUrl, servername: 'auth' }, catalog: { url: env.catalogUrl, servername: 'catalog' } },
    jwt: { issuer: ISSUER, audience: AUDIENCE },
    // Longer than any test takes between a fill and its reads, and than any fill on a busy machine: the cache
    // tests count origin reads, which an expired entry or fill lock would add to (the local platform: list 5 s, lock 2 s).
    cache: { productTtlSec: 60, listTtlSec: 60, fillLockMs: 10_000 },
    rateLimit: { perIpPerMin: 100_000, perIdentityPerMin: 20, loginPerIpPerMin: 5, ...rateLimit },
    corsOrigins: ['http://127.0.0.1:7300'],
    bodyLimitBytes: 65_536,
    graphql: { maxDepth: 8, maxComplexity: 500, maxAliases: 15, maxBatch: 10, ...graphql },
    webRoot: env.webRoot,
    ...rest,
  };
}
