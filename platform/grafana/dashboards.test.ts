// The Grafana dashboards checked without a Grafana: the files are what the generator makes, they carry
// what Grafana needs to load them, every query parses under promtool and selects only series the
// platform exports (or its recording rules define), the SLO panels' thresholds are the roadmap's,
// and the kustomization provisions each one as a ConfigMap for Grafana's dashboard sidecar.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { parse } from 'yaml';
import { cacheHitRatio, gatewayErrorRatio, gatewayP95Seconds } from '../../harness/metrics/platform-queries.ts';
import { ROADMAP } from '../../harness/result/roadmap.ts';
import { findTool } from '../../harness/tools/find-tool.ts';
import { createCatalogMetrics } from '../services/catalog/catalog-metrics.ts';
import { createGatewayMetrics } from '../services/gateway/gateway-metrics.ts';
import { createRegistry, registerHttpMetrics } from '../services/shared/http-metrics.ts';
import { promqlMetricNames } from './promql-metric-names.ts';
import { DASHBOARD_DIR, DASHBOARD_FILES, dashboardFileContent } from './write-dashboards.ts';

const run = promisify(execFile);
const K8S_BASE = join(DASHBOARD_DIR, '..');

interface JsonTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface JsonPanel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: JsonTarget[];
  fieldConfig?: { defaults?: { thresholds?: { steps?: { color: string; value: number | null }[] } } };
}
interface JsonDashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  templating?: { list?: { name?: string; type?: string; query?: string }[] };
  annotations?: { list?: { name?: string; expr?: string; builtIn?: number; datasource?: { type?: string; uid?: string } }[] };
  panels?: JsonPanel[];
}

const readDashboard = (file: string): JsonDashboard => JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as JsonDashboard;
const dashboards = Object.keys(DASHBOARD_FILES).map((file) => ({ file, d: readDashboard(file) }));

/** Every PromQL expression of a dashboard, named by where it is. */
function expressions(file: string, d: JsonDashboard): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const p of d.panels ?? []) for (const t of p.targets ?? []) out.push({ where: `${file} panel ${p.id} "${p.title}" ${t.refId}`, expr: t.expr ?? '' });
  for (const a of d.annotations?.list ?? []) if (a.builtIn !== 1) out.push({ where: `${file} annotation "${a.name}"`, expr: a.expr ?? '' });
  return out;
}

/** Grafana's variables a query may use, replaced by a range promtool accepts; any other `$` is refused. */
const GRAFANA_RANGES = /\$__(rate_interval|range|interval)\b/g;
const withoutGrafanaVariables = (expr: string): string => expr.replace(GRAFANA_RANGES, '1m');

