import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessComponent } from '../component-spec.ts';
import { HOST, type PlanContext } from '../plan-context.ts';

/** Prometheus scrapes at 1 s so a later issue can measure time to detect with second resolution. */
function prometheusConfig(ctx: PlanContext): object {
  const p = ctx.ports;
  const tlsFor = (serverName: string): object => ({
    ca_file: ctx.ca.caFile,
    cert_file: ctx.ca.identities.prometheus.certFile,
    key_file: ctx.ca.identities.prometheus.keyFile,
    server_name: serverName,
  });
  return {
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s', external_labels: { platform: `local-${ctx.opts.portBase}` } },
    rule_files: [join(ctx.projectRoot, 'platform', 'prometheus', 'rules.yml')],
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [`${HOST}:${p.prometheus}`] }] },
      { job_name: 'gateway', static_configs: p.gateways.map((port, i) => ({ targets: [`${HOST}:${port}`], labels: { replica: `gateway-${i + 1}` } })) },
      { job_name: 'auth', scheme: 'https', tls_config: tlsFor('auth'), static_configs: [{ targets: [`${HOST}:${p.auth}`], labels: { replica: 'auth-1' } }] },
      {
        job_name: 'catalog',
        scheme: 'https',
        tls_config: tlsFor('catalog'),
        static_configs: [{ targets: [`${HOST}:${p.catalog}`], labels: { replica: 'catalog-1' } }],
      },
      { job_name: 'toxiproxy', static_configs: [{ targets: [`${HOST}:${p.toxiproxy}`] }] },
      { job_name: 'edge', static_configs: [{ targets: [`${HOST}:${p.edgeStats}`] }] },
    ],
  };
}

export function prometheusComponent(ctx: PlanContext): ProcessComponent {
  const file = join(ctx.configDir, 'prometheus.yml');
  const tsdb = join(ctx.dataDir, 'prometheus');
  const url = `http://${HOST}:${ctx.ports.prometheus}`;
  return {
    type: 'process',
    name: 'prometheus',
    group: 'observability',
    dependsOn: [],
    command: ctx.tools.prometheus,
    args: [
      `--config.file=${file}`,
      `--storage.tsdb.path=${tsdb}`,
      `--web.listen-address=${HOST}:${ctx.ports.prometheus}`,
      '--storage.tsdb.retention.time=2d',
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    prepare: async () => {
      mkdirSync(tsdb, { recursive: true });
      // JSON is YAML: no YAML library needed to write Prometheus' config.
      writeFileSync(file, JSON.stringify(prometheusConfig(ctx), null, 2));
    },
    ready: { kind: 'http', url: `${url}/-/ready` },
    ports: { http: ctx.ports.prometheus },
    urls: { http: url },
  };
}
