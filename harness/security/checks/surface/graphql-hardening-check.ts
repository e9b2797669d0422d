import { Kind, parse } from 'graphql';
import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { isAccepted, noted, profileNeeds, Verdicts } from '../../toolkit/index.ts';
import { deepQuery, executed, postGraphql } from './graphql-answer.ts';

const INTROSPECTION = 'query { __schema { queryType { name } types { name } } }';
/** graphql-cop's suggestion probe: a misspelt introspection field, answered with a hint even when introspection is off. */
const MISSPELT_META = 'query { __schema { directive } }';
const MUTATION = 'mutation { __typename }';
const IDE_MARKERS = /graphiql|graphql-playground|altair|apollo sandbox|voyager/i;

/** The profile's first top-level field with its last letter dropped, so the schema's own names are what a hint would reveal. */
function misspeltField(ctx: CheckContext): string | undefined {
  const t = ctx.profile.graphql?.deepQuery;
  if (!t) return undefined;
  const op = parse(deepQuery(t, 0)).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const first = op?.kind === Kind.OPERATION_DEFINITION ? op.selectionSet.selections.find((s) => s.kind === Kind.FIELD) : undefined;
  const name = first?.kind === Kind.FIELD ? first.name.value : undefined;
  return name && name.length > 2 ? `query { ${name.slice(0, -1)} { __typename } }` : undefined;
}

export const graphqlHardeningCheck = defineCheck({
  id: 'SEC-GQL-05',
  title: 'GraphQL introspection, suggestions, IDE and cross-site requests off',
  owasp: 'API8',
  cwe: [200, 16, 352],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 5.3 },
  attackClass: 'graphql',
  provenBy: ['graphql-introspection', 'debug-routes'],
  description:
    "Asks for the schema by introspection (__schema), sends a misspelt introspection field and a misspelt top-level field of the profile's deep query (a 'Did you mean' hint rebuilds the schema field by field, as clairvoyance does), opens the endpoint and /graphiql, /playground, /altair as a browser (text/html), and sends a mutation as a GET and as the POSTs a foreign page may send without a preflight (text/plain, form-encoded). Passes when the schema is not returned, no hint names a field, no IDE is served, and none of those mutations runs. Fails on any of them. A GET query that runs is recorded, not failed: it changes nothing and the API's bearer tokens are never sent by a browser on its own.",
  applies: (p) => profileNeeds(p, { path: 'graphql.path' }),
  run,
});

async function run(ctx: CheckContext, { path }: { readonly path: string }): Promise<CheckOutcome> {
  const v = new Verdicts();

  const intro = await postGraphql(ctx, path, { query: INTROSPECTION });
  if (intro.status === 0) v.doubt(`${path} did not answer`, intro.evidence);
  else if ((intro.body as { data?: { __schema?: unknown } } | undefined)?.data?.__schema)
    v.finding('introspection returned the schema', noted(intro.evidence, 'schema returned'));
  else v.saw(noted(intro.evidence, 'introspection refused'));

  for (const query of [MISSPELT_META, misspeltField(ctx)]) {
    if (!query) continue;
    const res = await postGraphql(ctx, path, { query });
    if (/did you mean/i.test(res.text)) v.finding(`a misspelt field is answered with a suggestion (${query})`, noted(res.evidence, 'field suggestion'));
    else if (res.status === 0) v.doubt(`${path} did not answer`, res.evidence);
    else v.saw(noted(res.evidence, 'no suggestion'));
  }

  const dir = path.replace(/\/[^/]*$/, '');
  for (const ide of [path, `${dir}/graphiql`, `${dir}/playground`, `${dir}/altair`]) {
    const res = await ctx.http.request({ method: 'GET', path: ide, headers: { accept: 'text/html' } });
    if (isAccepted(res.status) && IDE_MARKERS.test(res.text)) v.finding(`an IDE is served at ${ide}`, noted(res.evidence, 'GraphQL IDE'));
    else if (res.status === 0) v.doubt(`GET ${ide} got no answer`, res.evidence);
    else v.saw(noted(res.evidence, 'no IDE'));
  }

  const crossSite = [
    { label: 'a GET', send: () => ctx.http.request({ method: 'GET', path: `${path}?query=${encodeURIComponent(MUTATION)}` }) },
    {
      label: 'a text/plain POST',
      send: () => ctx.http.request({ method: 'POST', path, headers: { 'content-type': 'text/plain' }, rawBody: JSON.stringify({ query: MUTATION }) }),
    },
    {
      label: 'a form POST',
      send: () =>
        ctx.http.request({
          method: 'POST',
          path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          rawBody: `query=${encodeURIComponent(MUTATION)}`,
        }),
    },
  ];
  for (const c of crossSite) {
    const res = await c.send();
    if (executed(res.json())) v.finding(`a mutation sent as ${c.label} ran`, noted(res.evidence, 'mutation executed'));
    else if (res.status === 0) v.doubt(`${c.label} to ${path} got no answer`, res.evidence);
    else v.saw(noted(res.evidence, `mutation as ${c.label} refused`));
  }

  const getQuery = await ctx.http.request({ method: 'GET', path: `${path}?query=${encodeURIComponent('{ __typename }')}` });
  if (executed(getQuery.json())) v.saw(noted(getQuery.evidence, 'a GET query runs (read-only; recorded, not failed)'));
  return v.outcome('no schema, no suggestions, no IDE, and no mutation by GET or by a preflight-free POST');
}
