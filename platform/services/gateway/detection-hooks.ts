import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog } from '../shared/audit-log.ts';
import { auditFields } from './audit-fields.ts';

/**
 * Paths scanners try first: secrets files, IDEs, debug and admin consoles, old API versions,
 * internals. The platform serves none of them, so a request for one is reconnaissance.
 */
const SENSITIVE_PATH =
  /^\/(?:\.env|\.git|\.aws|\.ssh|\.htaccess|\.DS_Store|graphiql|playground|altair|voyager|debug|internal|admin|administrator|actuator|server-status|phpinfo|wp-admin|wp-login|console|swagger|api-docs|config\.json|backup|api\/v0|api\/v1|api\/internal|api\/admin)(?:[/.?#]|$)/i;

function decodedPath(request: FastifyRequest): string {
  const raw = request.url.split('?')[0] ?? '';
  try {
    // Twice: %252e%252e is how traversal hides from one decoding step.
    return decodeURIComponent(decodeURIComponent(raw));
  } catch {
    return raw;
  }
}

const TRAVERSAL = /(?:^|[/\\])\.\.(?:[/\\]|$)/;

const MALFORMED: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_body',
};

/**
 * What the platform notices of attacks that are refused: requests refused for their shape
 * (request.rejected: schema failures, malformed or oversized bodies; fuzzing and injection
 * attempts end here) and probes of sensitive paths or traversal that found nothing (route.probe).
 * Both are audit events, so they count in audit_events_total and the security alerts.
 */
export function registerDetectionHooks(app: FastifyInstance, audit: AuditLog): void {
  app.addHook('onError', async (request, _reply, error: FastifyError) => {
    const reason = error.validation ? `invalid_${error.validationContext ?? 'request'}` : MALFORMED[error.code];
    if (!reason) return;
    audit.record('request.rejected', { ...auditFields(request), reason, detail: error.message.slice(0, 200) });
  });

  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    if (status < 400 || status >= 500) return;
    const path = decodedPath(request);
    const traversal = TRAVERSAL.test(path);
    if (!traversal && (status !== 404 || !SENSITIVE_PATH.test(path))) return;
    audit.record('route.probe', { ...auditFields(request), path: path.slice(0, 200), status, reason: traversal ? 'path_traversal' : 'sensitive_path' });
  });
}
