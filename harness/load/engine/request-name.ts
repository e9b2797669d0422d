const NUMERIC = /^\d+$/;
const MAX_CACHED = 4096;
const cache = new Map<string, string>();

/**
 * The default request name, `${METHOD} ${path}`: the query string is dropped and numeric path
 * segments become `:id`, so `/api/products/42?x=1` and `/api/products/7` share one row and one
 * set of series instead of one per id.
 */
export function defaultRequestName(method: string, path: string): string {
  const key = `${method} ${path}`;
  let name = cache.get(key);
  if (name === undefined) {
    name = computeName(method, path);
    // Paths with ids are unbounded: start over rather than grow.
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, name);
  }
  return name;
}

function computeName(method: string, path: string): string {
  const end = path.search(/[?#]/);
  const pathname = end === -1 ? path : path.slice(0, end);
  return `${method} ${pathname
    .split('/')
    .map((s) => (NUMERIC.test(s) ? ':id' : s))
    .join('/')}`;
}
