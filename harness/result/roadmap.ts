/**
 * The roadmap's phase-4 success metrics: the defaults every run is judged against (SLOs of load,
 * stress and soak runs, the expectations of chaos experiments) and the sign-off's objectives.
 * This is their one home; scenario defaults, the measurements and the sign-off all read it.
 */
export const ROADMAP = {
  /** Client-side p95 of http_req_duration must stay below this. */
  p95Ms: 200,
  /** Product cache hits / (hits + misses) must stay above this. */
  cacheHitRate: 0.8,
  /** Failed requests / all must stay below this. */
  errorRate: 0.01,
  /** Good probe samples / all over an experiment must be at least this. */
  availability: 0.999,
  /** Mean time to recovery of every fault must stay below this. */
  mttrMs: 15 * 60_000,
  /** Time to detect (a fault by the probes, an attack class by an alert) must stay below this. */
  detectionMs: 5 * 60_000,
  /** Failed penetration checks with CVSS >= 9.0 allowed. */
  criticalVulnerabilities: 0,
  /** Acknowledged writes allowed to go missing (or be applied twice). */
  lostWrites: 0,
} as const;

export type Roadmap = typeof ROADMAP;
