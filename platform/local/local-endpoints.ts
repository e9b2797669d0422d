import { HOST, PG_APP_USER, PG_DATABASE } from './plan-context.ts';
import type { PortMap } from './ports.ts';
import type { PlatformEndpoints } from './supervisor-state.ts';

/** Where the platform's files are that the harness reads besides its ports. */
export type EndpointFiles = Pick<PlatformEndpoints, 'harnessTls' | 'auditDir' | 'logDir'>;

/** The local platform's endpoints on `ports`: what the supervisor writes into its state and the sample reports read. */
export function localEndpoints(p: PortMap, files: EndpointFiles, meshPlaintext: boolean): PlatformEndpoints {
  const http = (port: number): string => `http://${HOST}:${port}`;
  return {
    edge: http(p.edge),
    edgeStats: http(p.edgeStats),
    prometheus: http(p.prometheus),
    toxiproxy: http(p.toxiproxy),
    supervisor: http(p.supervisor),
    gateways: p.gateways.map(http),
    auth: `https://${HOST}:${p.auth}`,
    catalog: `https://${HOST}:${p.catalog}`,
    ...(meshPlaintext ? { authPlaintext: http(p.authPlaintext), catalogPlaintext: http(p.catalogPlaintext) } : {}),
    postgres: { host: HOST, port: p.postgres, database: PG_DATABASE, user: PG_APP_USER },
    redis: { nodes: p.redis.map((port) => ({ host: HOST, port })) },
    ...files,
  };
}
