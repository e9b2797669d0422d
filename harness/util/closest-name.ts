/** Levenshtein distance: edits (insert, delete, replace) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j] ?? 0;
      d[j] = Math.min(tmp + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length] ?? 0;
}

/**
 * The candidate a misspelt name most likely meant (for "did you mean ...?"): the nearest within 3
 * edits, case ignored; undefined when none is that near.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const best = candidates.map((c) => [c, editDistance(name.toLowerCase(), c.toLowerCase())] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? best[0] : undefined;
}
