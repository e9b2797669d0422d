import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../harness/config/load-config.ts';
import { loadDefinition } from '../../harness/config/load-definition.ts';
import { loadProfile } from '../../harness/security/load-profile.ts';
import { findTool } from '../../harness/tools/find-tool.ts';
import { projectRoot } from '../../harness/util/project-root.ts';

const ROOT = projectRoot();
const WORKFLOWS = ['crucible-pr.yml', 'crucible-nightly.yml', 'crucible-signoff.yml'].map((f) => join('.github', 'workflows', f));
const SCENARIOS = ['smoke', 'load', 'soak'];

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((resolve) =>
    execFile(cmd, args, { cwd, env, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

const crucible = (args: readonly string[], cwd: string): Promise<Result> =>
  run(process.execPath, ['--disable-warning=ExperimentalWarning', join(ROOT, 'harness', 'cli', 'main.ts'), ...args], cwd, { ...process.env, NO_COLOR: '1' });

/** actionlint with shellcheck (it lints the run: scripts with it), as the checkout's setup installs them (DEV_TOOLS). */
function actionlint(): { readonly file: string; readonly args: readonly string[] } {
  const file = findTool('actionlint');
  const shellcheck = findTool('shellcheck');
  if (file === undefined || shellcheck === undefined) assert.fail("actionlint or shellcheck is not installed: 'npm run setup' installs them");
  return { file, args: ['-no-color', '-shellcheck', shellcheck] };
}

async function lint(files: readonly string[], cwd: string): Promise<Result> {
  const { file, args } = actionlint();
  return run(file, [...args, '-oneline', ...files], cwd);
}

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * A user's project outside the checkout: a package.json (ESM, as a TypeScript project has it) and
 * 'crucible' in its node_modules, here a link to this checkout (its real path is outside
 * node_modules, so Node strips its types as it does the checkout's).
 */
function userProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-init-'));
  temps.push(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'shop-qa', private: true, type: 'module', devDependencies: { crucible: '*' } }, null, 2)}\n`,
  );
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'crucible'), 'dir');
  return dir;
}

describe('crucible init', () => {
  it('scaffolds the nearest folder up with a package.json, says what it wrote and the next command', async () => {
    const dir = userProject();
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
    const out = await crucible(['init'], join(dir, 'sub', 'deeper'));
    assert.equal(out.code, 0, out.stderr);
    for (const file of [
      'crucible.config.ts',
      'scenarios/journeys.ts',
      'scenarios/smoke.ts',
      'scenarios/load.ts',
      'scenarios/soak.ts',
      'profiles/target.profile.ts',
      ...WORKFLOWS,
    ]) {
      assert.ok(existsSync(join(dir, file)), `${file} was written`);
      assert.match(out.stdout, new RegExp(`created\\s+${file.replaceAll('.', '\\.')}\\n`), `the output names ${file}`);
    }
    assert.equal(existsSync(join(dir, '.gitlab-ci.yml')), false, '--ci github (the default) writes no GitLab file');
    assert.equal(existsSync(join(dir, 'sub', 'deeper', 'crucible.config.ts')), false);
    assert.equal(
      readFileSync(join(dir, '.gitignore'), 'utf8'),
      "node_modules/\n\n# crucible: run reports and the reference platform's state\nreports/\n.crucible/\n",
    );
    assert.match(out.stdout, /appended to\s+\.gitignore \(reports\/, \.crucible\/\)/);
    // What CI's npm ci needs and this project lacks is said; what it has is not.
    assert.match(out.stdout, /note no package-lock\.json: the CI jobs run npm ci/);
    assert.doesNotMatch(out.stdout, /does not list crucible|"type": "module"/);
    assert.match(out.stdout, /next:\n {2}cd \.\.\/\.\.\n.*\n {2}npx crucible run scenarios\/smoke\.ts/);
  });

  it('never overwrites: a second run skips every file and says why; --force rewrites a changed one; .gitignore is only appended to', async () => {
    const dir = userProject();
    assert.equal((await crucible(['init', '--ci', 'gitlab'], dir)).code, 0);
    writeFileSync(join(dir, 'scenarios', 'smoke.ts'), '// mine\n');
    const again = await crucible(['init', '--ci', 'gitlab'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(join(dir, 'scenarios', 'smoke.ts'), 'utf8'), '// mine\n', 'a file that exists is left as it is');
    assert.match(again.stdout, /skipped\s+scenarios\/smoke\.ts \(exists; --force overwrites it\)/);
    assert.match(again.stdout, /skipped\s+crucible\.config\.ts \(already as init writes it\)/);
    assert.match(again.stdout, /skipped\s+\.gitignore \(has every rule crucible needs\)/);
    assert.doesNotMatch(again.stdout, /created|overwritten|appended/);

    const dry = await crucible(['init', '--ci', 'gitlab', '--force', '--dry-run'], dir);
    assert.match(dry.stdout, /would overwrite\s+scenarios\/smoke\.ts/);
    assert.equal(readFileSync(join(dir, 'scenarios', 'smoke.ts'), 'utf8'), '// mine\n', 'a dry run writes nothing');

    const forced = await crucible(['init', '--ci', 'gitlab', '--force'], dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /overwritten\s+scenarios\/smoke\.ts/);
    assert.match(readFileSync(join(dir, 'scenarios', 'smoke.ts'), 'utf8'), /defineScenario/);
  });

  it('sets "type": "module" in a package.json npm init -y wrote (the scaffolded files are ES modules), and only notes it where .js files of the project would change', async () => {
    const fresh = userProject();
    writeFileSync(join(fresh, 'package.json'), '{\n  "name": "qa",\n  "main": "index.js",\n  "type": "commonjs"\n}\n');
    const out = await crucible(['init'], fresh);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /updated\s+package\.json \("type": "commonjs" -> "module"\)/);
    assert.equal((await loadConfig(undefined, fresh)).config.target, 'local', 'the config loads as an ES module');

    const app = userProject();
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "type": "commonjs" }\n');
    writeFileSync(join(app, 'server.js'), 'module.exports = {};\n');
    const kept = await crucible(['init'], app);
    assert.doesNotMatch(kept.stdout, /updated\s+package\.json/);
    assert.match(kept.stdout, /note package\.json says "type": "commonjs".*'npm pkg set type=module'.*\(server\.js, \.\.\.\)/);
    assert.equal(readFileSync(join(app, 'package.json'), 'utf8'), '{ "name": "app", "type": "commonjs" }\n');
  });

  it('refuses a target that is neither local nor an http(s) URL, and a --dir that does not exist (exit 2)', async () => {
    const dir = userProject();
    const target = await crucible(['init', '--target', 'staging'], dir);
    assert.equal(target.code, 2);
    assert.match(target.stderr, /CRUCIBLE_ERR_INVALID_OPTION: --target must be local or an http\(s\) URL \(got 'staging'\)/);
    const missing = await crucible(['init', '--dir', join(dir, 'nope')], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--dir: no folder at/);
    assert.equal(existsSync(join(dir, 'crucible.config.ts')), false, 'nothing is written on invalid input');
  });

  for (const target of ['local', 'https://staging.example.com']) {
    describe(`what it writes (--target ${target})`, () => {
      const dir = userProject();
      const written = Promise.all([crucible(['init', '--target', target], dir), crucible(['init', '--target', target, '--ci', 'gitlab'], dir)]);

      it("loads with crucible's own loaders: the config, each scenario (the real schema) and the profile", async () => {
        for (const r of await written) assert.equal(r.code, 0, r.stderr);
        const config = await loadConfig(undefined, dir);
        assert.equal(config.config.target, target);
        assert.equal(config.config.reportsDir, 'reports');
        for (const name of SCENARIOS) {
          const loaded = await loadDefinition(join(dir, 'scenarios', `${name}.ts`), { slos: config.config.slos });
          assert.equal(loaded.kind, 'scenario');
          if (loaded.kind === 'scenario') assert.equal(loaded.scenario.name, name);
        }
        const { profile } = await loadProfile(join(dir, 'profiles', 'target.profile.ts'));
        assert.equal(profile.baseUrl, target === 'local' ? 'http://127.0.0.1:8080' : target);
      });

      it('type-checks (tsc, the repository compiler options) as users edit it', async () => {
        await written;
        writeFileSync(
          join(dir, 'tsconfig.json'),
          JSON.stringify({
            extends: join(ROOT, 'tsconfig.json'),
            compilerOptions: { typeRoots: [join(ROOT, 'node_modules', '@types')] },
            include: ['**/*.ts'],
            exclude: ['node_modules'],
          }),
        );
        const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(dir, 'tsconfig.json')], dir);
        assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
      });

      it('its GitHub workflows pass actionlint', async () => {
        await written;
        const out = await lint(WORKFLOWS, dir);
        assert.equal(out.code, 0, out.stdout + out.stderr);
      });

      it('its GitLab CI file parses as YAML with the three jobs, their scripts, JUnit reports and artifacts', async () => {
        await written;
        const ci = parse(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')) as Record<string, unknown>;
        assert.deepEqual(ci['stages'], ['test']);
        for (const job of ['crucible-smoke', 'crucible-nightly', 'crucible-signoff']) {
          const j = ci[job] as {
            extends?: string;
            script?: unknown;
            rules?: unknown;
            artifacts?: { when?: string; paths?: unknown; reports?: { junit?: unknown } };
          };
          assert.equal(j.extends, '.crucible', job);
          assert.ok(Array.isArray(j.script) && j.script.length > 0 && j.script.every((l) => typeof l === 'string'), `${job}: script lines`);
          assert.ok(Array.isArray(j.rules), `${job}: rules`);
          assert.equal(j.artifacts?.when, 'always', `${job}: artifacts even when it fails`);
          assert.ok(Array.isArray(j.artifacts?.paths), `${job}: artifacts:paths`);
          assert.ok(j.artifacts?.reports?.junit !== undefined, `${job}: artifacts:reports:junit`);
        }
        const base = ci['.crucible'] as { before_script: string[] };
        assert.equal(base.before_script.includes('npx crucible setup'), target === 'local', 'the platform tools are set up only for the local target');
      });
    });
  }

  it('actionlint catches a broken workflow (the lint can fail)', async () => {
    const dir = userProject();
    assert.equal((await crucible(['init'], dir)).code, 0);
    const file = join(dir, WORKFLOWS[1]!);
    const text = readFileSync(file, 'utf8');
    // A typo in a step output's name, an input download-artifact does not have, and an unquoted variable in a script (shellcheck).
    const broken = text
      .replace('steps.previous.outputs.run-id', 'steps.previus.outputs.run-id')
      .replace('run-id: ${{', 'run_id: ${{')
      .replace('>> "$GITHUB_OUTPUT"', '>> $GITHUB_OUTPUT');
    assert.notEqual(broken, text);
    writeFileSync(file, broken);
    const out = await lint([WORKFLOWS[1]!], dir);
    assert.equal(out.code, 1, out.stdout + out.stderr);
    assert.match(out.stdout, /property "previus" is not defined/);
    assert.match(out.stdout, /input "run_id" is not defined in action "actions\/download-artifact@v8"/);
    assert.match(out.stdout, /shellcheck reported issue in this script: SC2086/);
  });
});
