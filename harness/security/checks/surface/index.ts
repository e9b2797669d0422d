import type { SecurityCheck } from '../../security-check.ts';

/** The surface checks, in the order they run. */
export const surfaceChecks: readonly SecurityCheck[] = [];
