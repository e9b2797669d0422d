import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { noted, profileNeeds, Verdicts } from '../../toolkit/index.ts';
import { errorMessages, executed, postGraphql, refusedBeforeExecution, type GraphqlResult } from './graphql-answer.ts';
import { GRAPHQL_LIMIT_META } from './graphql-limit-meta.ts';

/**
 * Fields in the cost probe: past graphql-cop's 500 (which a limit of exactly 500 lets through) and
 * far from anything a client needs, yet under graphql-js's own budget for comparing overlapping
 * fields (500,000 pairs, about 1,000 fields), which would refuse a bigger probe whatever the
 * server's limits and so prove nothing about them.
 */
const DUPLICATED_FIELDS = 600;
/** The page-size probe asks for this many times the profile's maximum. */
const AMOUNT_FACTOR = 1_000;

/** The longest list anywhere in an answer's data. */
function longestList(x: unknown): number {
  if (Array.isArray(x)) return Math.max(x.length, ...x.map(longestList));
  if (x && typeof x === 'object') return Math.max(0, ...Object.values(x).map(longestList));
  return 0;
}

export const graphqlCostCheck = defineCheck({
  id: 'SEC-GQL-04',
  title: 'GraphQL query cost and page-size limits',
  ...GRAPHQL_LIMIT_META,
  cwe: [770, 400],
  description:
    "Sends a query of 600 duplicated fields (graphql-cop's field-duplication probe, past any cost budget a client needs): it must be refused before execution. When the profile gives a page query, sends it at its maximum (a control that must run) and at 1,000 times that (e.g. products(limit: 100000)): that must be refused or capped at the maximum. Fails when the 600-field query runs or the list comes back longer than the maximum. No answer, or a control that does not run, is an error.",
  applies: (p) => profileNeeds(p, { path: 'graphql.path' }),
  run,
});

async function run(ctx: CheckContext, { path }: { readonly path: string }): Promise<CheckOutcome> {
  const pageQuery = ctx.profile.graphql?.pageQuery;
  const v = new Verdicts();

  const heavy = await postGraphql(ctx, path, { query: `query { ${Array.from({ length: DUPLICATED_FIELDS }, () => '__typename').join(' ')} }` });
  if (heavy.status === 0) v.doubt(`${path} did not answer`, heavy.evidence);
  else if (executed(heavy.body)) v.finding(`a query of ${DUPLICATED_FIELDS} fields ran`, noted(heavy.evidence, `${DUPLICATED_FIELDS} fields executed`));
  else if (refusedBeforeExecution(heavy)) v.saw(noted(heavy.evidence, `${DUPLICATED_FIELDS} fields refused: ${errorMessages(heavy.body)}`));
  else v.doubt(`the ${DUPLICATED_FIELDS}-field query answered ${heavy.status} without data or errors`, heavy.evidence);

  if (pageQuery) {
    const { query, max } = pageQuery;
    const control = await postGraphql(ctx, path, { query: query.replaceAll('{amount}', String(max)) });
    if (control.status === 0) v.doubt(`the page query at its maximum (${max}) got no answer`, control.evidence);
    else if (!executed(control.body))
      v.doubt(
        `the page query at its maximum (${max}) did not run (${control.status}: ${errorMessages(control.body)}): the profile's pageQuery is wrong`,
        control.evidence,
      );
    else v.saw(noted(control.evidence, `a page of ${max} ran`));
    const amount = max * AMOUNT_FACTOR;
    const probe = await postGraphql(ctx, path, { query: query.replaceAll('{amount}', String(amount)) });
    const got = longestList((probe.body as GraphqlResult | undefined)?.data);
    if (got > max) v.finding(`a page of ${amount} was answered with ${got} items (maximum ${max})`, noted(probe.evidence, `${got} items`));
    else if (probe.status === 0) v.doubt(`the page query for ${amount} got no answer`, probe.evidence);
    else v.saw(noted(probe.evidence, executed(probe.body) ? `capped at ${got} items` : `refused: ${probe.status} ${errorMessages(probe.body)}`));
  }
  return v.outcome(
    `a ${DUPLICATED_FIELDS}-field query is refused before execution${pageQuery ? `, a page of ${pageQuery.max * AMOUNT_FACTOR} is refused or capped at ${pageQuery.max}` : ''}`,
  );
}
