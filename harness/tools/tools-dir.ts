import { join } from 'node:path';
import { projectRoot } from '../util/project-root.ts';

/**
 * Where setup puts the tools it builds (toxiproxy-server) and the Node it fetches: `.tools/bin` beside
 * crucible's own package.json (the checkout's root, or node_modules/crucible when installed), so it goes
 * away with the install and never lands in the user's repository.
 */
export function toolsBinDir(): string {
  return join(projectRoot(), '.tools', 'bin');
}
