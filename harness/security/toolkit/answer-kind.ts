/**
 * What an HTTP answer says about a request: the one reading of a status every check starts from.
 * Status 0 is no answer (the connection was refused, reset or timed out): the checks' HTTP clients
 * return it instead of throwing.
 */
export type AnswerKind =
  /** 0: nothing came back. */
  | 'no-answer'
  /** 2xx: the target served the request. */
  | 'accepted'
  /** 3xx: sent elsewhere (a login page, another host). */
  | 'redirected'
  /** 429: a rate limiter answered, not the route. */
  | 'throttled'
  /** Any other 4xx: the target judged the request and said no. */
  | 'refused'
  /** 503: the server, or something it depends on, cannot serve now. */
  | 'unavailable'
  /** Any other status from 500 up: the server failed. */
  | 'failed'
  /** 1xx, or a number no server sends as a final status. */
  | 'unclear';

export function answerKind(status: number): AnswerKind {
  if (status === 0) return 'no-answer';
  if (status >= 200 && status < 300) return 'accepted';
  if (status >= 300 && status < 400) return 'redirected';
  if (status === 429) return 'throttled';
  if (status >= 400 && status < 500) return 'refused';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'failed';
  return 'unclear';
}

export const isAccepted = (status: number): boolean => answerKind(status) === 'accepted';

/** A 5xx: the server failed or could not serve, which says nothing about the request itself. */
export const isServerError = (status: number): boolean => {
  const kind = answerKind(status);
  return kind === 'unavailable' || kind === 'failed';
};

/** No answer or a 5xx: the target did not judge the request, so it proves nothing either way. */
export const saysNothing = (status: number): boolean => status === 0 || isServerError(status);

/**
 * Which answers count as a refusal, by the question a check asks. One table, so that a check that
 * reads a refusal differently names its reading here instead of keeping a private copy.
 */
const REFUSALS = {
  /**
   * Did the verifier reject this credential (a token, a password)? Only a 4xx other than 429 says
   * so: a 429 is the limiter's answer, and a redirect, a 5xx or no answer say nothing about the verifier.
   */
  credential: ['refused'],
  /**
   * Was the client kept from a route or an object? A redirect (to a login page) and a 429 keep it
   * out as a 4xx does; what the answer carries and what the owner re-reads are judged apart.
   */
  route: ['refused', 'throttled', 'redirected'],
  /**
   * Did the GraphQL server decline the document before running it? A 4xx does (a 429 too: nothing
   * ran); a 200 carrying errors and no data is read from the body (graphql-answer.ts).
   */
  document: ['refused', 'throttled'],
} as const satisfies Record<string, readonly AnswerKind[]>;

export type RefusalReading = keyof typeof REFUSALS;

export const isRefused = (status: number, reading: RefusalReading): boolean => (REFUSALS[reading] as readonly AnswerKind[]).includes(answerKind(status));
