/** A duration as users write it: milliseconds as a number, or a string with a unit. */
export type Duration = number | `${number}ms` | `${number}s` | `${number}m` | `${number}h`;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Milliseconds, or undefined when the value is not a duration (the validator reports where). */
export function tryParseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  // k6 also accepts compound forms like "1m30s".
  const parts = value.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
  if (!parts || parts.join('') !== value) return undefined;
  let total = 0;
  for (const part of parts) {
    const m = PATTERN.exec(part)!;
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  return total;
}

export function parseDuration(value: Duration | string): number {
  const ms = tryParseDuration(value);
  if (ms === undefined) throw new Error(`not a duration: ${JSON.stringify(value)} (expected e.g. 500ms, 30s, 5m, 1h, 1m30s or a number of milliseconds)`);
  return ms;
}
