import { relative } from 'node:path';
import type { z } from 'zod';
import { CrucibleError } from '../errors/crucible-error.ts';

/** Where a path is shown relative to the project, as users wrote it. */
export const shown = (file: string): string => {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
};

/** `load.steady.stages[0].target` from a zod path. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(the default export)';
}

export function invalid(file: string, what: 'scenario' | 'suite' | 'config' | 'profile', problems: readonly string[]): CrucibleError {
  return new CrucibleError(
    'CRUCIBLE_ERR_INVALID_SCENARIO',
    `${shown(file)} is not a valid ${what}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`,
    {
      details: problems.map((p) => `${shown(file)}: ${p}`),
      ...(what === 'profile'
        ? { hint: 'Fix each field listed above; docs/security.md#target-profiles and harness/security/target-profile.ts describe every field.' }
        : {}),
    },
  );
}

/** zod's message, plus the offending value when zod did not already say it (users fix faster seeing it). */
export function zodProblem(i: z.core.$ZodIssue): string {
  const input = (i as { input?: unknown }).input;
  const shownInput = input === undefined ? undefined : typeof input === 'function' ? 'a function' : JSON.stringify(input);
  const message =
    input === undefined && /expected/.test(i.message) && i.code !== 'unrecognized_keys' ? `${i.message.replace(/, got undefined$/, '')} (missing)` : i.message;
  const got =
    shownInput && shownInput.length <= 60 && !message.includes(shownInput) && i.code !== 'unrecognized_keys' && i.code !== 'invalid_union'
      ? `, got ${shownInput}`
      : '';
  return `${formatPath(i.path)}: ${message}${got}`;
}

export function zodProblems(error: z.ZodError): string[] {
  return error.issues.map(zodProblem);
}
