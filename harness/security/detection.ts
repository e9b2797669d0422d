import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firingAlerts, type AlertFiring } from '../metrics/prometheus-alerts.ts';
import { PrometheusClient, type RangeSeries } from '../metrics/prometheus-client.ts';
import type { DetectionRecord, SecurityCheckRecord } from '../result/summary-model.ts';

/** The audit events that mean "the platform noticed", per attack class. */
export const DETECTION_EVENTS: Readonly<Record<string, readonly string[]>> = {
  authentication: ['auth.failure', 'auth.token_rejected', 'auth.lockout', 'ratelimit.hit'],
  authorization: ['authz.denied'],
  'rate-limiting': ['ratelimit.hit'],
  graphql: ['graphql.rejected', 'ratelimit.hit'],
  injection: ['request.rejected', 'route.probe'],
  ssrf: ['ssrf.blocked'],
  misconfiguration: ['request.rejected', 'route.probe'],
  exposure: ['route.probe', 'authz.denied', 'request.rejected'],
  inventory: ['route.probe'],
};

export interface DetectionSources {
  readonly prometheus?: string;
  readonly auditDir?: string;
}

/** One line of a service's audit log: its event, ms from the run's origin. */
export interface AuditLine {
  readonly ms: number;
  readonly event: string;
}

/** What the platform left behind that detection reads (times in ms from the run's origin). */
export interface DetectionObservations {
  /** Every audit line of every service instance, in time order. */
  readonly audit: readonly AuditLine[];
  /** The detection alerts (slo="detection") that fired; null: no alert source is configured, so time to detect is not measured. */
  readonly alerts: readonly Pick<AlertFiring, 'name' | 'startMs'>[] | null;
  /** Per attack class: the first second after its first attack at which one of its events increased in audit_events_total, or null. */
  readonly metricMs: ReadonlyMap<string, number | null>;
}

/** Every audit line of every service instance, times in ms from `origin`. */
function readAudit(dir: string, origin: number): AuditLine[] {
  const out: AuditLine[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return out;
  }
  for (const f of files) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const o = JSON.parse(line) as { time?: string; event?: string };
        if (o.time && o.event) out.push({ ms: Date.parse(o.time) - origin, event: o.event });
      } catch {
        /* a line being written */
      }
    }
  }
  return out.sort((a, b) => a.ms - b.ms);
}

/** First second (ms from origin) at which one of `events` increased in audit_events_total, per Prometheus. */
async function firstMetricIncrease(
  prom: PrometheusClient,
  events: readonly string[],
  fromEpochMs: number,
  toEpochMs: number,
  origin: number,
): Promise<number | null> {
  const re = events.map((e) => e.replace(/\./g, '\\\\.')).join('|');
  const series = await prom.range(
    `sum(increase(audit_events_total{event=~"${re}"}[${METRIC_WINDOW_SEC}s]))`,
    Math.floor(fromEpochMs / 1000),
    Math.ceil(toEpochMs / 1000),
    1,
  );
  return firstIncrease(series, fromEpochMs, origin);
}

/** The window of the increase() whose first positive point after an attack is the metric's reaction. */
export const METRIC_WINDOW_SEC = 5;

/** The first point (ms from the origin) of a `sum(increase(...[5s]))` range answer that is positive, from the second `fromEpochMs` falls in; or null. */
export function firstIncrease(series: readonly RangeSeries[], fromEpochMs: number, origin: number): number | null {
  for (const [t, v] of series[0]?.values ?? []) if (v > 0 && t * 1000 >= fromEpochMs - 1000) return t * 1000 - origin;
  return null;
}

/** Each attacked class with its first attack (ms from the origin), earliest first: classes run in turn. */
export function firstAttacks(records: readonly SecurityCheckRecord[]): (readonly [attackClass: string, firstAttackMs: number])[] {
  const attacked = records.filter((r) => r.verdict !== 'not-applicable');
  const classes = [...new Set(attacked.map((r) => r.attackClass))];
  return classes.map((c) => [c, Math.min(...attacked.filter((r) => r.attackClass === c).map((r) => r.startedMs))] as const).sort((a, b) => a[1] - b[1]);
}

/**
 * Whether the platform noticed each class of attack the checks made, and how fast: from the class's
 * first attack request to its first audit line, to a security metric moving in Prometheus, and to
 * the first detection alert that started firing after it. Alerts are credited to the class whose
 * attack came last before they started (classes run in turn). No I/O: measureDetection reads the
 * observations from the platform; the sample summaries simulate them.
 */
