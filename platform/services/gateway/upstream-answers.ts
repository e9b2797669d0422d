import { ApiError } from './api-error.ts';
import type { UpstreamResponse } from './upstream-client.ts';

/** The JSON body of an upstream answer, or a 502 when the upstream sent something that is not JSON. */
export function parseJson<T>(res: UpstreamResponse, upstream: string): T {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new ApiError(502, 'bad_gateway', `${upstream} sent an unreadable answer`);
  }
}

/** An upstream's 4xx answer as an error the client may see (GraphQL has no status to relay it with). */
export function answerAsError(res: UpstreamResponse, upstream: string): ApiError {
  let body: { error?: unknown; message?: unknown } = {};
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    // Not JSON: the generic code below is all the client learns.
  }
  const code = typeof body.error === 'string' ? body.error : 'upstream_error';
  const message = typeof body.message === 'string' ? body.message : `${upstream} answered ${res.status}`;
  return new ApiError(res.status, code, message);
}
