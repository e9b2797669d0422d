import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The user's project: the nearest folder up from `cwd` holding crucible.config.ts or package.json
 * (the working directory itself when none does). Its crucible.config.ts, its scenarios/, its
 * reports/ and the platform's state folder (.crucible/) are found there; crucible's own files
 * (platform code, Prometheus rules, web UI, example scenarios) come from projectRoot(). Run from
 * crucible's checkout, both are the checkout's root.
 */
export function userProjectRoot(cwd = process.cwd()): string {
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'crucible.config.ts')) || existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
