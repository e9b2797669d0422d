import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, platform } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../result/summary-model.ts';
import { projectRoot } from '../util/project-root.ts';
import { userProjectRoot } from '../util/user-project.ts';

/** crucible's version (package.json). */
export const VERSION = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;

function gitSha(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: userProjectRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Where a run ran, as every summary records it: crucible's version, Node's, the host and the commit of the user's project (crucible's checkout when run from it; outside a git repository, none). */
export function runEnvironment(): Pick<RunSummary['run'], 'crucible' | 'node' | 'host' | 'gitSha'> {
  const sha = gitSha();
  return {
    crucible: VERSION,
    node: process.version,
    host: { cpus: availableParallelism(), platform: platform() },
    ...(sha ? { gitSha: sha } : {}),
  };
}
