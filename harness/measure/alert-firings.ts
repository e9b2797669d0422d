/** One start of an alert's firing (an alert that fired twice appears twice). */
export interface AlertFiring {
  readonly name: string;
  readonly firstFiringMs: number;
}

/** An alert's firing spans, e.g. from a range query of `ALERTS{alertstate="firing"}`; `endMs` null while still firing. */
export interface AlertSpans {
  readonly name: string;
  readonly spans: readonly { readonly startMs: number; readonly endMs: number | null }[];
}

export type AlertInput = AlertFiring | AlertSpans;

/** Every firing start, earliest first, whichever shape the alerts came in. */
export function alertFirings(alerts: readonly AlertInput[]): AlertFiring[] {
  return alerts
    .flatMap((a) => ('spans' in a ? a.spans.map((s) => ({ name: a.name, firstFiringMs: s.startMs })) : [{ name: a.name, firstFiringMs: a.firstFiringMs }]))
    .sort((a, b) => a.firstFiringMs - b.firstFiringMs || a.name.localeCompare(b.name));
}

/**
 * The first alert that started firing in [fromMs, beforeMs). An alert already firing at `fromMs`
 * does not count: it was raised by something earlier, not by what happened at `fromMs`.
 */
export function firstAlert(firings: readonly AlertFiring[], fromMs: number, beforeMs: number): AlertFiring | null {
  let best: AlertFiring | null = null;
  for (const f of firings) {
    if (f.firstFiringMs >= fromMs && f.firstFiringMs < beforeMs && (best === null || f.firstFiringMs < best.firstFiringMs)) best = f;
  }
  return best;
}
