import { createServer } from 'node:net';
import { referenceProfile } from '../../harness/security/reference-profile.ts';
import type { TargetProfile } from '../../harness/security/target-profile.ts';
import type { PlatformState } from '../../platform/local/supervisor-state.ts';

/** A loopback port nothing listens on (it was free a moment ago): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A profile with only what every profile must give (name, base URL, login and users), for a target where nothing listens. */
export function bareProfile(): TargetProfile {
  return {
    name: 'bare',
    baseUrl: 'http://127.0.0.1:9',
    auth: {
      login: { path: '/login' },
      users: { userA: { username: 'a', password: 'a' }, userB: { username: 'b', password: 'b' }, admin: { username: 'c', password: 'c' } },
    },
  };
}

/** The reference profile of a platform whose every port is `port`, where nothing listens. */
export function profileAt(port: number, gatewayReplicas = 2): TargetProfile {
  const url = `http://127.0.0.1:${port}`;
  const endpoints = {
    edge: url,
    edgeStats: url,
    prometheus: url,
    toxiproxy: url,
    supervisor: url,
    gateways: Array.from({ length: gatewayReplicas }, () => url),
    auth: `https://127.0.0.1:${port}`,
    catalog: `https://127.0.0.1:${port}`,
    postgres: { host: '127.0.0.1', port, database: 'crucible', user: 'crucible' },
    redis: { nodes: [{ host: '127.0.0.1', port }] },
    harnessTls: { caFile: '', certFile: '', keyFile: '' },
    auditDir: '/nonexistent',
    logDir: '/nonexistent',
  };
  return referenceProfile({ endpoints } as unknown as PlatformState);
}
