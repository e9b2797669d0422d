import { join } from 'node:path';
import { projectRoot } from '../util/project-root.ts';

/** Which CI system's files init writes. */
export type CiSystem = 'github' | 'gitlab' | 'none';
export const CI_SYSTEMS: readonly CiSystem[] = ['github', 'gitlab', 'none'];

/** A file init writes: its template (under templates/init/) and where it goes in the user's project. */
export interface ScaffoldFile {
  readonly template: string;
  readonly path: string;
  /** Written only for this CI system; absent: always written. */
  readonly ci?: Exclude<CiSystem, 'none'>;
}

/**
 * The templates are files shipped with crucible (templates/init/ beside harness/, in the checkout
 * and in the installed package alike), found from this file's own location, never from the
 * working directory. They end in .tmpl so no tool of this repository (tsc, eslint, prettier, the
 * build) takes them for its sources; the tests check what init renders from them.
 */
export function templatesDir(): string {
  return join(projectRoot(), 'templates', 'init');
}

export const SCAFFOLD_FILES: readonly ScaffoldFile[] = [
  { template: 'crucible.config.ts.tmpl', path: 'crucible.config.ts' },
  { template: 'scenarios/journeys.ts.tmpl', path: 'scenarios/journeys.ts' },
  { template: 'scenarios/smoke.ts.tmpl', path: 'scenarios/smoke.ts' },
  { template: 'scenarios/load.ts.tmpl', path: 'scenarios/load.ts' },
  { template: 'scenarios/soak.ts.tmpl', path: 'scenarios/soak.ts' },
  { template: 'profiles/target.profile.ts.tmpl', path: 'profiles/target.profile.ts' },
  { template: 'github/crucible-pr.yml.tmpl', path: '.github/workflows/crucible-pr.yml', ci: 'github' },
  { template: 'github/crucible-nightly.yml.tmpl', path: '.github/workflows/crucible-nightly.yml', ci: 'github' },
  { template: 'github/crucible-signoff.yml.tmpl', path: '.github/workflows/crucible-signoff.yml', ci: 'github' },
  { template: 'gitlab/gitlab-ci.yml.tmpl', path: '.gitlab-ci.yml', ci: 'gitlab' },
];

/** The lines init makes sure .gitignore has (appending only those missing). */
export const GITIGNORE_TEMPLATE = 'gitignore.tmpl';
