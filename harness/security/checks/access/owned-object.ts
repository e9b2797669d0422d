import type { CheckContext, Evidence, Identity } from '../../security-check.ts';
import type { RequestTemplate } from '../../target-profile.ts';
import { createdId, expandTemplate, idPlaces, Inconclusive, isAccepted, noted, sendTemplate, valueAt } from '../../toolkit/index.ts';

export interface OwnedObject {
  readonly id: string;
  readonly owner: Identity;
  /** Values only the owner's object carries (minted keys, ids of the owner): another user's answer must not contain them. */
  readonly canaries: readonly string[];
  readonly created: Evidence;
  /** The create answer, parsed. */
  readonly body: unknown;
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * Creates an object as `owner` through the profile's create request, its id read at `idField` (no
 * idField: `id`, else the Location header); Inconclusive when that does not work.
 */
export async function createOwned(
  ctx: CheckContext,
  what: string,
  create: RequestTemplate,
  idField: string | undefined,
  owner: Identity,
  list?: RequestTemplate,
): Promise<OwnedObject> {
  const req = expandTemplate(create);
  const res = await sendTemplate(ctx, req, { token: owner.token });
  if (res.status === 0) throw new Inconclusive(`the target did not answer (creating a ${what} as ${owner.name})`, [res.evidence]);
  const body = res.json();
  const listed = isAccepted(res.status) && list !== undefined ? await listedId(ctx, list, req.minted, idField, owner) : undefined;
  const found = createdId(res, idField) ?? listed?.found;
  if (!isAccepted(res.status) || found === undefined) {
    const where = `${idPlaces(idField)}${list ? ` nor in ${list.method} ${list.path} (a value its body minted)` : ''}`;
    throw new Inconclusive(`creating a ${what} as ${owner.name} answered ${res.status} without an id in ${where}: the profile's create request does not work`, [
      res.evidence,
      ...(listed ? [listed.evidence] : []),
    ]);
  }
  const canaries = new Set([...req.minted, ...(res.text.match(UUID) ?? [])]);
  const { id } = found;
  return { id: String(id), owner, canaries: [...canaries], created: noted(res.evidence, `${what} ${id} created as ${owner.name}`), body };
}

/** The canaries of `owned` found in a body. */
export const leakedCanaries = (owned: OwnedObject, body: string): string[] => owned.canaries.filter((c) => body.includes(c));

/**
 * The id of the object just created, from the owner's list: the element holding a value the
 * create minted ({uuid}: nobody else can have it), its id at idField (default 'id').
 */
async function listedId(
  ctx: CheckContext,
  list: RequestTemplate,
  minted: readonly string[],
  idField: string | undefined,
  owner: Identity,
): Promise<{ readonly found: { readonly id: string | number; readonly from: string } | undefined; readonly evidence: Evidence }> {
  const res = await sendTemplate(ctx, list, { token: owner.token });
  const mine = (v: unknown): boolean => minted.some((m) => JSON.stringify(v).includes(m));
  const walk = (v: unknown): string | number | undefined => {
    if (Array.isArray(v)) {
      for (const x of v) {
        const id = x !== null && typeof x === 'object' && !Array.isArray(x) && mine(x) ? valueAt(x, idField ?? 'id') : walk(x);
        if (typeof id === 'string' || typeof id === 'number') return id;
      }
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) {
        const id = walk(x);
        if (id !== undefined) return id;
      }
    }
    return undefined;
  };
  const id = minted.length > 0 && isAccepted(res.status) ? walk(res.json()) : undefined;
  return {
    found: id !== undefined ? { id, from: `${list.method} ${list.path}` } : undefined,
    evidence: noted(res.evidence, "the owner's list, for the new id"),
  };
}
