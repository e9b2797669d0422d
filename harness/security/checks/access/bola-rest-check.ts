import type { CheckContext, Identity } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { TargetProfile } from '../../target-profile.ts';
import { Inconclusive, isAccepted, isRefused, noted, profileNeeds, saysNothing, sendTemplate, Verdicts } from '../../toolkit/index.ts';
import { sameJson } from './json-paths.ts';
import { createOwned, leakedCanaries, type OwnedObject } from './owned-object.ts';

type Resource = NonNullable<TargetProfile['resources']>[number];

/** At most this many resource kinds are attacked: each costs a created object and up to 7 requests. */
const MAX_RESOURCES = 5;

export const bolaRestCheck = defineCheck({
  id: 'SEC-BOLA-01',
  title: "Another user's object over REST (read, update, delete)",
  owasp: 'API1',
  cwe: [639, 285],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', score: 8.1 },
  attackClass: 'authorization',
  provenBy: ['no-ownership-check'],
  description:
    "For each resource of the profile, userB creates an object; userA then reads it, updates it and deletes it by id (the update and delete only where the profile has them), and userB re-reads it after each. Passes when every attempt of userA is refused (3xx/4xx), no answer to userA carries a value only B's object holds (the key B minted, B's ids), and B's object is unchanged and still there. Fails on a 2xx to userA, a canary of B's in userA's answer, or a change B can see.",
  applies: (p) => profileNeeds(p, { resources: 'resources' }, () => 'the profile has no resources (profile.resources): there is no object of userB to attack'),
  run,
});

async function run(ctx: CheckContext, { resources }: { readonly resources: readonly Resource[] }) {
  const obs = new Verdicts();
  const [userA, userB] = [await ctx.login('userA'), await ctx.login('userB')];
  for (const resource of resources.slice(0, MAX_RESOURCES)) {
    if (ctx.signal.aborted) break;
    const owned = await createOwned(ctx, resource.name, resource.create, resource.idField, userB, resource.list);
    const ownerView = await readAsOwner(ctx, resource, owned);
    obs.saw(owned.created);
    await attempt(ctx, obs, resource, owned, 'read', resource.read, ownerView, userA);
    if (resource.update) await attempt(ctx, obs, resource, owned, 'update', resource.update, ownerView, userA);
    if (resource.delete) await attempt(ctx, obs, resource, owned, 'delete', resource.delete, ownerView, userA);
  }
  return obs.outcome(
    `userA was refused reading${resources.some((r) => r.update || r.delete) ? ', changing and deleting' : ''} userB's objects, saw none of B's values, and B's objects stayed as they were`,
  );
}

async function readAsOwner(ctx: CheckContext, resource: Resource, owned: OwnedObject): Promise<unknown> {
  const res = await sendTemplate(ctx, resource.read, { values: { id: owned.id }, token: owned.owner.token });
  if (!isAccepted(res.status))
    throw new Inconclusive(
      `${owned.owner.name} could not read its own ${resource.name} ${owned.id} (${res.status}): the profile's read request does not work`,
      [owned.created, res.evidence],
    );
  return res.json() ?? res.text;
}

async function attempt(
  ctx: CheckContext,
  obs: Verdicts,
  resource: Resource,
  owned: OwnedObject,
  action: 'read' | 'update' | 'delete',
  template: NonNullable<Resource['read']>,
  ownerView: unknown,
  attacker: Identity,
): Promise<void> {
  const what = `${template.method} ${resource.name} ${owned.id} (${owned.owner.name}'s) as ${attacker.name}`;
  const res = await sendTemplate(ctx, template, { values: { id: owned.id }, token: attacker.token });
  const leaked = leakedCanaries(owned, res.text);
  if (isAccepted(res.status)) obs.finding(`${what} answered ${res.status}`, owned.created, noted(res.evidence, `${action} of another user's object accepted`));
  else if (leaked.length > 0)
    obs.finding(
      `${what} answered ${res.status} carrying ${owned.owner.name}'s ${leaked.join(', ')}`,
      owned.created,
      noted(res.evidence, 'body carries the owner-only values'),
    );
  else if (isRefused(res.status, 'route')) obs.saw(noted(res.evidence, `${action} refused`));
  else obs.doubt(`${what} answered ${res.status || 'nothing'}`, res.evidence);

  // The state oracle: whatever the status said, the owner must still see the object as it was.
  const again = await sendTemplate(ctx, resource.read, { values: { id: owned.id }, token: owned.owner.token });
  if (!isAccepted(again.status)) {
    if (saysNothing(again.status))
      obs.doubt(`${owned.owner.name}'s re-read of ${resource.name} ${owned.id} answered ${again.status || 'nothing'}`, again.evidence);
    else obs.finding(`after ${what}, ${owned.owner.name} can no longer read it (${again.status})`, res.evidence, noted(again.evidence, 'owner re-read: gone'));
  } else if (!sameJson(again.json() ?? again.text, ownerView)) {
    obs.finding(`after ${what}, ${owned.owner.name}'s object changed`, res.evidence, noted(again.evidence, 'owner re-read: changed'));
  } else obs.saw(noted(again.evidence, 'owner re-read: unchanged'));
}
