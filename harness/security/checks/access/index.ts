import type { SecurityCheck } from '../../security-check.ts';
import { bflaAdminCheck } from './bfla-admin-check.ts';
import { bflaMethodSwapCheck } from './bfla-method-swap-check.ts';
import { bolaGraphqlCheck } from './bola-graphql-check.ts';
import { bolaRestCheck } from './bola-rest-check.ts';
import { excessiveExposureCheck } from './excessive-exposure-check.ts';
import { headerInjectionCheck } from './header-injection-check.ts';
import { massAssignmentCheck } from './mass-assignment-check.ts';
import { pathTraversalCheck } from './path-traversal-check.ts';
import { sqlInjectionCheck } from './sql-injection-check.ts';
import { ssrfCheck } from './ssrf-check.ts';

/**
 * The access checks, in the order they run: reads before writes (what the exposure check reads
 * is as seeded), the admin operation before the method swap that repeats it, and the slow ones
 * (SQL injection's time-based probes, SSRF's fetch timeouts) last.
 */
export const accessChecks: readonly SecurityCheck[] = [
  excessiveExposureCheck,
  bolaRestCheck,
  bolaGraphqlCheck,
  bflaAdminCheck,
  bflaMethodSwapCheck,
  massAssignmentCheck,
  pathTraversalCheck,
  headerInjectionCheck,
  sqlInjectionCheck,
  ssrfCheck,
];
