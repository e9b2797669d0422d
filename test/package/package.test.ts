// The package as a user gets it: pack the checkout, install the tarball into a new project outside
// it, and drive crucible from there through npx. Each step's time goes to the test's diagnostics.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { checkPortsFree } from '../../harness/targets/local/preflight.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { portMap } from '../../platform/local/ports.ts';
import { findLeftovers } from '../../platform/local/process-reaper.ts';

const root = projectRoot();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Node >= 24 (the one running the tests) first, then the checkout's tools (toxiproxy-server built by setup). */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: [dirname(process.execPath), join(root, '.tools', 'bin'), process.env['PATH'] ?? ''].join(delimiter),
  CI: 'true',
  npm_config_update_notifier: 'false',
};

function exec(cmd: string, args: readonly string[], cwd: string, timeoutMs: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(cmd, [...args], { cwd, env: { ...env, ...extraEnv }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** A 100-port block nothing listens on (the other tests use 7300-7999). */
async function freePortBase(): Promise<number> {
  for (let base = 8_400; base <= 9_800; base += 100) {
    try {
      await checkPortsFree(portMap(base, 2));
      return base;
    } catch {
      // taken: try the next block
    }
  }
  throw new Error('no free 100-port block between 8400 and 9899');
}

function folderBytes(dir: string): number {
  let sum = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) sum += folderBytes(file);
    else if (entry.isFile()) sum += statSync(file).size;
  }
  return sum;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

describe('the npm package, installed into a project outside the checkout', () => {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'crucible-package-')));
  const project = join(work, 'qa-repo');
  let base = 0;
  const npx = (args: readonly string[], timeoutMs = 180_000): Promise<Run> =>
    exec('npx', ['--no', '--', 'crucible', ...args], project, timeoutMs, { CRUCIBLE_PORT_BASE: String(base) });
  const step = (t: TestContext, what: string, r: Run): void => t.diagnostic(`${what}: ${secs(r.ms)}`);

  before(async () => {
    base = await freePortBase();
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'qa-repo', private: true, type: 'module' }, null, 2)}\n`);
  });

  after(async () => {
    // Whatever failed, nothing this test started may outlive it.
    if (existsSync(join(project, 'node_modules', '.bin', 'crucible'))) await npx(['down'], 60_000);
    rmSync(work, { recursive: true, force: true });
  });

  it('packs: the build (into the temporary folder), then npm pack of it into crucible-<version>.tgz', async (t) => {
    const dist = join(work, 'dist');
    const build = await exec(process.execPath, [join(root, 'scripts', 'build-package.ts'), '--out', dist], root, 300_000);
    assert.equal(build.code, 0, build.stderr + build.stdout);
    step(t, 'build (tsc emit, assets, dist/package.json)', build);
    const pack = await exec('npm', ['pack', dist, '--pack-destination', work, '--json', '--loglevel=error'], root, 120_000);
    assert.equal(pack.code, 0, pack.stderr);
    step(t, 'npm pack', pack);
    const [info] = JSON.parse(pack.stdout) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
    assert.ok(info);
    assert.equal(info.filename, `crucible-${version}.tgz`);
    t.diagnostic(`packed ${mb(info.size)}, unpacked ${mb(info.unpackedSize)}, ${info.entryCount} files`);
    const manifest = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(manifest['bin'], { crucible: 'bin/crucible.js' });
    assert.deepEqual(manifest['engines'], { node: '>=24' });
    const deps = Object.keys(manifest['dependencies'] as Record<string, string>);
    assert.ok(deps.includes('@playwright/test'), 'the browser probe imports @playwright/test at run time');
    for (const devOnly of ['typescript', 'eslint', 'prettier', 'autocannon', 'ajv'])
      assert.ok(!deps.includes(devOnly), `${devOnly} is not a runtime dependency`);
  });

  it('installs the tarball with npm, and crucible --version and the Node check work from node_modules', async (t) => {
    const install = await exec(
      'npm',
      ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, `crucible-${version}.tgz`)],
      project,
      300_000,
    );
    assert.equal(install.code, 0, install.stderr);
    step(t, 'npm install of the tarball', install);
    t.diagnostic(
      `installed: node_modules ${mb(folderBytes(join(project, 'node_modules')))}, crucible itself ${mb(folderBytes(join(project, 'node_modules', 'crucible')))}`,
    );

    for (const flag of ['--version', '-v']) {
      const v = await npx([flag]);
      assert.equal(v.code, 0, v.stderr);
      assert.equal(v.stdout.trim(), version);
    }
    // The installed bin on a Node that is too old: one clear line, exit 2, nothing else loaded.
    const bin = join(project, 'node_modules', '.bin', 'crucible');
    const old = await exec(
      process.execPath,
      ['--import', 'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"20.11.1"}})', bin, 'doctor'],
      project,
      30_000,
    );
    assert.equal(old.code, 2, old.stderr);
    assert.match(old.stderr, /crucible: needs Node\.js >= 24; this is Node\.js/);
    assert.equal(old.stdout, '');
  });

  it('init scaffolds the project; setup and doctor find the tools; the user files type-check against the package types', async (t) => {
    const init = await npx(['init']);
    assert.equal(init.code, 0, init.stderr + init.stdout);
    step(t, 'crucible init', init);
    for (const file of ['crucible.config.ts', 'scenarios/smoke.ts', 'profiles/target.profile.ts', '.github/workflows/crucible-pr.yml', '.gitignore'])
      assert.ok(existsSync(join(project, file)), `init wrote ${file}`);

    const setup = await npx(['setup']);
    assert.equal(setup.code, 0, setup.stderr + setup.stdout);
    assert.match(setup.stdout, /setup: all tools present/);
    step(t, 'crucible setup (everything present: it only checks)', setup);
    const doctor = await npx(['doctor', '--json']);
    assert.equal(doctor.code, 0, doctor.stderr);
    const local = (JSON.parse(doctor.stdout) as { name: string; ok: boolean }[]).find((i) => i.name === 'local');
    assert.equal(local?.ok, true, 'doctor: the local target can run');
    step(t, 'crucible doctor', doctor);

    // exports['.'].types: the scaffold's imports of 'crucible' type-check against node_modules/crucible.
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2024',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        include: ['scenarios', 'profiles', 'crucible.config.ts'],
      }),
    );
    const tsc = await exec(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project, 120_000);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
    step(t, 'tsc --noEmit of the user files', tsc);
  });

  it('up starts the reference platform from the installed package, its state in the project', async (t) => {
    const up = await npx(['up']);
    assert.equal(up.code, 0, up.stderr + up.stdout);
    assert.match(up.stdout, /platform ready in/);
    step(t, `crucible up (port base ${base})`, up);
    assert.ok(existsSync(join(project, '.crucible', `local-${base}`, 'state.json')), "the platform's state is in the user's project");
    const status = await npx(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const components = (JSON.parse(status.stdout) as { state: { components: { name: string; pid?: number }[] } }).state.components;
    const gateway = components.find((c) => c.name === 'gateway-1');
    assert.ok(gateway?.pid, 'gateway-1 runs');
    const cmdline = readFileSync(`/proc/${gateway.pid}/cmdline`, 'utf8').split('\0');
    assert.ok(
      cmdline.includes(join(project, 'node_modules', 'crucible', 'platform', 'services', 'gateway', 'main.js')),
      `the gateway runs the package's compiled service: ${cmdline.join(' ')}`,
    );
  });

  it("runs the scaffolded smoke scenario: PASSED, every report file, in the project's reports/", async (t) => {
    const run = await npx(['run', 'scenarios/smoke.ts']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /PASSED\s+smoke/);
    step(t, 'crucible run scenarios/smoke.ts', run);
    const runs = readdirSync(join(project, 'reports')).filter((d) => d.includes('smoke'));
    assert.equal(runs.length, 1);
    for (const file of ['summary.json', 'report.html', 'junit.xml', 'summary.md'])
      assert.ok(existsSync(join(project, 'reports', runs[0] ?? '', file)), `${file} written`);
    const summary = JSON.parse(readFileSync(join(project, 'reports', runs[0] ?? '', 'summary.json'), 'utf8')) as { run: { crucible: string } };
    assert.equal(summary.run.crucible, version);
  });

  it('pentest with a profile file of the project (it imports crucible too)', async (t) => {
    // The reference platform's seed users (fixtures/users.json); no detection section: no 60 s wait for alerts.
    writeFileSync(
      join(project, 'profiles', 'reference.profile.ts'),
      `import { defineProfile } from 'crucible';

export default defineProfile({
  name: 'reference-platform',
  baseUrl: \`http://127.0.0.1:\${process.env['CRUCIBLE_PORT_BASE']}\`,
  auth: {
    login: { path: '/api/auth/login' },
    users: {
      userA: { username: 'alice', password: 'alice-pass-0001' },
      userB: { username: 'bob', password: 'bob-pass-0001' },
      admin: { username: 'admin', password: 'admin-pass-0001' },
    },
  },
  protectedProbe: { method: 'GET', path: '/api/me' },
});
`,
    );
    const pentest = await npx(['pentest', '--profile', 'profiles/reference.profile.ts']);
    assert.equal(pentest.code, 0, pentest.stderr + pentest.stdout);
    assert.match(pentest.stdout, /PASSED\s+pentest of http:\/\/127\.0\.0\.1:\d+: \d+ passed, 0 failed/);
    step(t, 'crucible pentest --profile profiles/reference.profile.ts', pentest);
    const runs = readdirSync(join(project, 'reports')).filter((d) => d.includes('pentest'));
    assert.equal(runs.length, 1);
    assert.ok(existsSync(join(project, 'reports', runs[0] ?? '', 'findings.sarif')));
  });

  it('an invalid scenario of the project exits 2 naming its file and field', async (t) => {
    writeFileSync(
      join(project, 'scenarios', 'broken.ts'),
      `import { defineScenario } from 'crucible';
import { home } from './journeys.ts';

export default defineScenario({
  name: 'broken',
  kind: 'load',
  flows: { home: { weight: 1, run: home } },
  load: { steady: { executor: 'constant-arrival-rate', rate: -5, duration: '5s', preAllocatedVUs: 1, maxVUs: 2 } },
});
`,
    );
    const bad = await npx(['run', 'scenarios/broken.ts']);
    assert.equal(bad.code, 2, bad.stderr + bad.stdout);
    assert.match(bad.stderr, /scenarios\/broken\.ts: load\.steady\.rate: /);
    step(t, 'crucible run scenarios/broken.ts (refused)', bad);
  });

  it('down leaves nothing running', async (t) => {
    const down = await npx(['down']);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /stopped \d+ components/);
    step(t, 'crucible down', down);
    assert.deepEqual(findLeftovers(join(project, '.crucible', `local-${base}`), []), []);
    await checkPortsFree(portMap(base, 2));
  });
});
