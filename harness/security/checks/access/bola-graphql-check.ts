import type { CheckContext, Identity } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { TargetProfile } from '../../target-profile.ts';
import { applicable, Inconclusive, isNonEmpty, notApplicable, noted, saysNothing, Verdicts } from '../../toolkit/index.ts';
import { createOwned, leakedCanaries } from './owned-object.ts';

type Resource = NonNullable<TargetProfile['resources']>[number];

const MAX_RESOURCES = 5;

export const bolaGraphqlCheck = defineCheck({
  id: 'SEC-BOLA-02',
  title: "Another user's object through GraphQL",
  owasp: 'API1',
  cwe: [639],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', score: 6.5 },
  attackClass: 'authorization',
  provenBy: ['no-ownership-check'],
  description:
    "For each resource with a GraphQL read, userB creates an object and reads it through GraphQL (the control: B must get it), then userA sends the same query with B's id. Passes when A's answer has every top-level field null (or only errors) and none of B's values. Fails when A gets data or a value only B's object holds.",
  applies: (p) => {
    if (!p.graphql?.path) return notApplicable(['graphql.path'], 'the profile has no GraphQL endpoint (profile.graphql.path)');
    const resources = (p.resources ?? []).flatMap((r) => (r.graphqlRead ? [{ ...r, graphqlRead: r.graphqlRead }] : []));
    return isNonEmpty(resources)
      ? applicable({ path: p.graphql.path, resources })
      : notApplicable(['resources.graphqlRead'], 'no resource has a GraphQL read (profile.resources[].graphqlRead)');
  },
  run,
});

async function run(
  ctx: CheckContext,
  { path, resources }: { readonly path: string; readonly resources: readonly (Resource & { readonly graphqlRead: string })[] },
) {
  const obs = new Verdicts();
  const [userA, userB] = [await ctx.login('userA'), await ctx.login('userB')];
  for (const resource of resources.slice(0, MAX_RESOURCES)) {
    if (ctx.signal.aborted) break;
    const query = resource.graphqlRead;
    const owned = await createOwned(ctx, resource.name, resource.create, resource.idField, userB, resource.list);
    const ask = (who: Identity) => ctx.http.request({ method: 'POST', path, token: who.token, body: { query, variables: { id: owned.id } } });

    const control = await ask(userB);
    const controlData = topLevelFields(control.json());
    if (control.status !== 200 || !controlData.some(([, v]) => v !== null)) {
      throw new Inconclusive(
        `${userB.name} could not read its own ${resource.name} ${owned.id} through GraphQL (${control.status}): the profile's graphqlRead proves nothing`,
        [owned.created, control.evidence],
      );
    }
    obs.saw(owned.created, noted(control.evidence, 'control: the owner gets its object'));

    const res = await ask(userA);
    const fields = topLevelFields(res.json());
    const answered = fields.filter(([, v]) => v !== null).map(([k]) => k);
    const leaked = leakedCanaries(owned, res.text);
    const what = `GraphQL read of ${resource.name} ${owned.id} (${userB.name}'s) as ${userA.name}`;
    if (answered.length > 0)
      obs.finding(`${what} returned data in ${answered.join(', ')}`, owned.created, control.evidence, noted(res.evidence, "another user's object returned"));
    else if (leaked.length > 0) obs.finding(`${what} carried ${leaked.join(', ')}`, owned.created, noted(res.evidence, 'body carries the owner-only values'));
    else if (saysNothing(res.status)) obs.doubt(`${what} answered ${res.status || 'nothing'}`, res.evidence);
    else obs.saw(noted(res.evidence, `data null${res.json<{ errors?: unknown }>()?.errors ? ' with errors' : ''}`));
  }
  return obs.outcome("userA's GraphQL reads of userB's objects came back null, with none of B's values");
}

/** The entries of `data` (empty when there is none: an errors-only answer). */
function topLevelFields(json: unknown): [string, unknown][] {
  const data = (json as { data?: unknown } | undefined)?.data;
  return data !== null && typeof data === 'object' ? Object.entries(data) : [];
}
