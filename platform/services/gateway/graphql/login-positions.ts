import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';

/** As register-graphql's parser bound: a document mercurius would refuse has no logins to count. */
const MAX_TOKENS = 5_000;

interface OperationRequest {
  readonly query?: unknown;
  readonly operationName?: unknown;
}

/** Response keys (alias or name) of the root login fields of the operation mercurius will run, in document order. */
function loginKeys(op: OperationRequest): string[] {
  if (typeof op.query !== 'string') return [];
  let doc: DocumentNode;
  try {
    doc = parse(op.query, { maxTokens: MAX_TOKENS });
  } catch {
    return [];
  }
  const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    typeof op.operationName === 'string' ? operations.find((o) => o.name?.value === op.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (operation?.operation !== 'mutation') return [];
  const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const keys = new Set<string>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value === 'login') keys.add(sel.alias?.value ?? sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet);
      } else if (!visited.has(sel.name.value)) {
        visited.add(sel.name.value);
        const fragment = fragments.get(sel.name.value);
        if (fragment) walk(fragment);
      }
    }
  };
  walk(operation.selectionSet);
  return [...keys];
}

/** Where one login field runs: the batch index mercurius gives it (operationId; 0 outside a batch) and its response key. */
export const loginPosition = (operationId: number | undefined, responseKey: string): string => `${operationId ?? 0}:${responseKey}`;

/**
 * Every login field of one /graphql request body (an operation or a batch), in document order:
 * operations in array order, fields in the order a mutation runs them. Counted from the body as
 * sent, so an operation that then fails validation, or a skipped field, still counts (never fewer).
 */
export function loginPositions(body: unknown): string[] {
  const ops: unknown[] = Array.isArray(body) ? body : [body];
  return ops.flatMap((op, i) => (op && typeof op === 'object' ? loginKeys(op as OperationRequest).map((key) => loginPosition(i, key)) : []));
}
