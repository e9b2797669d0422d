// Chaos experiments for real, against the local platform: a short experiment measured end to end,
// then the safety paths: Ctrl-C in the middle of four faults, and a harness SIGKILLed mid-fault.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localFaultEnvironment } from '../../harness/faults/index.ts';
import type { RunSummary } from '../../harness/result/summary-model.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { eventually, PlatformFixture } from '../platform/platform-fixture.ts';

const MAIN = join(projectRoot(), 'harness', 'cli', 'main.ts');
const reports = mkdtempSync(join(tmpdir(), 'crucible-chaos-test-'));
const platform = new PlatformFixture();

interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** The CLI as a child; `onOutput` sees the output so far and may signal the child. */
function cli(args: readonly string[], timeoutMs: number, onOutput?: (out: string, kill: (s: NodeJS.Signals) => void) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, ...args], {
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const kill = (s: NodeJS.Signals): void => void child.kill(s);
    const take = (d: Buffer): void => {
      output += d.toString();
      onOutput?.(output, kill);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

const run = (file: string): string[] => ['run', file, '--port-base', String(platform.state.portBase), '--reports-dir', reports];
const runFolder = (part: string): string => {
  const found = readdirSync(reports).filter((n) => n.includes(part) && statSync(join(reports, n)).isDirectory());
  assert.equal(found.length, 1, `one run folder *${part}*: ${found.join(', ')}`);
  return join(reports, found[0]!);
};
const summaryOf = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
const clean = async (): Promise<string[]> => localFaultEnvironment(platform.target.state()!).verifyClean();

describe('chaos experiments against the local platform', () => {
  before(async () => {
    await platform.start();
  });
  after(async () => {
    await platform[Symbol.asyncDispose]();
    rmSync(reports, { recursive: true, force: true });
  });

  it('measures a Redis latency toxic and a replica kill under load: finite MTTR, zero lost writes, every report', { timeout: 150_000 }, async () => {
    const r = await cli(run('fixtures/scenarios/chaos/ci-short.ts'), 140_000);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /injected Redis latency 150 ms/);
    assert.match(r.output, /reverted Redis latency 150 ms/);
    const dir = runFolder('ci-chaos-short');
    const c = summaryOf(dir).chaos;
    assert.ok(c, 'summary.json has the chaos analysis');
    assert.deepEqual(
      c.faults.map((f) => [f.name, f.type, f.selfHealing]),
      [
        ['Redis latency 150 ms', 'toxic', false],
        ['kill a gateway replica', 'process-kill', true],
      ],
    );
    const [latency, kill] = c.faults;
    // Its 6 s, then reverted before the next step: an order of events, not a bound a busy machine could stretch.
    assert.ok(
      latency!.revertedMs !== null && latency!.revertedMs - latency!.injectedMs >= 5_500 && latency!.revertedMs < kill!.injectedMs,
      `the toxic lasted its 6 s and ended before the kill (${latency!.injectedMs}..${latency!.revertedMs}, kill at ${kill!.injectedMs})`,
    );
    for (const f of c.faults) {
      assert.ok(f.mttrMs !== null && f.mttrMs >= 0 && f.mttrMs < 30_000, `${f.name}: MTTR finite and plausible (${f.mttrMs} ms)`);
      assert.equal(f.verdict, 'passed', `${f.name}: ${f.reasons.join('; ')}`);
    }
    assert.ok(kill!.targets.includes('gateway-1'));
    assert.equal(c.rollback.complete, true, c.rollback.problems.join('; '));
    assert.deepEqual(
      c.steadyState.map((s) => [s.phase, s.ok]),
      [
        ['before', true],
        ['during', true],
        ['after', true],
      ],
    );
    assert.ok(c.availability.ratio !== null && c.availability.ratio >= 0.9, `availability ${c.availability.ratio}`);
    const names = c.probes.map((p) => p.name);
    for (const n of ['edge-alive', 'product-read', 'postgres', 'redis-cluster', 'gateway-5xx', 'gateway-p95', 'shop-journey'])
      assert.ok(names.includes(n), `probe ${n} sampled`);
    // How many samples fit in the run depends on the machine's speed (a slow sample skips slots); that the
    // probes ran from before the first fault (answers come at t) to after the last one does not.
    const shop = c.probes.find((p) => p.name === 'shop-journey');
    assert.ok(
      shop !== undefined && shop.t.length > 0 && shop.t.at(-1)! > kill!.injectedMs && shop.ok.some(Boolean),
      `the Chromium journey ran through the run and completed (${shop?.ok.filter(Boolean).length} of ${shop?.t.length}, at ${shop?.t.join(', ')}; ${JSON.stringify(shop?.errors)})`,
    );
    const edge = c.probes.find((p) => p.name === 'edge-alive')!;
    assert.ok(
      edge.t[0]! < latency!.injectedMs && edge.t.at(-1)! > kill!.injectedMs,
      `the 250 ms probe sampled the whole run (${edge.t.length} samples, ${edge.t[0]}..${edge.t.at(-1)} ms)`,
    );
    assert.ok(c.ledger, 'the ledger ran');
    assert.ok(c.ledger.acknowledged >= 50, `writes were acknowledged (${c.ledger.acknowledged} of ${c.ledger.attempted})`);
    assert.equal(c.ledger.lostCount, 0, `lost: ${c.ledger.lost.join(', ')}`);
    assert.equal(c.ledger.duplicatedCount, 0);
    const journal = readFileSync(join(dir, 'faults.jsonl'), 'utf8');
    assert.equal((journal.match(/"event":"inject"/g) ?? []).length, 2, 'both faults journaled');
    assert.equal((journal.match(/"event":"revert","at":\d+,"id":"0\.0","ok":true/g) ?? []).length, 1, 'the toxic journaled as reverted');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    assert.match(junit, /steady-state/);
    assert.match(junit, /kill a gateway replica/);
    assert.deepEqual(await clean(), []);
  });

  it('an abort condition stops the experiment and rolls back: exit 1, the reason in the report', { timeout: 90_000 }, async () => {
    const r = await cli(run('fixtures/scenarios/chaos/aborting.ts'), 80_000);
    assert.equal(r.code, 1, r.output);
    // Never before its 2 s; how much later depends on the probe's timeout and the machine.
    const badFor = Number(/ABORTING the experiment: probe edge-ready bad for (\d+\.\d) s/.exec(r.output)?.[1]);
    assert.ok(badFor >= 2, `aborted after the probe was bad for ${badFor} s\n${r.output}`);
    assert.match(r.output, /reverted edge cut off/);
    const s = summaryOf(runFolder('ci-chaos-aborting'));
    assert.equal(s.verdict.status, 'failed');
    assert.equal(s.chaos?.abortedBy?.probe, 'edge-ready');
    assert.ok(s.run.durationMs < 60_000, `stopped before its 60 s were up (${s.run.durationMs} ms)`);
    assert.equal(s.chaos?.rollback.complete, true);
    assert.ok(
      s.verdict.failures.some((f) => f.kind === 'abort' && f.subject === 'edge-ready' && /aborted at [\d.]+ s: probe edge-ready/.test(f.words)),
      JSON.stringify(s.verdict.failures),
    );
    assert.deepEqual(await clean(), []);
  });

  it('Ctrl-C in the middle of four faults rolls every one back: exit 3, nothing left on the platform', { timeout: 120_000 }, async () => {
    const r = await cli(run('fixtures/scenarios/chaos/interrupted.ts'), 110_000, (out, kill) => {
      if (
        /injected catalog stopped/.test(out) &&
        /injected auth paused/.test(out) &&
        /injected edge→gateway-2 down/.test(out) &&
        /injected catalog slow/.test(out) &&
        // By the second progress line the browser probe has launched Chromium (its first sample is at 0 s).
        /\b0:1\d\/\d/.test(out) &&
        !out.includes('interrupted:')
      )
        kill('SIGINT');
    });
    assert.equal(r.signal, null, r.output);
    assert.equal(r.code, 3, r.output);
    assert.match(r.output, /interrupted: stopping the run/);
    for (const name of ['catalog slow', 'edge→gateway-2 down', 'auth paused', 'catalog stopped']) assert.match(r.output, new RegExp(`reverted ${name}`));
    assert.deepEqual(await clean(), [], 'no toxic, no disabled proxy, no paused or held process');
    const s = summaryOf(runFolder('ci-chaos-interrupted'));
    assert.equal(s.verdict.status, 'aborted');
    assert.equal(s.chaos?.rollback.complete, true);
  });

  it('a harness SIGKILLed mid-fault: the watchdog undoes its faults, and crucible recover finds nothing left', { timeout: 150_000 }, async () => {
    rmSync(runFolder('ci-chaos-interrupted'), { recursive: true, force: true });
    const r = await cli(run('fixtures/scenarios/chaos/interrupted.ts'), 110_000, (out, kill) => {
      if (
        /injected catalog stopped/.test(out) &&
        /injected auth paused/.test(out) &&
        /injected edge→gateway-2 down/.test(out) &&
        /injected catalog slow/.test(out)
      )
        kill('SIGKILL');
    });
    assert.equal(r.signal, 'SIGKILL');
    const dir = runFolder('ci-chaos-interrupted');
    assert.ok(existsSync(join(dir, 'faults.jsonl')));
    // Nobody calls recover: the detached watchdog must notice its harness is gone.
    await eventually(async () => (await clean()).length === 0, 60_000, 'the platform is clean again', 500);
    assert.match(readFileSync(join(dir, 'faults.jsonl.watchdog.log'), 'utf8'), /recovered 4, failed 0/);
    const rec = await cli(['recover', dir, '--port-base', String(platform.state.portBase)], 60_000);
    assert.equal(rec.code, 0, rec.output);
    assert.match(rec.output, /no pending fault/);
    assert.match(rec.output, /the platform is clean/);
  });
});
