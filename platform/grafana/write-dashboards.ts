/**
 * Writes the Grafana dashboards into the kustomization that provisions them as ConfigMaps
 * (platform/k8s/base/grafana-dashboards/): `node platform/grafana/write-dashboards.ts`. A test
 * (dashboards.test.ts) fails when the files and the generator disagree, so regenerate after changing
 * a dashboard, the harness's queries (harness/metrics/platform-queries.ts) or the roadmap's limits.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dashboard } from './grafana-dashboard.ts';
import { sloDashboard } from './slo-dashboard.ts';

/** Each dashboard by the file name its ConfigMap key carries. */
export const DASHBOARD_FILES: Readonly<Record<string, () => Dashboard>> = {
  'crucible-slo.json': sloDashboard,
};

export const DASHBOARD_DIR = fileURLToPath(new URL('../k8s/base/grafana-dashboards/', import.meta.url));

/** The file's exact content: 2-space JSON, as Grafana exports a dashboard. */
export const dashboardFileContent = (make: () => Dashboard): string => `${JSON.stringify(make(), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, make] of Object.entries(DASHBOARD_FILES)) {
    writeFileSync(join(DASHBOARD_DIR, file), dashboardFileContent(make));
    console.log(`wrote platform/k8s/base/grafana-dashboards/${file}`);
  }
}
