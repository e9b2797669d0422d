import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import type { ComponentSpec } from './component-spec.ts';
import { edgeComponent } from './components/edge.ts';
import { postgresComponents } from './components/postgres.ts';
import { prometheusComponent } from './components/prometheus.ts';
import { redisClusterComponents } from './components/redis-cluster.ts';
import { authComponent, catalogComponent, gatewayComponents } from './components/services.ts';
import { toxiproxyComponent } from './components/toxiproxy.ts';
import { createLocalCa } from './local-ca.ts';
import type { ResolvedLocalOptions } from './local-options.ts';
import type { LocalTools, PlanContext } from './plan-context.ts';
import { portMap } from './ports.ts';

const secret = (): string => randomBytes(18).toString('base64url');

/** Where PostgreSQL lives: inside the run folder, unless we are root and it must be handed to the postgres user (whose access to a checkout under /root is not given). */
export function postgresDirFor(opts: ResolvedLocalOptions): string {
  return process.getuid?.() === 0 ? join(tmpdir(), `crucible-${opts.portBase}-postgres`) : join(opts.runDir, 'data', 'postgres');
}

/**
 * Makes the run's secrets, certificates and signing key, and the full component list. Everything is
 * new at every `up`: a platform starts from the same seeded state each time.
 */
export async function buildPlan(opts: ResolvedLocalOptions, tools: LocalTools, projectRoot: string): Promise<{ ctx: PlanContext; specs: ComponentSpec[] }> {
  const runDir = opts.runDir;
  const dirs = { configDir: join(runDir, 'config'), dataDir: join(runDir, 'data'), logDir: join(runDir, 'logs'), auditDir: join(runDir, 'logs', 'audit') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  chmodSync(dirs.configDir, 0o700);

  const secrets = { redisPassword: secret(), postgresSuperPassword: secret(), postgresAppPassword: secret() };
  writeFileSync(join(dirs.configDir, 'secrets.json'), JSON.stringify(secrets, null, 2), { mode: 0o600 });

  const ca = await createLocalCa(join(runDir, 'certs'), ['gateway', 'auth', 'catalog', 'prometheus', 'harness']);
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const privateKeyFile = join(dirs.configDir, 'jwt-signing-key.pem');
  writeFileSync(privateKeyFile, await exportPKCS8(privateKey), { mode: 0o600 });
  const kid = `crucible-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;

  const ctx: PlanContext = {
    opts,
    ports: portMap(opts.portBase, opts.gatewayReplicas),
    tools,
    projectRoot,
    runDir,
    ...dirs,
    secrets,
    ca,
    jwt: { privateKeyFile, kid },
    postgresDir: postgresDirFor(opts),
  };
  const specs: ComponentSpec[] = [
    toxiproxyComponent(ctx),
    prometheusComponent(ctx),
    ...redisClusterComponents(ctx),
    ...postgresComponents(ctx),
    authComponent(ctx),
    catalogComponent(ctx),
    ...gatewayComponents(ctx),
    edgeComponent(ctx),
  ];
  return { ctx, specs };
}
