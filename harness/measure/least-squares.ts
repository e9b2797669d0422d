/** Slope of the least-squares line through (x, y) points; null with fewer than 3 points or no spread in x. */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number | null {
  if (points.length < 3) return null;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / points.length;
  const my = sy / points.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}
