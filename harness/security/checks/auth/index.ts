import type { SecurityCheck } from '../../security-check.ts';

/** The auth checks, in the order they run. */
export const authChecks: readonly SecurityCheck[] = [];
