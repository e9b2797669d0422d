import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folders that hold no JavaScript of the project's own. */
const NOT_OURS = new Set(['node_modules', 'reports', 'dist', 'build', 'coverage']);

/** The first .js or .cjs file of the project's own (outside node_modules, build output and dot folders), if any. */
export function ownJavaScript(dir: string, rel = ''): string | undefined {
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || NOT_OURS.has(entry.name)) continue;
      const found = ownJavaScript(dir, path);
      if (found) return found;
    } else if (/\.c?js$/.test(entry.name)) return path;
  }
  return undefined;
}

/**
 * What package.json's "type" means for the files init writes, which are ES modules in TypeScript:
 * Node reads a .ts file as CommonJS under "type": "commonjs" (they fail to load), and guesses,
 * parsing twice and warning, when there is no "type".
 */
export type ModuleType =
  | { readonly kind: 'module' }
  | { readonly kind: 'no-package-json' }
  | { readonly kind: 'unreadable' }
  /** Safe to set "type": "module": the project has no JavaScript of its own that it would change. */
  | { readonly kind: 'settable'; readonly current: string | undefined }
  | { readonly kind: 'kept'; readonly current: string | undefined; readonly javascript: string };

export function moduleTypeOf(dir: string): ModuleType {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return { kind: 'no-package-json' };
  let pkg: { type?: unknown };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown };
  } catch {
    return { kind: 'unreadable' };
  }
  if (pkg.type === 'module') return { kind: 'module' };
  const current = typeof pkg.type === 'string' ? pkg.type : undefined;
  const javascript = ownJavaScript(dir);
  return javascript === undefined ? { kind: 'settable', current } : { kind: 'kept', current, javascript };
}

/** Sets "type": "module" in package.json, keeping its key order and indentation. */
export function setModuleType(dir: string): void {
  const file = join(dir, 'package.json');
  const text = readFileSync(file, 'utf8');
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const pkg = JSON.parse(text) as Record<string, unknown>;
  pkg['type'] = 'module';
  writeFileSync(file, `${JSON.stringify(pkg, null, indent)}\n`);
}
