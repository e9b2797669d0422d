/**
 * The platform's SLO dashboard: the roadmap's limits (harness/result/roadmap.ts) as thresholds on the
 * queries the reports ask (harness/metrics/platform-queries.ts), request rates, one line per replica,
 * the firing alerts, and annotations where a fault leaves a trace in Prometheus.
 *
 * Faults themselves write nothing Prometheus can see: Toxiproxy exports bytes per proxy, never its
 * toxics, and the harness pushes no series. So the annotations mark their effects: the alerts firing
 * (Prometheus' ALERTS series), a scrape failing (a process killed or paused, a node paused) and a
 * replica started (a killed process restarted, a killed pod replaced).
 */
import { ROADMAP } from '../../harness/result/roadmap.ts';
import {
  cacheHitRatio,
  FIRING_ALERTS,
  gatewayErrorRatio,
  gatewayP95Seconds,
  gatewayRequests,
  gatewayResponsesByStatus,
  SERVICE_RESIDENT_MEMORY,
} from '../../harness/metrics/platform-queries.ts';
import { dashboard, layOut, prometheusAnnotation, type Dashboard, type PanelSpec, type ThresholdStep } from './grafana-dashboard.ts';

/** Grafana's range variables: the step-aware rate window, and the whole time range shown (a report's run window). */
const RATE = '$__rate_interval';
const RANGE = '$__range';

/** The platform's scrape jobs (the same names on every target) and its services'. */
const SCRAPED = 'job=~"gateway|auth|catalog|edge|toxiproxy"';
const SERVICES = 'job=~"gateway|auth|catalog"';

/** A limit the value must stay below (p95, error rate): green under it, red from it on. */
const below = (limit: number): ThresholdStep[] => [
  { color: 'green', value: null },
  { color: 'red', value: limit },
];
/** A limit the value must stay at or above (cache hit rate, availability): red under it, green from it on. */
const atLeast = (limit: number): ThresholdStep[] => [
  { color: 'red', value: null },
  { color: 'green', value: limit },
];

/** The roadmap's limits in the units of the panels (seconds, ratios). */
export const SLO_THRESHOLDS = {
  p95: below(ROADMAP.p95Ms / 1000),
  errorRate: below(ROADMAP.errorRate),
  cacheHitRate: atLeast(ROADMAP.cacheHitRate),
  availability: atLeast(ROADMAP.availability),
} as const;

const thresholds = (steps: readonly ThresholdStep[]): { mode: 'absolute'; steps: readonly ThresholdStep[] } => ({ mode: 'absolute', steps });

function stat(title: string, description: string, expr: string, unit: string, steps: readonly ThresholdStep[]): PanelSpec {
  return {
    type: 'stat',
    title,
    description,
    w: 6,
    h: 5,
    queries: [{ expr, instant: true }],
    fieldConfig: { defaults: { unit, decimals: unit === 's' ? 3 : 2, thresholds: thresholds(steps), color: { mode: 'thresholds' } }, overrides: [] },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'none',
      textMode: 'value',
      justifyMode: 'auto',
      orientation: 'auto',
    },
  };
}

const LEGEND = { displayMode: 'list', placement: 'bottom', showLegend: true } as const;

