import type { RequestTemplate } from '../target-profile.ts';
import { answerKind, isRefused } from './answer-kind.ts';

/** What the protected probe's answer says of the credential sent with it. */
export type ProbeAnswer = 'accepted' | 'refused' | 'unclear';

/** A probe whose body carries a GraphQL `query`: its 200 answers are read from the body. */
const isGraphql = (probe: RequestTemplate): boolean =>
  probe.body !== null && typeof probe.body === 'object' && typeof (probe.body as { query?: unknown }).query === 'string';

/** Data that holds something: not null, and (an object) with at least one field that is not null. */
const holdsData = (data: unknown): boolean =>
  data !== null && data !== undefined && (typeof data !== 'object' || Object.values(data).some((v) => v !== null && v !== undefined));

/**
 * The protected probe's reading of a credential, over REST or GraphQL. REST: 2xx accepted, a 4xx
 * other than 429 refused. GraphQL servers answer 200 to a refused caller too, so a 2xx answer to a
 * GraphQL probe is accepted only when it has no errors and its data holds something; errors or null
 * data count as refused. Anything else (a 5xx, a 429, no answer, a redirect) is unclear.
 */
export function probeAnswer(probe: RequestTemplate, reply: { readonly status: number; json(): unknown }): ProbeAnswer {
  if (isRefused(reply.status, 'credential')) return 'refused';
  if (answerKind(reply.status) !== 'accepted') return 'unclear';
  if (!isGraphql(probe)) return 'accepted';
  const body = reply.json() as { data?: unknown; errors?: unknown } | undefined;
  if (body === undefined || typeof body !== 'object') return 'unclear';
  if (Array.isArray(body.errors) && body.errors.length > 0) return 'refused';
  return holdsData(body.data) ? 'accepted' : 'refused';
}
