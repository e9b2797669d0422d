/** A fault's part in the score: its step's weight and its availability (0-1, null when unmeasured). */
export interface ScoredFault {
  readonly weight: number;
  readonly availability: number | null;
}

/**
 * Litmus' resilience score, 0-100: Σ weight × probe success % / Σ weight, a fault's probe success %
 * being its availability × 100. Faults without an availability (no sample) are left out of both
 * sums rather than scored 0 or 100; null when nothing is left or every weight is 0.
 */
export function resilienceScore(faults: readonly ScoredFault[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const f of faults) {
    if (f.availability === null) continue;
    weighted += f.weight * f.availability * 100;
    weights += f.weight;
  }
  return weights > 0 ? weighted / weights : null;
}
