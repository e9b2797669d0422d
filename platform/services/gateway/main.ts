import { loadServiceConfig } from '../shared/service-config.ts';
import { runService } from '../shared/run-service.ts';
import { buildGatewayApp } from './app.ts';

// Plain HTTP on 127.0.0.1: only the edge (through the mesh) and Prometheus call a gateway replica.
const config = loadServiceConfig('gateway');
const app = await buildGatewayApp(config);
await runService(app, config);
