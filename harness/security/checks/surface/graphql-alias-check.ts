import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { noted, profileNeeds, Verdicts } from '../../toolkit/index.ts';
import { errorMessages, executed, postGraphql, refusedBeforeExecution } from './graphql-answer.ts';
import { GRAPHQL_LIMIT_META } from './graphql-limit-meta.ts';

/** `__typename` exists on every schema: the probe needs nothing from the profile but the limit. */
const aliased = (n: number): string => `query { ${Array.from({ length: n }, (_, i) => `a${i + 1}: __typename`).join(' ')} }`;

export const graphqlAliasCheck = defineCheck({
  id: 'SEC-GQL-02',
  title: 'GraphQL alias limit',
  ...GRAPHQL_LIMIT_META,
  cwe: [770, 799],
  description:
    'Sends one operation with exactly the claimed number of aliases (a1: __typename ...) and one with one more. Passes when the first runs and the second is refused before execution (errors, no data). Fails when the second runs: aliases are how one request repeats an expensive field or a login many times. A refused control means the claimed limit is wrong: an error.',
  applies: (p) => profileNeeds(p, { path: 'graphql.path', limit: 'graphql.limits.aliases' }),
  run,
});

async function run(ctx: CheckContext, { path, limit }: { readonly path: string; readonly limit: number }): Promise<CheckOutcome> {
  const v = new Verdicts();
  const control = await postGraphql(ctx, path, { query: aliased(limit) });
  if (control.status === 0) v.doubt(`${path} did not answer`, control.evidence);
  else if (!executed(control.body))
    v.doubt(
      `${limit} aliases (the claimed limit) did not run (${control.status}: ${errorMessages(control.body)}): the profile's alias limit is wrong`,
      control.evidence,
    );
  else v.saw(noted(control.evidence, `${limit} aliases ran`));

  const probe = await postGraphql(ctx, path, { query: aliased(limit + 1) });
  if (executed(probe.body)) v.finding(`${limit + 1} aliases ran (limit ${limit})`, noted(probe.evidence, `${limit + 1} aliases executed`));
  else if (refusedBeforeExecution(probe)) v.saw(noted(probe.evidence, `${limit + 1} aliases refused: ${errorMessages(probe.body)}`));
  else v.doubt(`${limit + 1} aliases answered ${probe.status || 'nothing'} without data or errors`, probe.evidence);
  return v.outcome(`${limit} aliases run, ${limit + 1} are refused before execution`);
}
