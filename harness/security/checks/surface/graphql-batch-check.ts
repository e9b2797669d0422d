import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { isRefused, noted, profileNeeds, Verdicts } from '../../toolkit/index.ts';
import { errorMessages, executed, postGraphql, type GraphqlAnswer } from './graphql-answer.ts';
import { GRAPHQL_LIMIT_META } from './graphql-limit-meta.ts';

const batch = (n: number): unknown[] => Array.from({ length: n }, () => ({ query: '{ __typename }' }));

/** How many operations of an array answer ran. */
const ranOps = (a: GraphqlAnswer): number => (Array.isArray(a.body) ? a.body.filter(executed).length : 0);

export const graphqlBatchCheck = defineCheck({
  id: 'SEC-GQL-03',
  title: 'GraphQL batch size limit',
  ...GRAPHQL_LIMIT_META,
  cwe: [770, 799],
  description:
    'Sends a JSON array of exactly the claimed number of operations ({ __typename }) and one of one more. Passes when every operation of the first runs and none of the second does (the batch refused before any operation runs). Fails when operations past the limit run: a per-request rate limit then counts one request for many operations. A control batch that does not run means the claimed limit is wrong: an error.',
  applies: (p) => profileNeeds(p, { path: 'graphql.path', limit: 'graphql.limits.batch' }),
  run,
});

async function run(ctx: CheckContext, { path, limit }: { readonly path: string; readonly limit: number }): Promise<CheckOutcome> {
  const v = new Verdicts();
  const control = await postGraphql(ctx, path, batch(limit));
  if (control.status === 0) v.doubt(`${path} did not answer`, control.evidence);
  else if (ranOps(control) !== limit)
    v.doubt(
      `a batch of ${limit} (the claimed limit) did not run whole (${control.status}, ${ranOps(control)} ran): the profile's batch limit is wrong`,
      control.evidence,
    );
  else v.saw(noted(control.evidence, `a batch of ${limit} ran`));

  const probe = await postGraphql(ctx, path, batch(limit + 1));
  const ran = ranOps(probe);
  if (ran > 0) v.finding(`${ran} operations of a batch of ${limit + 1} ran (limit ${limit})`, noted(probe.evidence, `${ran} operations executed`));
  else if (isRefused(probe.status, 'document') || (probe.body as { errors?: unknown } | undefined)?.errors)
    v.saw(noted(probe.evidence, `a batch of ${limit + 1} refused: ${probe.status} ${errorMessages(probe.body) || probe.text.slice(0, 120)}`));
  else v.doubt(`a batch of ${limit + 1} answered ${probe.status || 'nothing'} without running or refusing`, probe.evidence);
  return v.outcome(`a batch of ${limit} runs, a batch of ${limit + 1} is refused before any operation runs`);
}
