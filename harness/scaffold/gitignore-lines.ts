/** The rules of a .gitignore text: no blank lines, no comments. */
function rules(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** `/reports/`, `reports`, `reports/*` and `reports/**` all keep reports/ out of git. */
function covered(rule: string): string {
  return rule.replace(/^\//, '').replace(/\/(\*\*?)?$/, '');
}

/** The rules of `wanted` (a .gitignore template) that `existing` lacks, in the template's order. */
export function missingIgnoreRules(existing: string, wanted: string): string[] {
  const have = new Set(rules(existing).map(covered));
  return rules(wanted).filter((r) => !have.has(covered(r)));
}

/** `existing` with the missing rules appended under the template's comment, after a blank line. */
export function withIgnoreRules(existing: string, wanted: string): string {
  const missing = missingIgnoreRules(existing, wanted);
  if (missing.length === 0) return existing;
  const comment = wanted.split('\n').find((l) => l.trim().startsWith('#'));
  const head = existing === '' ? '' : existing.endsWith('\n') ? `${existing}\n` : `${existing}\n\n`;
  return `${head}${comment ? `${comment.trim()}\n` : ''}${missing.join('\n')}\n`;
}