function timeseries(
  title: string,
  description: string,
  queries: PanelSpec['queries'],
  unit: string,
  opts: { readonly steps?: readonly ThresholdStep[]; readonly w?: number; readonly max?: number } = {},
): PanelSpec {
  const steps = opts.steps ?? [{ color: 'green', value: null }];
  return {
    type: 'timeseries',
    title,
    description,
    w: opts.w ?? 12,
    h: 8,
    queries,
    fieldConfig: {
      defaults: {
        unit,
        min: 0,
        ...(opts.max !== undefined ? { max: opts.max } : {}),
        color: { mode: 'palette-classic' },
        thresholds: thresholds(steps),
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: 10,
          showPoints: 'never',
          spanNulls: false,
          thresholdsStyle: { mode: opts.steps ? 'line' : 'off' },
        },
      },
      overrides: [],
    },
    options: { legend: LEGEND, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

type Mapping = Readonly<Record<string, { readonly text: string; readonly color: string }>>;

function stateTimeline(title: string, description: string, expr: string, legend: string, mapping: Mapping): PanelSpec {
  const options = Object.fromEntries(Object.entries(mapping).map(([value, m], index) => [value, { ...m, index }]));
  return {
    type: 'state-timeline',
    title,
    description,
    w: 12,
    h: 8,
    queries: [{ expr, legend }],
    fieldConfig: {
      defaults: {
        color: { mode: 'thresholds' },
        thresholds: thresholds([{ color: 'transparent', value: null }]),
        mappings: [{ type: 'value', options }],
        custom: { fillOpacity: 80, lineWidth: 0 },
      },
      overrides: [],
    },
    options: { showValue: 'never', mergeValues: true, rowHeight: 0.9, alignValue: 'left', legend: LEGEND, tooltip: { mode: 'single', sort: 'none' } },
  };
}

const PER_REPLICA = { by: ['instance_name'] } as const;
const OVER_RANGE = { over: 'increase' } as const;

export function sloDashboard(): Dashboard {
  const panels = layOut([
    {
      row: 'SLOs over the time range shown (as a report computes them over its run window)',
      panels: [
        stat(
          'Gateway p95',
          `The gateway's own p95 from its histogram, traffic only. Roadmap: below ${ROADMAP.p95Ms} ms.`,
          gatewayP95Seconds(RANGE, OVER_RANGE),
          's',
          SLO_THRESHOLDS.p95,
        ),
        stat(
          'Gateway error rate',
          `5xx responses / all responses of the gateway, traffic only. Roadmap: below ${ROADMAP.errorRate * 100} %.`,
          gatewayErrorRatio(RANGE, OVER_RANGE),
          'percentunit',
          SLO_THRESHOLDS.errorRate,
        ),
        stat(
          'Product cache hit rate',
          `Product cache hits / (hits + misses). Roadmap: above ${ROADMAP.cacheHitRate * 100} %.`,
          cacheHitRatio(RANGE, OVER_RANGE),
          'percentunit',
          SLO_THRESHOLDS.cacheHitRate,
        ),
        stat(
          'Served without a 5xx',
          `1 - the error rate: the gateway's view of availability. A report's availability comes from its probes, which also count what never reached the gateway. Roadmap: at least ${ROADMAP.availability * 100} %.`,
          `1 - (${gatewayErrorRatio(RANGE, OVER_RANGE)})`,
          'percentunit',
          SLO_THRESHOLDS.availability,
        ),
      ],
    },
    {
      row: 'SLOs over time',
      panels: [
        timeseries('Gateway p95', `Roadmap: below ${ROADMAP.p95Ms} ms (the line).`, [{ expr: gatewayP95Seconds(RATE), legend: 'p95' }], 's', {
          steps: SLO_THRESHOLDS.p95,
        }),
        timeseries(
          'Gateway error rate',
          `5xx / all, traffic only. Roadmap: below ${ROADMAP.errorRate * 100} % (the line).`,
          [{ expr: gatewayErrorRatio(RATE), legend: 'errors' }],
          'percentunit',
          {
            steps: SLO_THRESHOLDS.errorRate,
          },
        ),
        timeseries(
          'Product cache hit rate',
          `Roadmap: above ${ROADMAP.cacheHitRate * 100} % (the line).`,
          [{ expr: cacheHitRatio(RATE), legend: 'hit rate' }],
          'percentunit',
          { steps: SLO_THRESHOLDS.cacheHitRate, max: 1 },
        ),
        timeseries(
          'Gateway requests by status',
          'Requests per second through the gateway, traffic only (no probes, no scrapes).',
          [{ expr: gatewayResponsesByStatus(RATE, { over: 'rate' }), legend: '{{status_code}}' }],
          'reqps',
        ),
      ],
    },
    {
      row: 'Per replica',
      panels: [
        timeseries(
          'Requests per gateway replica',
          'Traffic only: an uneven split shows the edge or the Service favouring a replica.',
          [{ expr: gatewayRequests(RATE, PER_REPLICA), legend: '{{instance_name}}' }],
          'reqps',
          { w: 8 },
        ),
        timeseries(
          'p95 per gateway replica',
          `Roadmap: below ${ROADMAP.p95Ms} ms (the line).`,
          [{ expr: gatewayP95Seconds(RATE, PER_REPLICA), legend: '{{instance_name}}' }],
          's',
          {
            w: 8,
            steps: SLO_THRESHOLDS.p95,
          },
        ),
        timeseries(
          'Product cache hit rate per gateway replica',
          `Roadmap: above ${ROADMAP.cacheHitRate * 100} % (the line).`,
          [{ expr: cacheHitRatio(RATE, PER_REPLICA), legend: '{{instance_name}}' }],
          'percentunit',
          { w: 8, steps: SLO_THRESHOLDS.cacheHitRate, max: 1 },
        ),
        timeseries(
          'Resident memory per replica',
          'Every service instance: a line that only grows over a soak is a leak.',
          [{ expr: SERVICE_RESIDENT_MEMORY, legend: '{{instance_name}}' }],
          'bytes',
        ),
        stateTimeline(
          'Scrape targets',
          'Every replica, the edge and Toxiproxy as Prometheus sees them: down while a scrape fails.',
          `up{${SCRAPED}}`,
          '{{job}} {{instance}}',
          {
            '0': { text: 'down', color: 'red' },
            '1': { text: 'up', color: 'green' },
          },
        ),
      ],
    },
    {
      row: 'Alerts and upstreams',
      panels: [
        stateTimeline('Firing alerts', "The platform's alert rules (platform/prometheus/rules.yml) while they fire.", FIRING_ALERTS, '{{alertname}}', {
          '1': { text: 'firing', color: 'red' },
        }),
        stateTimeline('Gateway circuits', 'The circuit breaker per upstream.', 'max by (upstream) (gateway_circuit_state)', '{{upstream}}', {
          '0': { text: 'closed', color: 'green' },
          '1': { text: 'open', color: 'red' },
          '2': { text: 'half-open', color: 'orange' },
        }),
        timeseries(
          'Upstream errors',
          'Failed attempts from the gateway to auth and catalog, and calls refused by an open circuit.',
          [{ expr: `sum by (upstream, reason) (rate(gateway_upstream_errors_total[${RATE}]))`, legend: '{{upstream}} {{reason}}' }],
          'reqps',
        ),
        timeseries(
          'Redis trouble seen by the gateway',
          'Cache reads that bypassed Redis, and rate-limit decisions kept in memory because Redis did not answer.',
          [
            { expr: `sum(rate(gateway_cache_errors_total[${RATE}]))`, legend: 'cache errors' },
            { expr: `sum(rate(gateway_rate_limit_fallbacks_total[${RATE}]))`, legend: 'rate-limit fallbacks' },
          ],
          'reqps',
        ),
      ],
    },
  ]);
  return dashboard({
    uid: 'crucible-slo',
    title: 'Crucible platform SLOs',
    description: "The reference platform's SLOs against the roadmap's limits, generated by platform/grafana/write-dashboards.ts.",
    tags: ['crucible', 'slo'],
    panels,
    annotations: [
      prometheusAnnotation({
        name: 'Alerts firing',
        iconColor: 'red',
        expr: FIRING_ALERTS,
        titleFormat: '{{alertname}}',
        textFormat: '{{severity}}, SLO {{slo}}',
        tagKeys: 'alertname,severity,slo',
      }),
      prometheusAnnotation({
        name: 'Scrape failed (a replica killed, paused or cut off)',
        iconColor: 'orange',
        expr: `up{${SCRAPED}} == 0`,
        titleFormat: '{{job}} {{instance}} down',
        textFormat: 'Prometheus could not scrape it',
        tagKeys: 'job',
      }),
      prometheusAnnotation({
        name: 'Replica started (a process restarted, a pod replaced)',
        iconColor: 'blue',
        expr: `time() - process_start_time_seconds{${SERVICES}} < 60`,
        titleFormat: '{{instance_name}} started',
        textFormat: 'its process started less than a minute before',
        tagKeys: 'job',
      }),
    ],
  });
}
