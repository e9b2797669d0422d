/**
 * Slope of the ordinary least-squares line through (x, y) points, in y units per x unit; null where
 * no line is defined: fewer than two points, or every x the same. Callers that want a stricter
 * minimum (a trend from two points is mostly noise) check the count themselves.
 */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}
