import type { SecurityCheck } from '../../security-check.ts';

/** The access checks, in the order they run. */
export const accessChecks: readonly SecurityCheck[] = [];
