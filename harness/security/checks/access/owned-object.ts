import type { CheckContext, Evidence, Identity } from '../../security-check.ts';
import type { RequestTemplate } from '../../target-profile.ts';
import { createdId, expandTemplate, idPlaces, Inconclusive, isAccepted, noted, sendTemplate } from '../../toolkit/index.ts';

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
): Promise<OwnedObject> {
  const req = expandTemplate(create);
  const res = await sendTemplate(ctx, req, { token: owner.token });
  if (res.status === 0) throw new Inconclusive(`the target did not answer (creating a ${what} as ${owner.name})`, [res.evidence]);
  const body = res.json();
  const found = createdId(res, idField);
  if (!isAccepted(res.status) || found === undefined) {
    throw new Inconclusive(
      `creating a ${what} as ${owner.name} answered ${res.status} without an id in ${idPlaces(idField)}: the profile's create request does not work`,
      [res.evidence],
    );
  }
  const canaries = new Set([...req.minted, ...(res.text.match(UUID) ?? [])]);
  const { id } = found;
  return { id: String(id), owner, canaries: [...canaries], created: noted(res.evidence, `${what} ${id} created as ${owner.name}`), body };
}

/** The canaries of `owned` found in a body. */
export const leakedCanaries = (owned: OwnedObject, body: string): string[] => owned.canaries.filter((c) => body.includes(c));