/** `promtool check rules` on every expression as a recording rule: Prometheus' own parser. */
async function promtoolCheck(promtool: string, dir: string, exprs: readonly { expr: string }[]): Promise<{ ok: boolean; output: string }> {
  const rules = { groups: [{ name: 'dashboards', rules: exprs.map((e, i) => ({ record: `dashboard:expr_${i}`, expr: withoutGrafanaVariables(e.expr) })) }] };
  const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(file, JSON.stringify(rules));
  return run(promtool, ['check', 'rules', file]).then(
    (r) => ({ ok: true, output: r.stdout }),
    (err: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
  );
}

/** The series the services export (their prom-client registries, with each histogram's series), their recording rules, and Prometheus' own. */
async function knownMetricNames(): Promise<Set<string>> {
  const registry = createRegistry('gateway', 'gateway-1');
  createGatewayMetrics(registry);
  createCatalogMetrics(registry);
  const app = Fastify();
  registerHttpMetrics(app, registry);
  await app.close();
  const names = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${m.name}${suffix}`);
  }
  const rules = parse(readFileSync(new URL('../prometheus/rules.yml', import.meta.url), 'utf8')) as { groups: { rules: { record?: string }[] }[] };
  for (const g of rules.groups) for (const r of g.rules) if (r.record) names.add(r.record);
  return names;
}

const unknownMetrics = (exprs: readonly { where: string; expr: string }[], known: ReadonlySet<string>): string[] =>
  exprs.flatMap(({ where, expr }) => promqlMetricNames(expr).flatMap((name) => (known.has(name) ? [] : [`${where}: ${name}`])));

describe('the Grafana dashboards (platform/k8s/base/grafana-dashboards)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crucible-dashboards-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are what the generator makes (regenerate: node platform/grafana/write-dashboards.ts)', () => {
    for (const [file, make] of Object.entries(DASHBOARD_FILES)) assert.equal(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), dashboardFileContent(make), file);
  });

  it('carry what Grafana needs: uid, title, schema version, a Prometheus datasource variable every query names, panels with unique ids on the grid', () => {
    const uids = new Set<string>();
    for (const { file, d } of dashboards) {
      assert.match(d.uid ?? '', /^[\w-]{1,40}$/, `${file}: uid`);
      assert.ok(!uids.has(d.uid ?? ''), `${file}: uid ${d.uid} is used twice`);
      uids.add(d.uid ?? '');
      assert.ok(d.title, `${file}: title`);
      assert.equal(d.schemaVersion, 39, file);
      assert.deepEqual(
        d.templating?.list?.filter((v) => v.name === 'datasource').map((v) => [v.type, v.query]),
        [['datasource', 'prometheus']],
        `${file}: a datasource variable of type prometheus`,
      );
      const panels = d.panels ?? [];
      assert.ok(panels.length > 0, file);
      assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, `${file}: panel ids are unique`);
      const cells = new Map<string, number | undefined>();
      for (const p of panels) {
        const g = p.gridPos;
        assert.ok(
          g && Number.isInteger(p.id) && g.w > 0 && g.h > 0 && g.x >= 0 && g.x + g.w <= 24 && g.y >= 0,
          `${file} panel ${p.id}: gridPos within 24 columns`,
        );
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            assert.ok(!cells.has(`${x},${y}`), `${file}: panel ${p.id} overlaps panel ${cells.get(`${x},${y}`)}`);
            cells.set(`${x},${y}`, p.id);
          }
        if (p.type === 'row') continue;
        assert.ok(p.title, `${file} panel ${p.id}: title`);
        assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, `${file} panel ${p.id}: datasource`);
        const targets = p.targets ?? [];
        assert.ok(targets.length > 0, `${file} panel ${p.id}: targets`);
        assert.equal(new Set(targets.map((t) => t.refId)).size, targets.length, `${file} panel ${p.id}: refIds are unique`);
        for (const t of targets) {
          assert.ok(t.expr && t.refId, `${file} panel ${p.id}: every target has a refId and an expr`);
          assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' }, `${file} panel ${p.id} ${t.refId}: datasource`);
        }
      }
      for (const a of d.annotations?.list ?? [])
        if (a.builtIn !== 1) assert.deepEqual(a.datasource, { type: 'prometheus', uid: '${datasource}' }, `${file} annotation ${a.name}: datasource`);
      assert.ok(
        (d.annotations?.list ?? []).some((a) => a.expr === 'ALERTS{alertstate="firing"}'),
        `${file}: the firing alerts are annotated`,
      );
    }
  });

  it("parse under Prometheus' own parser (promtool), and a broken expression is refused", async () => {
    const prometheus = findTool('prometheus');
    assert.ok(prometheus, 'prometheus is installed (npm run setup); promtool comes with it');
    const promtool = prometheus.replace(/prometheus$/, 'promtool');
    const all = dashboards.flatMap(({ file, d }) => expressions(file, d));
    for (const { where, expr } of all) assert.doesNotMatch(withoutGrafanaVariables(expr), /\$/, `${where}: a Grafana variable promtool cannot be given`);
    const checked = await promtoolCheck(promtool, dir, all);
    assert.ok(checked.ok, checked.output);
    assert.match(checked.output, new RegExp(`SUCCESS: ${all.length} rules found`));
    const broken = await promtoolCheck(promtool, dir, [{ expr: 'sum(rate(http_server_request_duration_seconds_count[$__rate_interval])' }]);
    assert.equal(broken.ok, false, 'an unclosed parenthesis is refused');
  });

  it('select only series the platform exports or its recording rules define, and a renamed metric is caught', async () => {
    const known = await knownMetricNames();
    const all = dashboards.flatMap(({ file, d }) => expressions(file, d));
    assert.deepEqual(unknownMetrics(all, known), []);
    const used = new Set(all.flatMap((e) => promqlMetricNames(e.expr)));
    for (const name of ['http_server_request_duration_seconds_bucket', 'gateway_cache_hits_total', 'ALERTS', 'up', 'process_resident_memory_bytes'])
      assert.ok(used.has(name), `the dashboards use ${name} (the name reading works)`);
    const renamed = all.map((e) => ({ ...e, expr: e.expr.replaceAll('gateway_cache_hits_total', 'gateway_cache_hit_total') }));
    assert.ok(
      unknownMetrics(renamed, known).some((u) => u.endsWith(': gateway_cache_hit_total')),
      'a renamed metric is reported',
    );
  });

  it('reads metric names out of PromQL: not functions, keywords, labels, strings or durations', () => {
    assert.deepEqual(promqlMetricNames('histogram_quantile(0.95, sum by (le, job) (rate(a_bucket{route!~"/x|y:z",b="c"}[5m] offset 1m)))'), ['a_bucket']);
    assert.deepEqual(promqlMetricNames('sum(rate(x_total[1m])) / on (job) group_left (instance) y:rule:rate30s > bool 1e3'), ['x_total', 'y:rule:rate30s']);
    assert.deepEqual(promqlMetricNames('time() - process_start_time_seconds{job=~"a|b"} < 60 or vector(0)'), ['process_start_time_seconds']);
  });

  it("put the roadmap's limits (harness/result/roadmap.ts) on the SLO panels, the colour turning where the limit is", () => {
    const slos = [
      {
        name: 'p95',
        queries: [gatewayP95Seconds('$__range', { over: 'increase' }), gatewayP95Seconds('$__rate_interval')],
        limit: ROADMAP.p95Ms / 1000,
        above: 'red',
      },
      {
        name: 'error rate',
        queries: [gatewayErrorRatio('$__range', { over: 'increase' }), gatewayErrorRatio('$__rate_interval')],
        limit: ROADMAP.errorRate,
        above: 'red',
      },
      {
        name: 'cache hit rate',
        queries: [cacheHitRatio('$__range', { over: 'increase' }), cacheHitRatio('$__rate_interval')],
        limit: ROADMAP.cacheHitRate,
        above: 'green',
      },
      { name: 'availability', queries: [`1 - (${gatewayErrorRatio('$__range', { over: 'increase' })})`], limit: ROADMAP.availability, above: 'green' },
    ];
    for (const { file, d } of dashboards)
      for (const slo of slos)
        for (const query of slo.queries) {
          const panels = (d.panels ?? []).filter((p) => p.targets?.some((t) => t.expr === query));
          assert.ok(panels.length > 0, `${file}: a panel shows the ${slo.name} as the harness asks it: ${query}`);
          for (const p of panels) {
            const steps = p.fieldConfig?.defaults?.thresholds?.steps ?? [];
            assert.deepEqual(
              steps.map((s) => s.value),
              [null, slo.limit],
              `${file} panel ${p.id} "${p.title}": the ${slo.name} threshold is the roadmap's ${slo.limit}`,
            );
            assert.equal(steps[1]?.color, slo.above, `${file} panel ${p.id}: ${slo.above} from the limit on`);
          }
        }
  });

  it('are provisioned as ConfigMaps for the Grafana sidecar by the base kustomization', () => {
    const base = parse(readFileSync(join(K8S_BASE, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    assert.ok(base.resources.includes('grafana-dashboards'), 'platform/k8s/base includes grafana-dashboards');
    const k = parse(readFileSync(join(DASHBOARD_DIR, 'kustomization.yaml'), 'utf8')) as {
      configMapGenerator: { name: string; files: string[]; options?: { disableNameSuffixHash?: boolean; labels?: Record<string, string> } }[];
    };
    const provisioned = k.configMapGenerator.flatMap((g) => g.files);
    assert.deepEqual(provisioned.sort(), Object.keys(DASHBOARD_FILES).sort(), 'every dashboard file is in a ConfigMap, and only they');
    for (const g of k.configMapGenerator) {
      assert.deepEqual(g.options?.labels, { grafana_dashboard: '1' }, `${g.name}: the sidecar's label`);
      assert.equal(g.options?.disableNameSuffixHash, true, `${g.name}: a stable name`);
      for (const f of g.files) assert.match(f, /^[\w-]+\.json$/, `${g.name}: the data key is the file name, ending in .json`);
    }
  });
});
