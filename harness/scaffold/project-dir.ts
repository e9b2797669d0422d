import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The user's project: the nearest folder from `cwd` up that holds a package.json (where
 * `npm install` put crucible), else `cwd` itself (a repository that has no package.json yet).
 */
export function projectDirFrom(cwd: string): string {
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
