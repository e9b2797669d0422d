import { valueAt } from './dot-path.ts';

/**
 * The id of the object a create answered, and where it was read. With `idField` (a dot path) the
 * body holds it there. Without one, the body's `id`; when the body has none (a 201 with no body,
 * as many REST APIs answer), the last segment of the Location header's path (`/api/notes/17` -> 17).
 */
export function createdId(
  res: { readonly headers: Readonly<Record<string, unknown>>; json(): unknown },
  idField: string | undefined,
): { readonly id: string | number; readonly from: string } | undefined {
  const inBody = valueAt(res.json(), idField ?? 'id');
  if (typeof inBody === 'string' || typeof inBody === 'number') return { id: inBody, from: `'${idField ?? 'id'}'` };
  if (idField !== undefined) return undefined;
  const location = res.headers['location'];
  if (typeof location !== 'string') return undefined;
  const last = new URL(location, 'http://x').pathname.split('/').filter(Boolean).pop();
  return last ? { id: decodeURIComponent(last), from: 'the Location header' } : undefined;
}

/** How a failed read of a created id is worded: where it was looked for. */
export const idPlaces = (idField: string | undefined): string => (idField !== undefined ? `'${idField}'` : "'id' or a Location header");
