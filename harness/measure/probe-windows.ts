import type { ProbeSeries } from '../result/summary-model.ts';

/** 'unknown': no probe had a verdict for the window (none had sampled yet, or there are no probes). */
export type WindowState = 'good' | 'bad' | 'unknown';

export interface ProbeWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly state: WindowState;
  /** Probes whose verdict for the window was bad, from their own samples or a carried one. */
  readonly badProbes: readonly string[];
}

/**
 * Cuts [0, endMs) into whole windows of `windowMs` (a trailing partial window is not judged: it
 * would rest on a fraction of the samples its neighbours have). A probe with samples in a window
 * is bad there when any of them is bad. A probe without one (a browser journey every 5 s in 1 s
 * windows) keeps the verdict of its latest earlier sample, samples before 0 included, because
 * that is the last thing it said about the platform; a probe that has not sampled yet has no
 * say. A window nobody has a say in is unknown.
 */
export function probeWindows(probes: readonly ProbeSeries[], windowMs: number, endMs: number): ProbeWindow[] {
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const count = Math.max(0, Math.floor(endMs / windowMs));
  // Per probe and window: true good, false bad, undefined no say.
  const verdicts = probes.map((p) => probeVerdicts(p, windowMs, count));
  return Array.from({ length: count }, (_, k) => {
    const badProbes = probes.filter((_, j) => verdicts[j]![k] === false).map((p) => p.name);
    const known = verdicts.some((v) => v[k] !== undefined);
    return { startMs: k * windowMs, endMs: (k + 1) * windowMs, state: !known ? 'unknown' : badProbes.length ? 'bad' : 'good', badProbes };
  });
}

function probeVerdicts(p: ProbeSeries, windowMs: number, count: number): (boolean | undefined)[] {
  // Series are appended in sampling order, but a sort costs little and makes "latest" certain.
  const order = p.t.map((_, i) => i).sort((a, b) => p.t[a]! - p.t[b]!);
  const out: (boolean | undefined)[] = new Array(count).fill(undefined);
  let last: boolean | undefined;
  let i = 0;
  for (let k = 0; k < count; k++) {
    const start = k * windowMs;
    const end = start + windowMs;
    while (i < order.length && p.t[order[i]!]! < start) last = p.ok[order[i++]!];
    let own: boolean | undefined;
    while (i < order.length && p.t[order[i]!]! < end) {
      const ok = p.ok[order[i++]!]!;
      own = (own ?? true) && ok;
      last = ok;
    }
    out[k] = own ?? last;
  }
  return out;
}

/**
 * The first run of `length` good windows whose first window starts at or after `fromMs`, as
 * window indexes (first and last good window), or null. Unknown windows neither break a run nor
 * count towards it: a gap in the probes' information is not evidence either way. A run always
 * starts on a good window.
 */
export function firstGoodRun(windows: readonly ProbeWindow[], fromMs: number, length: number): { readonly first: number; readonly last: number } | null {
  const needed = Math.max(1, length);
  let first = -1;
  let good = 0;
  for (let k = 0; k < windows.length; k++) {
    const w = windows[k]!;
    if (w.startMs < fromMs || w.state === 'unknown') continue;
    if (w.state === 'bad') {
      first = -1;
      good = 0;
      continue;
    }
    if (first === -1) first = k;
    if (++good >= needed) return { first, last: k };
  }
  return null;
}
