import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { noted, profileNeeds, Verdicts, type NeedsOf } from '../../toolkit/index.ts';
import { deepQuery, errorMessages, executed, postGraphql, queryDepth, refusedBeforeExecution } from './graphql-answer.ts';
import { GRAPHQL_LIMIT_META } from './graphql-limit-meta.ts';

/** Deeper than any depth limit worth claiming; a template that never reaches the limit is a profile error. */
const MAX_LEVELS = 64;

const NEEDS = { path: 'graphql.path', limit: 'graphql.limits.depth', deepQuery: 'graphql.deepQuery' } as const;

export const graphqlDepthCheck = defineCheck({
  id: 'SEC-GQL-01',
  title: 'GraphQL query depth limit',
  ...GRAPHQL_LIMIT_META,
  cwe: [770, 674],
  description:
    "Builds the profile's deep query (a field that nests into itself) at exactly the claimed depth limit and one level deeper, depth counted as graphql-depth-limit does (top-level fields at 0). Passes when the query at the limit runs and the one past it is refused before execution (errors, no data). Fails when the deeper query runs. A query at the limit that is refused means the profile's limit or query is wrong: an error, not a pass.",
  applies: (p) => profileNeeds(p, NEEDS),
  run,
});

async function run(ctx: CheckContext, needs: NeedsOf<typeof NEEDS>): Promise<CheckOutcome> {
  const { path, limit } = needs;
  const at = (depth: number): string | undefined => {
    for (let levels = 0; levels <= MAX_LEVELS; levels++) {
      const q = deepQuery(needs.deepQuery, levels);
      if (queryDepth(q) === depth) return q;
    }
    return undefined;
  };
  const [atLimit, past] = [at(limit), at(limit + 1)];
  if (!atLimit || !past) return { verdict: 'error', summary: `the profile's deepQuery cannot be built to depth ${limit} and ${limit + 1}`, evidence: [] };

  const v = new Verdicts();
  const control = await postGraphql(ctx, path, { query: atLimit });
  if (control.status === 0) v.doubt(`${path} did not answer`, control.evidence);
  else if (!executed(control.body))
    v.doubt(
      `the query at the claimed limit (depth ${limit}) did not run (${control.status}: ${errorMessages(control.body)}): the profile's depth limit or deepQuery is wrong`,
      control.evidence,
    );
  else v.saw(noted(control.evidence, `depth ${limit} (the limit) ran`));

  const probe = await postGraphql(ctx, path, { query: past });
  if (executed(probe.body)) v.finding(`a query of depth ${limit + 1} ran (limit ${limit})`, noted(probe.evidence, `depth ${limit + 1} executed`));
  else if (refusedBeforeExecution(probe)) v.saw(noted(probe.evidence, `depth ${limit + 1} refused: ${errorMessages(probe.body)}`));
  else v.doubt(`the query of depth ${limit + 1} answered ${probe.status || 'nothing'} without data or errors`, probe.evidence);
  return v.outcome(`depth ${limit} runs, depth ${limit + 1} is refused before execution`);
}
