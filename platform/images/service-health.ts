/**
 * The HEALTHCHECK of the gateway, auth and catalog images: GET /healthz on the port of the instance's
 * config (CRUCIBLE_SERVICE_CONFIG), exit 0 when it answers. Auth and catalog serve mutual TLS only;
 * the check presents the instance's own certificate, which the mesh policy does not list as a caller,
 * so a live service answers 403 there: any answer over a verified TLS handshake proves the listener,
 * the certificates and the app are up (liveness; readiness is /readyz, which the targets ask).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ServiceConfig } from '../services/shared/service-config.ts';

const file = process.env['CRUCIBLE_SERVICE_CONFIG'] ?? '/etc/crucible/service.json';
const config = JSON.parse(readFileSync(file, 'utf8')) as ServiceConfig;
const plain = config.service === 'gateway';
const options = {
  host: '127.0.0.1',
  port: config.port,
  path: '/healthz',
  timeout: 2_500,
  ...(plain
    ? {}
    : {
        ca: readFileSync(config.tls.caFile),
        cert: readFileSync(config.tls.certFile),
        key: readFileSync(config.tls.keyFile),
        servername: config.service,
      }),
};
const healthy = (status: number | undefined): boolean => status === 200 || (!plain && status === 403);
const req = (plain ? httpRequest : httpsRequest)(options, (res) => {
  res.resume();
  process.exitCode = healthy(res.statusCode) ? 0 : 1;
  if (process.exitCode !== 0) console.error(`GET /healthz answered ${res.statusCode}`);
});
req.on('timeout', () => req.destroy(new Error('no answer within 2.5 s')));
req.on('error', (err) => {
  console.error(`GET /healthz on port ${config.port}: ${err.message}`);
  process.exitCode = 1;
});
req.end();
