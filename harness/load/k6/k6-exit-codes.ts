/**
 * k6's process exit codes (grafana/k6 errext/exitcodes/codes.go) and what each means for a crucible run:
 * a run that ended with results (passed, thresholds failed, marked failed, aborted) or one that did not.
 */
export type K6Outcome = 'passed' | 'thresholds-failed' | 'marked-failed' | 'aborted' | 'error';

const K6_EXIT_CODES: Readonly<Record<number, { readonly meaning: string; readonly outcome: K6Outcome }>> = {
  0: { meaning: 'success', outcome: 'passed' },
  97: { meaning: 'cloud test run failed', outcome: 'error' },
  98: { meaning: 'cloud progress unavailable', outcome: 'error' },
  99: { meaning: 'thresholds failed', outcome: 'thresholds-failed' },
  100: { meaning: 'setup() timed out', outcome: 'error' },
  101: { meaning: 'teardown() timed out', outcome: 'error' },
  102: { meaning: 'timed out', outcome: 'error' },
  103: { meaning: 'stopped through the REST API', outcome: 'aborted' },
  104: { meaning: 'invalid configuration', outcome: 'error' },
  105: { meaning: 'aborted by a signal (SIGINT/SIGTERM)', outcome: 'aborted' },
  106: { meaning: 'cannot start the REST API', outcome: 'error' },
  107: { meaning: 'script exception', outcome: 'error' },
  108: { meaning: 'script aborted (test.abort())', outcome: 'aborted' },
  109: { meaning: 'k6 crashed (Go panic)', outcome: 'error' },
  110: { meaning: 'marked as failed (exec.test.fail())', outcome: 'marked-failed' },
};

export interface K6Exit {
  readonly outcome: K6Outcome;
  /** null when k6 was killed by a signal. */
  readonly exitCode: number | null;
  readonly meaning: string;
}

export function k6Exit(code: number | null, signal: NodeJS.Signals | null = null): K6Exit {
  if (code === null) return { outcome: 'error', exitCode: null, meaning: `killed by ${signal ?? 'a signal'}` };
  const known = K6_EXIT_CODES[code];
  return known ? { ...known, exitCode: code } : { outcome: 'error', exitCode: code, meaning: `unexpected exit code ${code}` };
}
