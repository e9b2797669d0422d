import { pino, type Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';

/** Security-relevant events; the closed list keeps dashboards and alert rules in step with the code. */
export type AuditEvent =
  | 'auth.login'
  | 'auth.failure'
  | 'auth.lockout'
  | 'auth.logout'
  | 'auth.refresh'
  | 'auth.token_rejected'
  | 'authz.denied'
  | 'ratelimit.hit'
  | 'admin.action';

export interface AuditLog {
  record(event: AuditEvent, fields: Record<string, unknown>): void;
  flush(): Promise<void>;
}

/**
 * Structured JSON lines, one per event, in a file of its own (apart from the service's debug log) so
 * a detector can tail it; each event also counts in audit_events_total for Prometheus alerts.
 */
export function createAuditLog(file: string, base: { service: string; instance: string }, registry: Registry): AuditLog {
  const logger: Logger = pino(
    { base, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg', formatters: { level: () => ({}) } },
    pino.destination({ dest: file, mkdir: true, sync: false }),
  );
  const counter = new Counter({ name: 'audit_events_total', help: 'Audit events recorded, by event', labelNames: ['event'], registers: [registry] });
  return {
    record(event, fields) {
      counter.inc({ event });
      logger.info({ event, ...fields });
    },
    flush: () => new Promise((resolve) => logger.flush(() => resolve())),
  };
}
