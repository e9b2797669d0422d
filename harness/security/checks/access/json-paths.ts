/** Where keys named like `names` (case-insensitive) occur anywhere in a JSON value, as dot paths. */
export function findKeys(value: unknown, names: readonly string[], at = ''): string[] {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (wanted.has(k.toLowerCase())) out.push(p);
        walk(x, p);
      }
    }
  };
  walk(value, at);
  return out;
}

/** Dot paths of string values shaped like a password hash (modular crypt, scrypt/argon2/bcrypt/PBKDF2 encodings). */
export function findHashLikeValues(value: unknown): string[] {
  const hashLike = /^(\$(2[aby]?|argon2(id|i|d)?|scrypt|pbkdf2[\w-]*|[156])\$|scrypt:|pbkdf2:)/i;
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string' && hashLike.test(v)) out.push(path || '(root)');
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(value, '');
  return out;
}

/** A copy of `value` without the property at a dot path (the request as it would be without the injected field). */
export function withoutPath(value: unknown, path: string): { value: unknown; removed: boolean } {
  const [head, ...rest] = path.split('.');
  if (head === undefined || value === null || typeof value !== 'object') return { value, removed: false };
  if (Array.isArray(value)) {
    const i = Number(head);
    if (!Number.isInteger(i) || i < 0 || i >= value.length) return { value, removed: false };
    const copy = [...value];
    if (rest.length === 0) return { value, removed: false };
    const inner = withoutPath(copy[i], rest.join('.'));
    copy[i] = inner.value;
    return { value: copy, removed: inner.removed };
  }
  const obj = value as Record<string, unknown>;
  if (!Object.hasOwn(obj, head)) return { value, removed: false };
  if (rest.length === 0) {
    const { [head]: _dropped, ...others } = obj;
    return { value: others, removed: true };
  }
  const inner = withoutPath(obj[head], rest.join('.'));
  return { value: { ...obj, [head]: inner.value }, removed: inner.removed };
}

/**
 * How many results a search answered: the array itself, or the longest array among the object's
 * own properties ({ items: [...] }, { data: { products: [...] } } one level down). -1: not a list.
 */
export function resultCount(json: unknown): number {
  if (Array.isArray(json)) return json.length;
  if (json === null || typeof json !== 'object') return -1;
  let best = -1;
  for (const v of Object.values(json)) {
    if (Array.isArray(v)) best = Math.max(best, v.length);
    else if (v !== null && typeof v === 'object') for (const w of Object.values(v)) if (Array.isArray(w)) best = Math.max(best, w.length);
  }
  return best;
}

/** Structural equality of two JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
