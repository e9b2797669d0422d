import { defineConfig } from 'crucible';

/**
 * Project-wide defaults for `crucible run` (flags and scenario files override them). The SLOs are
 * the roadmap's phase-4 success metrics; a scenario can tighten or relax them with `slos: {...}`.
 */
export default defineConfig({
  reportsDir: 'reports',
  slos: { p95Ms: 200, errorRate: 0.01, cacheHitRate: 0.8 },
});
