/** A login field as a document store's query takes it: a value, or an operator object such as {"$ne": null}. */
export type QueryValue = string | Readonly<Record<string, unknown>>;

const compare = (stored: string, arg: unknown, ok: (c: number) => boolean): boolean =>
  (typeof arg === 'string' || typeof arg === 'number') && ok(stored.localeCompare(String(arg)));

function operatorMatches(stored: string, op: string, arg: unknown): boolean {
  switch (op) {
    case '$eq':
      return stored === arg;
    case '$ne':
      return stored !== arg;
    case '$gt':
      return compare(stored, arg, (c) => c > 0);
    case '$gte':
      return compare(stored, arg, (c) => c >= 0);
    case '$lt':
      return compare(stored, arg, (c) => c < 0);
    case '$lte':
      return compare(stored, arg, (c) => c <= 0);
    case '$in':
      return Array.isArray(arg) && arg.includes(stored);
    case '$nin':
      return Array.isArray(arg) && !arg.includes(stored);
    case '$exists':
      return Boolean(arg);
    case '$regex':
      try {
        return typeof arg === 'string' && new RegExp(arg).test(stored);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

/**
 * Whether a stored field satisfies a query value the way a document store (MongoDB's find) would
 * evaluate it: the nosql-injection switch's model of a login that puts the request's fields into
 * the query unchecked, so {"$ne": null} matches every user.
 */
export function queryMatches(stored: string, query: QueryValue): boolean {
  if (typeof query === 'string') return stored === query;
  return Object.entries(query).every(([op, arg]) => operatorMatches(stored, op, arg));
}
