import { randomUUID } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import type { FastifyInstance } from 'fastify';
import type { Cluster } from 'ioredis';
import { Agent, request } from 'undici';
import type { AuditLog } from '../../shared/audit-log.ts';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';
import { ApiError, sendApiError } from '../api-error.ts';
import { auditFields } from '../audit-fields.ts';
import type { AuthHooks } from '../authenticate.ts';
import type { AuthUser } from '../jwt-verifier.ts';
import { checkWebhookUrl, resolveAll, type Resolve } from '../webhook-url-policy.ts';
import { noQuery } from './schemas.ts';

const PING_TIMEOUT_MS = 3_000;
/** Registrations outlive a session but not the platform's run. */
const WEBHOOK_TTL_SEC = 7 * 24 * 3600;

const webhookBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: { url: { type: 'string', minLength: 1, maxLength: 2048 } },
} as const;

export interface PingResult {
  /** The receiver's status code, or null when it could not be reached. */
  readonly status: number | null;
  readonly error?: string;
}

const pingBody = (id: string): string => JSON.stringify({ event: 'webhook.ping', webhookId: id, at: new Date().toISOString() });
const pingHeaders = { 'content-type': 'application/json', 'user-agent': 'crucible-webhooks/1' };

/**
 * Connects to the address the policy checked, whatever the name resolves to by then (so DNS
 * rebinding cannot swap it), and follows no redirect: a 3xx is the answer, not a new request.
 */
export async function pingPinned(url: URL, address: string, family: 4 | 6, id: string): Promise<PingResult> {
  const pinned = (_host: string, opts: { all?: boolean }, cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void): void =>
    opts.all ? cb(null, [{ address, family }]) : cb(null, address, family);
  const agent = new Agent({ connect: { lookup: pinned, timeout: PING_TIMEOUT_MS } as object });
  try {
    const res = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: pingHeaders,
      body: pingBody(id),
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
    await res.body.dump();
    return { status: res.statusCode };
  } catch (err) {
    return { status: null, error: (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  } finally {
    await agent.close();
  }
}

/** The ssrf-open switch: fetch as given, any scheme fetch speaks, any host and port, redirects followed. */
async function pingAnything(raw: string, id: string): Promise<PingResult> {
  try {
    const res = await fetch(raw, {
      method: 'POST',
      headers: pingHeaders,
      body: pingBody(id),
      redirect: 'follow',
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { status: res.status };
  } catch (err) {
    return { status: null, error: (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
}

/**
 * POST /api/webhooks { url }: registers the caller's order-notification webhook (kept in Redis,
 * one per user, shared by the replicas) and calls it once with a test ping. Only https URLs whose
 * host resolves to public addresses are accepted (webhook-url-policy.ts); anything else is a 400
 * url_not_allowed, audited as ssrf.blocked, and nothing is fetched.
 */
export function registerWebhookRoutes(
  app: FastifyInstance,
  deps: { hooks: AuthHooks; audit: AuditLog; redis: Cluster; vulnerable: ReadonlySet<VulnerableSwitch>; resolve?: Resolve },
): void {
  const { hooks, audit, redis } = deps;
  const open = deps.vulnerable.has('ssrf-open');
  const resolve = deps.resolve ?? resolveAll;

  app.post<{ Body: { url: string } }>(
    '/api/webhooks',
    { preValidation: hooks.requireUser, schema: { querystring: noQuery, body: webhookBody } },
    async (request, reply) => {
      const user = request.user as AuthUser;
      const { url } = request.body;
      const id = randomUUID();
      let ping: PingResult;
      if (open) {
        ping = await pingAnything(url, id);
      } else {
        const verdict = await checkWebhookUrl(url, resolve);
        if (!verdict.allowed) {
          audit.record('ssrf.blocked', { ...auditFields(request), reason: verdict.reason, url: url.slice(0, 300) });
          return sendApiError(reply, new ApiError(400, 'url_not_allowed', 'webhook URLs must be https and reach a public address'));
        }
        ping = await pingPinned(verdict.url, verdict.address, verdict.family, id);
      }
      const webhook = { id, url, createdAt: new Date().toISOString() };
      await redis.set(`webhook:${user.id}`, JSON.stringify(webhook), 'EX', WEBHOOK_TTL_SEC);
      return reply.code(201).send({ ...webhook, ping });
    },
  );
}
