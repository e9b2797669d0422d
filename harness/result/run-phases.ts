import type { Phase } from './summary-model.ts';

/**
 * The phases a run went through, from the ones its plan had: a run that stopped early (Ctrl-C,
 * abortOnFail, the stress breaking point) ends its current phase where it stopped, and never
 * reached the phases planned after that, so charts shade nothing past the run's end.
 */
export function phasesWithin(planned: readonly Phase[], durationMs: number): Phase[] {
  return planned.filter((p) => p.startMs < durationMs).map((p) => (p.endMs > durationMs ? { ...p, endMs: durationMs } : p));
}
