/**
 * What a template is rendered with: `{{name}}` takes values[name]; a line `{{#flag}}` opens lines
 * kept only when sections[flag] is true, `{{^flag}}` lines kept only when it is false, and
 * `{{/flag}}` closes either (Mustache's spelling, so a reader knows it).
 */
export interface TemplateInput {
  readonly values: Readonly<Record<string, string>>;
  readonly sections: Readonly<Record<string, boolean>>;
}

// `{{name}}` with no spaces and no `$` before it: GitHub's `${{ expr }}` and GitLab's `${VAR}`
// pass through untouched. (A template engine such as Mustache would eat `${{ github.token }}`,
// which is why this is a dozen lines of its own.)
const PLACEHOLDER = /(?<!\$)\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const SECTION = /^\s*\{\{([#^/])([A-Za-z][A-Za-z0-9]*)\}\}\s*$/;

/** Renders a template; an unknown placeholder or section, or an unclosed one, throws naming the template and the line. */
export function renderTemplate(name: string, text: string, input: TemplateInput): string {
  const out: string[] = [];
  const open: { readonly mark: string; readonly flag: string; readonly keep: boolean; readonly line: number }[] = [];
  function fail(line: number, why: string): never {
    throw new Error(`template ${name}:${line}: ${why}`);
  }
  for (const [i, line] of text.split('\n').entries()) {
    const section = SECTION.exec(line);
    if (section) {
      const [, mark = '', flag = ''] = section;
      if (mark === '/') {
        if (open.at(-1)?.flag !== flag) fail(i + 1, `{{/${flag}}} closes no open {{#${flag}}} or {{^${flag}}}`);
        open.pop();
        continue;
      }
      const value = input.sections[flag];
      if (value === undefined) fail(i + 1, `unknown section ${flag}`);
      open.push({ mark, flag, keep: mark === '#' ? value : !value, line: i + 1 });
      continue;
    }
    if (!open.every((s) => s.keep)) continue;
    out.push(
      line.replace(PLACEHOLDER, (_, key: string) => {
        const value = input.values[key];
        return value ?? fail(i + 1, `unknown placeholder {{${key}}}`);
      }),
    );
  }
  const unclosed = open.at(-1);
  if (unclosed) fail(unclosed.line, `{{${unclosed.mark}${unclosed.flag}}} is never closed`);
  return out.join('\n');
}
