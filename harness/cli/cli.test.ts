import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../util/project-root.ts';
import { findLeftovers } from '../../platform/local/process-reaper.ts';

const MAIN = join(projectRoot(), 'harness', 'cli', 'main.ts');
/** A block no other test uses: these tests never start the platform, they prove it refuses to. */
const BASE = 7_500;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', MAIN, ...args],
      { env: { ...env, CI: 'true' }, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });

describe('crucible CLI', () => {
  it('teaches with --help on every command', async () => {
    for (const cmd of [
      [],
      ['up'],
      ['down'],
      ['status'],
      ['doctor'],
      ['setup'],
      ['smoke'],
      ['run'],
      ['report'],
      ['compare'],
      ['recover'],
      ['pentest'],
      ['signoff'],
    ]) {
      const r = await cli([...cmd, '--help']);
      assert.equal(r.code, 0, `${cmd.join(' ') || 'crucible'} --help exits 0`);
      assert.match(r.stdout, /Example/, `${cmd.join(' ') || 'crucible'} --help has examples`);
    }
  });

  it('signoff refuses bad input before anything starts: exit 2 naming the file and the field, no platform', async () => {
    const profiles = join(projectRoot(), 'fixtures', 'profiles');
    const bad = await cli(['signoff', '--profile', join(profiles, 'invalid', 'missing-users.ts'), '--load', 'smoke', '--port-base', String(BASE)]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /missing-users\.ts: baseUrl: Invalid URL/);
    assert.match(bad.stderr, /missing-users\.ts: auth\.users\.admin:/);
    const noLoad = await cli(['signoff', '--profile', join(profiles, 'example-api.ts'), '--port-base', String(BASE)]);
    assert.equal(noLoad.code, 2, noLoad.stderr);
    assert.match(noLoad.stderr, /needs --load <scenario>/);
    const badLoad = await cli([
      'signoff',
      '--short',
      '--load',
      join(projectRoot(), 'fixtures', 'scenarios', 'invalid', 'bad-fields.ts'),
      '--port-base',
      String(BASE),
    ]);
    assert.equal(badLoad.code, 2, badLoad.stderr);
    assert.match(badLoad.stderr, /bad-fields\.ts: /);
    const chaosExternal = await cli([
      'signoff',
      '--profile',
      join(profiles, 'example-api.ts'),
      '--load',
      'smoke',
      '--chaos',
      'game-day',
      '--port-base',
      String(BASE),
    ]);
    assert.equal(chaosExternal.code, 2, chaosExternal.stderr);
    assert.match(chaosExternal.stderr, /--chaos needs the local target/);
    assert.equal(existsSync(join(projectRoot(), '.crucible', `local-${BASE}`, 'state.json')), false, 'no platform was started');
  });

  it('exits 2 on an unknown command or an invalid option value', async () => {
    assert.equal((await cli(['frobnicate'])).code, 2);
    const bad = await cli(['up', '--port-base', '80']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /CRUCIBLE_ERR_INVALID_OPTION: invalid portBase/);
    const notNumber = await cli(['status', '--port-base', 'abc']);
    assert.equal(notNumber.code, 2);
    assert.match(notNumber.stderr, /--port-base must be a number/);
  });

  it('refuses to start when a port of the block is taken, naming the port, its role and its holder, and starts nothing', async () => {
    const blocker = await listen(BASE + 2);
    try {
      const r = await cli(['up', '--port-base', String(BASE)]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /CRUCIBLE_ERR_PORT_IN_USE/);
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${BASE + 2} \\(prometheus\\) is in use by pid ${process.pid}`));
      assert.match(r.stderr, /hint: .*--port-base/);
      const runDir = join(projectRoot(), '.crucible', `local-${BASE}`);
      assert.equal(existsSync(join(runDir, 'state.json')), false, 'no supervisor was started');
      assert.deepEqual(findLeftovers(runDir, []), []);
    } finally {
      blocker.close();
    }
  });

  it('names every missing tool and how to get it', async () => {
    const r = await cli(['up', '--port-base', String(BASE)], { ...process.env, PATH: '/nonexistent' });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /CRUCIBLE_ERR_TOOL_MISSING/);
    assert.match(r.stderr, /redis-server \(.*Debian package redis-server\)/);
    assert.match(r.stderr, /prometheus \(/);
    assert.match(r.stderr, /crucible setup/);
  });

  it('run refuses an invalid scenario before starting anything (exit 2, file and field path)', async () => {
    const r = await cli(['run', 'fixtures/scenarios/invalid/bad-fields.ts', '--port-base', String(BASE)]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /CRUCIBLE_ERR_INVALID_SCENARIO/);
    assert.match(r.stderr, /bad-fields\.ts: load\.steady\.rate: .*got -5/);
    assert.equal(existsSync(join(projectRoot(), '.crucible', `local-${BASE}`, 'state.json')), false, 'the platform was not started');
    const missing = await cli(['run', 'scenarios/nope.ts']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /CRUCIBLE_ERR_SCENARIO_NOT_FOUND/);
    const badConfig = await cli(['run', 'smoke', '--config', 'fixtures/config/invalid/crucible.config.ts', '--port-base', String(BASE)]);
    assert.equal(badConfig.code, 2, badConfig.stderr);
    assert.match(badConfig.stderr, /crucible\.config\.ts: slos\.p95Ms: /);
    assert.equal(existsSync(join(projectRoot(), '.crucible', `local-${BASE}`, 'state.json')), false, 'the platform was not started');
  });

  it("run refuses a fault the target cannot run before starting anything (exit 2, the file and the step's field)", async () => {
    const k8s = await cli(['run', 'fixtures/scenarios/chaos/k8s-faults.ts', '--port-base', String(BASE)]);
    assert.equal(k8s.code, 2, k8s.stderr);
    assert.match(k8s.stderr, /CRUCIBLE_ERR_INVALID_SCENARIO/);
    assert.match(
      k8s.stderr,
      /k8s-faults\.ts: chaos\.method\[0\]\.fault\.type: 'pod-kill' acts on a kind cluster \(--target kind\); the local target cannot run it/,
    );
    assert.equal(existsSync(join(projectRoot(), '.crucible', `local-${BASE}`, 'state.json')), false, 'the platform was not started');
    const local = await cli(['run', 'fixtures/scenarios/chaos/interrupted.ts', '--target', 'kind', '--port-base', String(BASE)]);
    assert.equal(local.code, 2, local.stderr);
    assert.match(
      local.stderr,
      /interrupted\.ts: chaos\.method\[2\]\.fault\.type: 'process-pause' acts on the local target; a kind cluster \(--target kind\) cannot run it/,
    );
  });

  it('reports a platform that is not running as down, with exit 3', async () => {
    const r = await cli(['status', '--port-base', String(BASE), '--json']);
    assert.equal(r.code, 3);
    assert.equal((JSON.parse(r.stdout) as { health: string }).health, 'down');
    const down = await cli(['down', '--port-base', String(BASE)]);
    assert.equal(down.code, 0);
    assert.match(down.stdout, /nothing was running/);
  });

  it('doctor says the local target works here and lists every tool', async () => {
    const r = await cli(['doctor', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const items = JSON.parse(r.stdout) as { section: string; name: string; ok: boolean; detail: string }[];
    assert.ok(items.find((i) => i.name === 'local')?.ok);
    for (const tool of ['redis-server', 'postgres', 'prometheus', 'haproxy', 'toxiproxy-server'])
      assert.ok(items.find((i) => i.name === tool)?.ok, `${tool} found`);
    assert.ok(items.find((i) => i.name === 'kind' && i.section === 'tool')?.ok, 'kind found (setup installs it)');
    assert.match(items.find((i) => i.name === 'kind' && i.section === 'target')!.detail, /docs\/kind\.md/);
  });

  it('pentest, like run and signoff: the first Ctrl-C stops the checks with one message, the second exits at once (130)', async () => {
    // A target that accepts connections and never answers: the first check waits on it, so only
    // the second Ctrl-C can end the command before the check's own timeout.
    const sockets = new Set<Socket>();
    let step = (): void => {};
    const silent = createServer((s) => {
      sockets.add(s);
      step();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    const dir = mkdtempSync(join(tmpdir(), 'crucible-pentest-interrupt-'));
    const profile = join(dir, 'silent.profile.ts');
    writeFileSync(
      profile,
      `import { defineProfile } from ${JSON.stringify(join(projectRoot(), 'harness', 'index.ts'))};
export default defineProfile({
  name: 'silent',
  baseUrl: 'http://127.0.0.1:${port}',
  auth: {
    login: { path: '/login' },
    users: { userA: { username: 'a', password: 'a' }, userB: { username: 'b', password: 'b' }, admin: { username: 'c', password: 'c' } },
  },
});
`,
    );
    try {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, 'pentest', '--profile', profile, '--reports-dir', dir], {
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Only a hang ends here: a busy machine may take many seconds to start the command.
      const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      let output = '';
      let interrupts = 0;
      step = (): void => {
        if (interrupts === 0 && /penetration checks against/.test(output) && sockets.size > 0) {
          interrupts = 1;
          child.kill('SIGINT');
        } else if (interrupts === 1 && /interrupted: stopping the checks/.test(output)) {
          interrupts = 2;
          child.kill('SIGINT');
        }
      };
      const watch = (d: Buffer): void => {
        output += d.toString();
        step();
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('exit', (c, s) => r([c, s])));
      clearTimeout(killer);
      assert.equal(signal, null, `exited by itself, not killed by the test's timeout\n${output}`);
      assert.equal(interrupts, 2, output);
      assert.equal(code, 130, output);
      assert.equal(output.match(/interrupted:/g)?.length, 1, 'one message');
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
