import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { noted, profileNeeds, Verdicts, type NeedsOf } from '../../toolkit/index.ts';
import { errorMessages, executed, postGraphql, refusedBeforeExecution, type GraphqlResult } from './graphql-answer.ts';
import { GRAPHQL_LIMIT_META } from './graphql-limit-meta.ts';

/** Items in an answer's data: every list element, at every depth. */
function countItems(x: unknown): number {
  if (Array.isArray(x)) return x.length + x.reduce((n: number, y) => n + countItems(y), 0);
  if (x && typeof x === 'object') return Object.values(x).reduce((n: number, y) => n + countItems(y), 0);
  return 0;
}

const NEEDS = { path: 'graphql.path', amplification: 'graphql.amplification' } as const;

export const graphqlAmplificationCheck = defineCheck({
  id: 'SEC-GQL-06',
  title: 'GraphQL nested-list amplification',
  ...GRAPHQL_LIMIT_META,
  cwe: [770, 400],
  description:
    "Sends the profile's amplification query: a few fields whose nested lists multiply (e.g. related(limit: 20) three deep: 8,000 products in five fields). A cost limit that counts fields but not list sizes lets it run. It must be refused before execution, or answered with no more items than the profile's bound. Fails when more items come back; no answer is an error.",
  applies: (p) => profileNeeds(p, NEEDS),
  run,
});

async function run(ctx: CheckContext, needs: NeedsOf<typeof NEEDS>): Promise<CheckOutcome> {
  const { query, maxItems } = needs.amplification;
  const v = new Verdicts();
  const res = await postGraphql(ctx, needs.path, { query });
  const items = countItems((res.body as GraphqlResult | undefined)?.data);
  if (res.status === 0) v.doubt('the amplification query got no answer', res.evidence);
  else if (executed(res.body) && items > maxItems)
    v.finding(`${items} items came back for a query of a few fields (bound ${maxItems})`, noted(res.evidence, `${items} items`));
  else if (refusedBeforeExecution(res) || (executed(res.body) && items <= maxItems))
    v.saw(noted(res.evidence, executed(res.body) ? `${items} items` : `refused: ${errorMessages(res.body)}`));
  else v.doubt(`the amplification query answered ${res.status} without data or errors`, res.evidence);
  return v.outcome(`nested lists are costed by their size: the amplification query is refused or bounded at ${maxItems} items`);
}