export function detectionFrom(records: readonly SecurityCheckRecord[], obs: DetectionObservations, budgetMs: number): DetectionRecord[] {
  const starts = firstAttacks(records);
  const alerts = obs.alerts ?? [];
  return starts.map(([cls, first]) => {
    const events = DETECTION_EVENTS[cls] ?? [];
    const seen = obs.audit.filter((l) => l.ms >= first - 50 && events.includes(l.event));
    // The next class's first attack bounds what this class can be credited with.
    const next = starts.find(([, t]) => t > first)?.[1] ?? Infinity;
    const alert = alerts.find((a) => a.startMs >= first && a.startMs < Math.max(next, first + budgetMs) && events.some((e) => alertCovers(a.name, e)));
    const alertMs = alert?.startMs ?? null;
    const timeToDetectMs = alertMs === null ? null : alertMs - first;
    return {
      attackClass: cls,
      firstAttackMs: first,
      auditMs: seen[0]?.ms ?? null,
      auditEvents: [...new Set(seen.map((l) => l.event))],
      metricMs: obs.metricMs.get(cls) ?? null,
      alertMs,
      alertName: alert?.name ?? null,
      timeToDetectMs,
      budgetMs,
      ok: timeToDetectMs !== null && timeToDetectMs <= budgetMs,
      ...(obs.alerts === null ? { notMeasured: NO_ALERT_SOURCE } : {}),
    };
  });
}

/** Why time to detect was not measured when the profile names no alert source. */
export const NO_ALERT_SOURCE = 'no alert source: the profile sets no detection.prometheus, so no alert could be seen';

/** Detection of the checks' attacks, from the audit logs in `sources.auditDir` and Prometheus (detectionFrom). */
export async function measureDetection(
  records: readonly SecurityCheckRecord[],
  sources: DetectionSources,
  origin: number,
  budgetMs: number,
  nowMs = Date.now(),
): Promise<DetectionRecord[]> {
  const audit = sources.auditDir ? readAudit(sources.auditDir, origin) : [];
  const prom = sources.prometheus ? new PrometheusClient(sources.prometheus) : undefined;
  let alerts: AlertFiring[] | null = null;
  if (sources.prometheus)
    alerts = (await firingAlerts(sources.prometheus, origin, nowMs, origin).catch(() => [])).filter((a) => a.labels['slo'] === 'detection');
  const metricMs = new Map<string, number | null>();
  for (const [cls, first] of firstAttacks(records))
    metricMs.set(cls, prom ? await firstMetricIncrease(prom, DETECTION_EVENTS[cls] ?? [], origin + first, nowMs, origin).catch(() => null) : null);
  return detectionFrom(records, { audit, alerts, metricMs }, budgetMs);
}

/** Whether an alert is about one of an attack class's events. */
export function alertCoversClass(alert: string, attackClass: string): boolean {
  return (DETECTION_EVENTS[attackClass] ?? []).some((e) => alertCovers(alert, e));
}

/** Detection alerts firing right now (names), or [] when Prometheus cannot say. */
export async function detectionAlertsFiring(prometheusUrl: string, withinMs = 0): Promise<string[]> {
  const selector = 'ALERTS{alertstate="firing",slo="detection"}';
  // With a window: every alert that fired at any evaluation in it, not only the ones firing now.
  const query = withinMs > 0 ? `max_over_time(${selector}[${Math.ceil(withinMs / 1000)}s])` : selector;
  const now = await new PrometheusClient(prometheusUrl, 5_000).instant(query, Date.now() / 1000).catch(() => []);
  return [...new Set(now.map((x) => x.labels['alertname'] ?? ''))];
}

/** Which audit events an alert is about, from its name (the platform's rules name them so). */
function alertCovers(alert: string, event: string): boolean {
  const words: Readonly<Record<string, readonly string[]>> = {
    'auth.failure': ['AuthFailure', 'Lockout'],
    'auth.token_rejected': ['AuthFailure', 'Token'],
    'auth.lockout': ['Lockout', 'AuthFailure'],
    'ratelimit.hit': ['RateLimit'],
    'authz.denied': ['Authz'],
    'request.rejected': ['RequestRejected', 'BadRequest'],
    'graphql.rejected': ['Graphql', 'GraphQL'],
    'ssrf.blocked': ['Ssrf', 'SSRF'],
    'route.probe': ['RouteProbe', 'Probe', 'Scan'],
  };
  return (words[event] ?? []).some((w) => alert.includes(w));
}
