/**
 * Dot paths, the one way a profile names a place in a JSON document: `id`, `data.order.id`,
 * `items.0.unitPrice` (a number step indexes a list). Every field of a profile that names such a
 * place (`idField`, `auth.login.tokenField`, `usernameField`, `passwordField`,
 * `massAssignment[].field`) is read or written with these, so every field follows the same rules.
 */

/** The value at a dot path; undefined when any step is missing. */
export function valueAt(value: unknown, path: string): unknown {
  let v = value;
  for (const step of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[step];
  }
  return v;
}

/** An object holding each value at its dot path (`user.name` -> `{ user: { name } }`), paths sharing a prefix sharing the object. */
export function objectWith(entries: readonly (readonly [path: string, value: unknown])[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const steps = path.split('.');
    const last = steps.pop() ?? path;
    let at = root;
    for (const step of steps) {
      const next = at[step];
      const inner: Record<string, unknown> = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
      at[step] = inner;
      at = inner;
    }
    at[last] = value;
  }
  return root;
}

/**
 * The first non-empty string at `path` from the value itself or from any object or list inside it,
 * depth first: a token in a login answer, or in any answer of a GraphQL batch.
 */
export function firstStringAt(value: unknown, path: string): string | undefined {
  const here = valueAt(value, path);
  if (typeof here === 'string' && here.length > 0) return here;
  if (value === null || typeof value !== 'object') return undefined;
  for (const inner of Array.isArray(value) ? value : Object.values(value)) {
    const found = firstStringAt(inner, path);
    if (found !== undefined) return found;
  }
  return undefined;
}
