// `crucible signoff` end to end: the --short profile (the penetration checks, the baseline load and a
// short chaos experiment against one local platform), and a sign-off of a platform given only by a profile file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SignoffReport } from '../../harness/result/signoff-model.ts';
import type { RunSummary } from '../../harness/result/summary-model.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { LocalTarget } from '../../harness/targets/local/local-target.ts';
import { TEST_PORT_BASE } from '../platform/platform-fixture.ts';

const MAIN = join(projectRoot(), 'harness', 'cli', 'main.ts');
const reports = mkdtempSync(join(tmpdir(), 'crucible-signoff-test-'));

function cli(args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, ...args], {
      env: { ...process.env, ...env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('crucible signoff', () => {
  after(() => rmSync(reports, { recursive: true, force: true }));

  it('runs every step against one platform and writes the sign-off with the nine metrics and their evidence', { timeout: 900_000 }, async () => {
    const r = await cli(['signoff', '--short', '--port-base', String(TEST_PORT_BASE), '--reports-dir', reports], 880_000);
    const [folder] = readdirSync(reports).filter((n) => n.includes('signoff-short'));
    assert.ok(folder, `a sign-off folder was written\n${r.output}`);
    const dir = join(reports, folder);
    const report = JSON.parse(readFileSync(join(dir, 'signoff.json'), 'utf8')) as SignoffReport;
    assert.equal(r.code, report.verdict.exitCode, `the exit code follows the verdict\n${r.output}`);
    assert.equal(report.profile, 'short');
    assert.deepEqual(
      report.metrics.map((m) => m.id),
      ['p95-latency', 'cache-hit-rate', 'error-rate', 'critical-vulnerabilities', 'check-verdicts', 'time-to-detect', 'mttr', 'availability', 'data-loss'],
    );
    for (const m of report.metrics) {
      assert.notEqual(
        m.actual,
        null,
        `${m.id} was measured\n${r.output
          .split('\n')
          .filter((l) => /detect|alert|not |error/i.test(l))
          .slice(-40)
          .join('\n')}`,
      );
      assert.ok(m.evidence.length > 0, `${m.id} links its evidence`);
      for (const e of m.evidence) assert.ok(existsSync(join(dir, e, 'summary.json')), `${m.id}: evidence ${e} is a run folder`);
    }
    assert.deepEqual(
      report.steps.map((s) => s.name),
      ['penetration checks', 'baseline load', 'chaos: ci-chaos-short'],
    );

    // What the hardened reference platform must show (the rest is reported, whatever it is).
    const byId = Object.fromEntries(report.metrics.map((m) => [m.id, m]));
    for (const id of ['p95-latency', 'error-rate', 'critical-vulnerabilities', 'check-verdicts', 'mttr', 'data-loss'])
      assert.equal(byId[id]!.pass, true, `${id}: ${byId[id]!.actual} (${byId[id]!.objective})`);
    const pentest = JSON.parse(readFileSync(join(dir, byId['critical-vulnerabilities']!.evidence[0]!, 'summary.json'), 'utf8')) as RunSummary;
    assert.ok(pentest.security && pentest.security.checks.length >= 30, 'the whole penetration catalogue ran');
    assert.equal(
      pentest.security.counts.fail,
      0,
      `no finding on the hardened platform: ${pentest.security.checks
        .filter((c) => c.verdict === 'fail')
        .map((c) => `${c.id} ${c.summary}`)
        .join('; ')}`,
    );
    // Each class is detected by its own attacks within seconds. On a platform not yet scraped by
    // Prometheus the first classes' events were invisible and they borrowed a later alert (13-14 s).
    for (const d of pentest.security.detection)
      assert.ok(d.timeToDetectMs !== null && d.timeToDetectMs < 10_000, `${d.attackClass} detected by ${d.alertName} in ${d.timeToDetectMs} ms`);

    const md = readFileSync(join(dir, 'signoff.md'), 'utf8');
    assert.match(md, new RegExp(`Phase-4 hardening sign-off: ${report.verdict.status === 'passed' ? 'PASS' : 'FAIL'}`));
    assert.equal((md.match(/^\| [a-z-]+ \|/gm) ?? []).length, 9, 'a table row per metric');
    assert.match(readFileSync(join(dir, 'signoff.html'), 'utf8'), /data-testid="signoff-verdict"/);
    assert.match(r.output, /SIGN-OFF (PASSED|FAILED) \(short profile, [\d.]+ min\)/);
  });

  it('signs off a platform it did not start from a profile file: checks and load run, unmeasured chaos metrics fail', { timeout: 600_000 }, async () => {
    // The reference platform stands in for "your API": started here, then reached only through
    // fixtures/profiles/reference-platform.ts, as a user's profile would describe theirs.
    const platform = new LocalTarget({ portBase: TEST_PORT_BASE });
    await platform.up();
    try {
      const r = await cli(
        [
          'signoff',
          '--profile',
          join(projectRoot(), 'fixtures', 'profiles', 'reference-platform.ts'),
          '--load',
          'scenarios/load/smoke.ts',
          '--reports-dir',
          reports,
        ],
        580_000,
        { CRUCIBLE_PORT_BASE: String(TEST_PORT_BASE) },
      );
      const [folder] = readdirSync(reports).filter((n) => n.includes('signoff-full'));
      assert.ok(folder, `a sign-off folder was written\n${r.output}`);
      const report = JSON.parse(readFileSync(join(reports, folder, 'signoff.json'), 'utf8')) as SignoffReport;
      assert.equal(r.code, 1, `no chaos evidence, so the sign-off fails\n${r.output}`);
      assert.equal(report.target, platform.state()!.endpoints.edge);
      assert.deepEqual(
        report.steps.map((s) => s.name),
        ['penetration checks', 'baseline load'],
      );
      const byId = Object.fromEntries(report.metrics.map((m) => [m.id, m]));
      for (const id of ['p95-latency', 'error-rate', 'critical-vulnerabilities', 'check-verdicts'])
        assert.equal(byId[id]!.pass, true, `${id}: ${byId[id]!.actual}`);
      for (const id of ['mttr', 'availability', 'data-loss']) {
        assert.equal(byId[id]!.actual, null, `${id} is not measured without chaos`);
        assert.equal(byId[id]!.pass, false);
      }
      assert.ok(
        report.notes.some((n) => /No chaos experiments: they need the local target/.test(n)),
        report.notes.join('\n'),
      );
      const pentest = JSON.parse(readFileSync(join(reports, folder, byId['critical-vulnerabilities']!.evidence[0]!, 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(pentest.run.target.kind, 'external');
      assert.equal(pentest.security!.counts.fail, 0);
      assert.match(r.output, /signing off http:\/\/127\.0\.0\.1:\d+ \(profile .*reference-platform\.ts\)/);
    } finally {
      await platform.down();
    }
  });
});
