import { Kind, type DocumentNode, type SelectionSetNode, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { createComplexityRule, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { refusalError, taggingContext } from './refusal.ts';

/**
 * Fields in the document with every fragment spread expanded (memoized per fragment, stopping
 * once past `cap`), or Infinity when a fragment is unknown or spreads itself.
 */
function expandedFieldCount(doc: DocumentNode, cap: number): number {
  const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const sizes = new Map<string, number>();
  const visiting = new Set<string>();
  const fragmentSize = (name: string): number => {
    const known = sizes.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return Infinity;
    visiting.add(name);
    const size = selectionSize(fragment.selectionSet);
    visiting.delete(name);
    sizes.set(name, size);
    return size;
  };
  const selectionSize = (set: SelectionSetNode | undefined): number => {
    let size = 0;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) size += 1 + selectionSize(sel.selectionSet);
      else if (sel.kind === Kind.INLINE_FRAGMENT) size += selectionSize(sel.selectionSet);
      else size += fragmentSize(sel.name.value);
      if (size > cap) return size;
    }
    return size;
  };
  let total = 0;
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION && total <= cap) total += selectionSize(d.selectionSet);
  return total;
}

/**
 * A list field with a `limit` argument (defaults applied) returns up to that many items, each
 * costing its whole selection: nested lists multiply. One point per field alone let
 * `related(limit: 20)` three deep (8,000 products) pass as 5 points (found by SEC-GQL-06).
 */
const listEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args['limit'] === 'number' ? 1 + Math.max(0, args['limit']) * childComplexity : undefined;

/**
 * Depth (graphql-depth-limit) and complexity (graphql-query-complexity: one point per field, list
 * fields multiplied by their limit) limits,
 * run only on documents whose expanded size is bounded. Both libraries walk fragment spreads
 * without memoizing, and depth-limit recurses forever on a fragment cycle and crashes on an unknown
 * fragment; so a document that repeats fragments past maxComplexity fields is refused here first,
 * and one with broken fragments is left to graphql's own rules, which report it.
 */
export function queryCostRule(opts: { maxDepth: number; maxComplexity: number; variables: Record<string, unknown>; operationName?: string }): ValidationRule {
  return (context) => {
    const size = expandedFieldCount(context.getDocument(), opts.maxComplexity);
    if (size === Infinity) return {};
    if (size > opts.maxComplexity) {
      context.reportError(refusalError(`the query expands to more than ${opts.maxComplexity} fields`, 'query_too_complex'));
      return {};
    }
    // depth-limit does its work when the rule is created and reports through the context.
    depthLimit(opts.maxDepth)(taggingContext(context, 'query_too_deep'));
    return createComplexityRule({
      maximumComplexity: opts.maxComplexity,
      variables: opts.variables,
      operationName: opts.operationName,
      estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
      createError: (max, actual) => refusalError(`the query has a complexity of ${actual}; at most ${max} is allowed`, 'query_too_complex'),
    })(context);
  };
}
