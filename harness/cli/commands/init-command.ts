import { Command, Option } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { userProjectRoot } from '../../util/user-project.ts';
import { moduleTypeOf } from '../../scaffold/module-type.ts';
import { CI_SYSTEMS, type CiSystem } from '../../scaffold/scaffold-files.ts';
import { scaffoldProject, type ScaffoldStep, type ScaffoldTarget } from '../../scaffold/scaffold-project.ts';
import { color } from '../output.ts';

interface InitFlags {
  dir?: string;
  target: string;
  ci: CiSystem;
  force?: boolean;
  dryRun?: boolean;
}

function targetFrom(value: string): ScaffoldTarget {
  if (value === 'local') return { kind: 'local' };
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--target must be local or an http(s) URL (got '${value}')`);
  return { kind: 'url', url: value };
}

function dirFrom(flag: string | undefined): string {
  if (flag === undefined) return userProjectRoot(process.cwd());
  const dir = resolve(flag);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--dir: no folder at ${dir}`);
  return dir;
}

function describe(step: ScaffoldStep, dryRun: boolean): string {
  const verb = (done: string, would: string): string => (dryRun ? would : done).padEnd(16);
  switch (step.kind) {
    case 'created':
      return `  ${color.green(verb('created', 'would create'))}${step.path}`;
    case 'overwritten':
      return `  ${color.yellow(verb('overwritten', 'would overwrite'))}${step.path}`;
    case 'appended':
      return `  ${color.green(verb('appended to', 'would append to'))}${step.path} ${color.dim(`(${step.lines.join(', ')})`)}`;
    case 'updated':
      return `  ${color.green(verb('updated', 'would update'))}${step.path} ${color.dim(`(${step.change})`)}`;
    case 'skipped':
      return `  ${color.dim(verb('skipped', 'would skip'))}${step.path} ${color.dim(`(${step.reason})`)}`;
    default: {
      const never: never = step;
      return never;
    }
  }
}

/** What the CI workflows need from the project's package.json, said when it is missing. */
function packageNotes(dir: string): string[] {
  const file = join(dir, 'package.json');
  if (!existsSync(file))
    return [`no package.json here: the CI jobs install crucible with npm ci, so run 'npm init -y && npm install --save-dev crucible' in this folder`];
  const notes: string[] = [];
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    if (!pkg.dependencies?.['crucible'] && !pkg.devDependencies?.['crucible'])
      notes.push(`package.json does not list crucible: 'npm install --save-dev crucible' so that CI's npm ci installs it`);
  } catch {
    notes.push('package.json is not valid JSON: the CI jobs cannot npm ci until it is');
  }
  const type = moduleTypeOf(dir);
  if (type.kind === 'kept')
    notes.push(
      type.current === 'commonjs'
        ? `package.json says "type": "commonjs", so Node loads the scaffolded TypeScript files (ES modules) as CommonJS and they fail: set "type": "module" ('npm pkg set type=module') if your .js files (${type.javascript}, ...) are ES modules, else keep crucible in a folder of its own with its own package.json`
        : `package.json has no "type": "module": Node parses the scaffolded files twice and warns (MODULE_TYPELESS_PACKAGE_JSON); 'npm pkg set type=module' if your .js files (${type.javascript}, ...) are ES modules`,
    );
  if (!existsSync(join(dir, 'package-lock.json'))) notes.push(`no package-lock.json: the CI jobs run npm ci, which needs it ('npm install' writes it)`);
  return notes;
}

export function initCommand(): Command {
  return new Command('init')
    .description('scaffold crucible in your repository: config, scenarios, a target profile, CI workflows and .gitignore rules; never overwrites a file')
    .option('--dir <folder>', 'the project folder (default: the nearest folder up from here with a crucible.config.ts or package.json, else this one)')
    .option('--target <local|url>', "where the scenarios send traffic: 'local' (crucible's reference platform) or your service's base URL", 'local')
    .addOption(new Option('--ci <system>', 'which CI files to write').choices(CI_SYSTEMS).default('github'))
    .option('--force', 'overwrite files that exist (.gitignore is still only appended to)')
    .option('--dry-run', 'print what would be written, write nothing')
    .addHelpText(
      'after',
      `
Writes, relative to the project folder (a file that exists is skipped and named, unless --force):
  crucible.config.ts                 the target (--target), the reports folder, the SLOs runs are judged on
  scenarios/smoke.ts                 a 20 s smoke run (the pull-request job runs it)
  scenarios/load.ts                  a warm-up ramp and two steady minutes, judged on thresholds and SLOs
  scenarios/soak.ts                  a long steady run (the nightly job runs it; CRUCIBLE_SOAK_DURATION)
  scenarios/journeys.ts              the user journeys the three share: add yours here
  profiles/target.profile.ts         a target profile for 'crucible pentest', every field explained
  .github/workflows/crucible-*.yml   --ci github: pull-request smoke, nightly soak compared with the
                                     last good night, weekly sign-off (SARIF to code scanning, JUnit)
  .gitlab-ci.yml                     --ci gitlab: the same three jobs for GitLab CI
  .gitignore                         the rules for run output (reports/, .crucible/), appended if missing

Scenario and profile files import from 'crucible' and are TypeScript that Node runs as it is.
The CI recipes are explained in node_modules/crucible/docs/ci.md.

Examples:
  $ npx crucible init                                    # the reference platform as the target, GitHub Actions
  $ npx crucible init --target https://staging.example.com
  $ npx crucible init --ci gitlab --dry-run
  $ npx crucible init --force                            # rewrite the files from the templates
`,
    )
    .action((flags: InitFlags) => {
      const target = targetFrom(flags.target);
      const dir = dirFrom(flags.dir);
      const dryRun = flags.dryRun === true;
      const steps = scaffoldProject({ dir, target, ci: flags.ci, force: flags.force === true, dryRun });
      const where = relative(process.cwd(), dir) || '.';
      console.log(
        `crucible init in ${dir} (target ${target.kind === 'local' ? 'local: the reference platform' : target.url}; CI ${flags.ci})${dryRun ? color.yellow(': dry run, nothing written') : ''}\n`,
      );
      for (const step of steps) console.log(describe(step, dryRun));
      const notes = packageNotes(dir);
      if (notes.length > 0) console.log('');
      for (const note of notes) console.log(`${color.yellow('note')} ${note}`);
      const run = `npx crucible run scenarios/smoke.ts`;
      console.log(`\n${color.bold('next:')}`);
      if (where !== '.') console.log(`  cd ${where}`);
      if (target.kind === 'local') {
        console.log(`  npx crucible doctor         what the reference platform needs on this machine ('npx crucible setup' installs it)`);
        console.log(`  ${run}   the smoke run: starts the reference platform, runs, stops it`);
      } else console.log(`  ${run}   the smoke run against ${target.url}`);
    });
}
