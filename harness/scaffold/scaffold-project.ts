import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { missingIgnoreRules, withIgnoreRules } from './gitignore-lines.ts';
import { moduleTypeOf, setModuleType } from './module-type.ts';
import { renderTemplate, type TemplateInput } from './render-template.ts';
import { GITIGNORE_TEMPLATE, SCAFFOLD_FILES, templatesDir, type CiSystem } from './scaffold-files.ts';

/** Where the scaffolded scenarios send their traffic. */
export type ScaffoldTarget = { readonly kind: 'local' } | { readonly kind: 'url'; readonly url: string };

export interface ScaffoldOptions {
  /** The user's project folder (absolute). */
  readonly dir: string;
  readonly target: ScaffoldTarget;
  readonly ci: CiSystem;
  /** Overwrite files that exist (the .gitignore is still only appended to). */
  readonly force: boolean;
  /** Say what would happen, write nothing. */
  readonly dryRun: boolean;
}

/** What init did (or, in a dry run, would do) to one file, paths relative to the project folder. */
export type ScaffoldStep =
  | { readonly kind: 'created'; readonly path: string }
  | { readonly kind: 'overwritten'; readonly path: string }
  | { readonly kind: 'appended'; readonly path: string; readonly lines: readonly string[] }
  | { readonly kind: 'updated'; readonly path: string; readonly change: string }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string };

/** The values the templates are rendered with. */
export function templateInput(target: ScaffoldTarget): TemplateInput {
  switch (target.kind) {
    case 'local':
      return {
        values: { target: 'local', profileName: 'my-service', profileBaseUrl: 'http://127.0.0.1:8080' },
        sections: { local: true },
      };
    case 'url':
      return {
        values: { target: target.url, profileName: new URL(target.url).hostname, profileBaseUrl: target.url.replace(/\/$/, '') },
        sections: { local: false },
      };
    default: {
      const never: never = target;
      return never;
    }
  }
}

/**
 * Writes crucible's starting files into the user's project: the config, the scenarios, a target
 * profile, the CI workflows, and the .gitignore rules for run output. A file that exists is left
 * as it is (unless `force`); the .gitignore only gets the rules it lacks; package.json gets
 * "type": "module" only when the project has no JavaScript of its own that it would change.
 */
export function scaffoldProject(o: ScaffoldOptions): ScaffoldStep[] {
  const input = templateInput(o.target);
  const steps: ScaffoldStep[] = [];
  const write = (path: string, text: string): void => {
    if (o.dryRun) return;
    mkdirSync(dirname(join(o.dir, path)), { recursive: true });
    writeFileSync(join(o.dir, path), text);
  };
  for (const file of SCAFFOLD_FILES) {
    if (file.ci !== undefined && file.ci !== o.ci) continue;
    const text = renderTemplate(file.template, readFileSync(join(templatesDir(), file.template), 'utf8'), input);
    const target = join(o.dir, file.path);
    if (!existsSync(target)) {
      write(file.path, text);
      steps.push({ kind: 'created', path: file.path });
    } else if (readFileSync(target, 'utf8') === text) {
      steps.push({ kind: 'skipped', path: file.path, reason: 'already as init writes it' });
    } else if (o.force) {
      write(file.path, text);
      steps.push({ kind: 'overwritten', path: file.path });
    } else {
      steps.push({ kind: 'skipped', path: file.path, reason: 'exists; --force overwrites it' });
    }
  }
  const wanted = readFileSync(join(templatesDir(), GITIGNORE_TEMPLATE), 'utf8');
  const gitignore = join(o.dir, '.gitignore');
  const existing = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : undefined;
  const missing = missingIgnoreRules(existing ?? '', wanted);
  if (missing.length === 0) steps.push({ kind: 'skipped', path: '.gitignore', reason: 'has every rule crucible needs' });
  else {
    write('.gitignore', withIgnoreRules(existing ?? '', wanted));
    steps.push(existing === undefined ? { kind: 'created', path: '.gitignore' } : { kind: 'appended', path: '.gitignore', lines: missing });
  }
  // The files above are ES modules: where no JavaScript of the project's own would change with it, say so in package.json.
  const type = moduleTypeOf(o.dir);
  if (type.kind === 'settable') {
    if (!o.dryRun) setModuleType(o.dir);
    steps.push({ kind: 'updated', path: 'package.json', change: `"type": ${type.current === undefined ? '"module" added' : `"${type.current}" -> "module"`}` });
  }
  return steps;
}
