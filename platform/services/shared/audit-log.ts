import { mkdirSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { Counter, type Registry } from 'prom-client';

/** Security-relevant events; the closed list keeps dashboards and alert rules in step with the code. */
const AUDIT_EVENTS = [
  'auth.login',
  'auth.failure',
  'auth.lockout',
  'auth.logout',
  'auth.refresh',
  'auth.token_rejected',
  'authz.denied',
  'ratelimit.hit',
  'admin.action',
  /** A request refused for its shape: schema validation, malformed or oversized body (gateway). */
  'request.rejected',
  /** A GraphQL document refused by a limit: depth, complexity, aliases, batch size, introspection. */
  'graphql.rejected',
  /** A URL the platform was asked to fetch and refused (loopback, private, metadata, not https). */
  'ssrf.blocked',
  /** A request for a well-known sensitive path that is not served (/.env, /debug/..., /api/v0/..., traversal). */
  'route.probe',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditLog {
  record(event: AuditEvent, fields: Record<string, unknown>): void;
  /** Resolves once every line recorded so far is in the file. */
  flush(): Promise<void>;
}

/**
 * Structured JSON lines, one per event, in a file of its own (apart from the service's debug log) so
 * a detector can tail it; each event also counts in audit_events_total for Prometheus alerts.
 * Written directly rather than through pino: the line format is the contract, and nothing else
 * (level numbers, pid, hostname) belongs in it.
 */
export function createAuditLog(file: string, base: { service: string; instance: string }, registry: Registry): AuditLog {
  mkdirSync(dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'a' });
  stream.on('error', () => {}); // a full disk must not take the service down; the counter still counts
  const counter = new Counter({ name: 'audit_events_total', help: 'Audit events recorded, by event', labelNames: ['event'], registers: [registry] });
  // Every series exists from the start at 0: increase() cannot see a counter's first value, so an
  // alert on the first events of a kind would otherwise miss them.
  for (const event of AUDIT_EVENTS) counter.inc({ event }, 0);
  let last: Promise<void> = Promise.resolve();
  return {
    record(event, fields) {
      counter.inc({ event });
      const line = `${JSON.stringify({ time: new Date().toISOString(), service: base.service, instance: base.instance, event, ...fields })}\n`;
      last = new Promise((resolve) => stream.write(line, () => resolve()));
    },
    flush: () => last,
  };
}
