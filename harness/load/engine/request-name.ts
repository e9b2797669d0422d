const NUMERIC = /^\d+$/;
const MAX_CACHED = 4096;
// path -> method -> name: a lookup by the caller's own path string hashes it once (V8 caches a
// string's hash), where a `${method} ${path}` key would build and hash a new string per request.
const cache = new Map<string, Record<string, string>>();

/**
 * The default request name, `${METHOD} ${path}`: the query string is dropped and numeric path
 * segments become `:id`, so `/api/products/42?x=1` and `/api/products/7` share one row and one
 * set of series instead of one per id.
 */
export function defaultRequestName(method: string, path: string): string {
  let byMethod = cache.get(path);
  if (byMethod === undefined) {
    // Paths with ids are unbounded: start over rather than grow.
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(path, (byMethod = Object.create(null) as Record<string, string>));
  }
  return (byMethod[method] ??= computeName(method, path));
}

function computeName(method: string, path: string): string {
  const end = path.search(/[?#]/);
  const pathname = end === -1 ? path : path.slice(0, end);
  return `${method} ${pathname
    .split('/')
    .map((s) => (NUMERIC.test(s) ? ':id' : s))
    .join('/')}`;
}
