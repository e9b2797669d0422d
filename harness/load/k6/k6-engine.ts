import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ParsedThreshold } from '../../config/threshold-parser.ts';
import type { ClientSeries, MetricSummary, Phase, ThresholdResult } from '../../result/summary-model.ts';
import { emptyClientSeries } from '../empty-client-series.ts';
import type { EngineHooks, EngineResult, LoadEngine, LoadPlan, ResolvedExecutor } from '../engine-types.ts';
import { findK6, k6NotInstalledError } from './find-k6.ts';
import { buildK6Command, type K6Command } from './k6-command.ts';
import { k6Exit, type K6Exit } from './k6-exit-codes.ts';
import { k6MetricsView } from './k6-metrics-view.ts';
import { k6OptionsFile, k6ScenariosFromPlan, type K6Scenario } from './k6-options.ts';
import { readK6Points } from './k6-points.ts';
import { convertK6Summary, type K6Conversion, type K6SummaryShape } from './k6-summary.ts';
import { abortedThresholdMetrics } from './k6-thresholds.ts';

export interface K6EngineOptions {
  /** The thresholds k6 evaluates (the crucible scenario's), written to the --config file. */
  readonly thresholds?: readonly ParsedThreshold[];
  /**
   * Whose load model runs: the script's own `options.scenarios` ('script'), or the plan's executors
   * written to the --config file ('plan'; a script's own scenarios still win, as k6's precedence says).
   * @default 'script'
   */
  readonly executors?: 'script' | 'plan';
  /** The run folder k6's files go to. @default a new folder under the OS temp dir */
  readonly outDir?: string;
  /** Extra `-e NAME=value` for the script. */
  readonly scriptEnv?: Readonly<Record<string, string>>;
  /** Where PATH and K6_BINARY are read, and the environment k6 runs with. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** After the hooks' signal sent SIGINT, SIGKILL k6 if it is still running this much later. @default 60_000 */
  readonly killAfterMs?: number;
  /** Every line k6 prints (its progress bar, logs). */
  readonly onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** What the k6 run itself said, beyond the engine-neutral result. */
export interface K6RunInfo {
  readonly binary: string;
  readonly version: string | undefined;
  readonly args: readonly string[];
  readonly exit: K6Exit;
  readonly summaryShape: K6SummaryShape;
  /** Every metric k6 exported, keyed as k6 wrote it. */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** k6's own threshold verdicts (ok = passed), with the measured value where the summary has it. */
  readonly thresholds: readonly ThresholdResult[];
  readonly notes: readonly string[];
  readonly outDir: string;
}

export interface K6EngineResult extends EngineResult {
  readonly k6: K6RunInfo;
}

export interface K6Engine extends LoadEngine {
  readonly name: 'k6';
  run(plan: LoadPlan, hooks?: EngineHooks): Promise<K6EngineResult>;
}

/** k6 ran but produced no result: invalid options, a script exception, a crash. */
export class K6RunError extends Error {
  readonly k6Exit: K6Exit;
  /** crucible's exit code for it: 2 for invalid input (k6's 104), 3 otherwise. */
  readonly exitCode: 2 | 3;
  /** The last lines k6 wrote to stderr. */
  readonly details: readonly string[];

  constructor(message: string, exit: K6Exit, details: readonly string[]) {
    super(message);
    this.name = 'K6RunError';
    this.k6Exit = exit;
    this.exitCode = exit.exitCode === 104 ? 2 : 3;
    this.details = details;
  }
}

const STDERR_TAIL = 40;
const MAX_FLOW_ERRORS = 50;

/** Follows one of k6's output streams: copies it to a log file and hands each line to `onLine`. */
function follow(stream: Readable, file: WriteStream, onLine: (line: string) => void): Promise<void> {
  stream.pipe(file);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  return new Promise((done) => {
    file.on('close', done);
    file.on('error', () => done());
  });
}

/** Reads k6's logfmt error lines (`level=error msg="..."`) into flow errors, capped. */
function collectError(line: string, errors: Record<string, number>): void {
  if (!/\blevel=error\b/.test(line)) return;
  const m = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line) ?? /\bmsg=(\S+)/.exec(line);
  if (!m) return;
  const msg = m[1]!.replace(/\\"/g, '"');
  if (/thresholds on metrics .* (crossed|breached)/.test(msg)) return;
  const key = msg in errors || Object.keys(errors).length < MAX_FLOW_ERRORS ? msg : '(other errors)';
  errors[key] = (errors[key] ?? 0) + 1;
}

/** The executors' phases in run time (a ramp per changing stage, steady otherwise), for shading charts. */
export function phasesFromExecutors(executors: readonly ResolvedExecutor[]): Phase[] {
  const phases: Phase[] = [];
  for (const ex of executors) {
    if ('durationMs' in ex) {
      phases.push({ name: ex.name, kind: 'steady', startMs: ex.startTimeMs, endMs: ex.startTimeMs + ex.durationMs });
      continue;
    }
    let at = ex.startTimeMs;
    let level = ex.executor === 'ramping-vus' ? ex.startVUs : ex.startRatePerSec;
    ex.stages.forEach((s, i) => {
      phases.push({ name: `${ex.name} stage ${i + 1}`, kind: s.target === level ? 'steady' : 'ramp', startMs: at, endMs: at + s.durationMs });
      at += s.durationMs;
      level = s.target;
    });
  }
  return phases;
}

interface K6Process {
  readonly exit: K6Exit;
  /** The hooks' signal asked k6 to stop. */
  readonly signalled: boolean;
  readonly stderrTail: readonly string[];
  /** k6's "thresholds on metrics ... abortOnFail" lines. */
  readonly abortLines: readonly string[];
  readonly flowErrors: Record<string, number>;
}

/** Spawns k6, copies its output to the run folder, forwards an abort as SIGINT (SIGKILL after killAfterMs). */
async function runK6Process(
  binary: string,
  command: K6Command,
  cwd: string,
  env: NodeJS.ProcessEnv,
  options: K6EngineOptions,
  signal: AbortSignal | undefined,
): Promise<K6Process> {
  const child = spawn(binary, command.args, { cwd, env: { ...env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  const abortLines: string[] = [];
  const flowErrors: Record<string, number> = {};
  const streamsDone = Promise.all([
    follow(child.stdout, createWriteStream(command.files.stdout), (line) => options.onOutput?.(line, 'stdout')),
    follow(child.stderr, createWriteStream(command.files.stderr), (line) => {
      options.onOutput?.(line, 'stderr');
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
      if (line.includes('abortOnFail')) abortLines.push(line);
      collectError(line, flowErrors);
    }),
  ]);

  let signalled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    signalled = true;
    child.kill('SIGINT');
    killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
    killTimer.unref();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const exit = await new Promise<K6Exit>((done, fail) => {
    child.once('error', (err) =>
      fail(new K6RunError(`could not start k6 (${binary}): ${err.message}`, { outcome: 'error', exitCode: null, meaning: 'not started' }, [])),
    );
    child.once('close', (code, sig) => done(k6Exit(code, sig)));
  }).finally(() => {
    signal?.removeEventListener('abort', onAbort);
    clearTimeout(killTimer);
  });
  await streamsDone;
  return { exit, signalled, stderrTail, abortLines, flowErrors };
}

async function readSummary(command: K6Command, options: K6EngineOptions, abortedOn: string[], notes: string[]): Promise<K6Conversion | undefined> {
  // The handleSummary data (written by scenarios/k6/lib/crucible.ts) is the richest shape; k6 writes
  // the --summary-export file whatever the script does.
  for (const file of [command.files.handleSummary, command.files.summaryExport]) {
    if (!existsSync(file)) continue;
    try {
      const json: unknown = JSON.parse(await readFile(file, 'utf8'));
      return convertK6Summary(json, { ...(options.thresholds ? { thresholds: options.thresholds } : {}), abortedOn });
    } catch (err) {
      notes.push(`${file} could not be read as a k6 summary (${(err as Error).message})`);
    }
  }
  return undefined;
}

/**
 * Runs a k6 script as crucible's load engine: `plan.scenarioFile` is the k6 script, `plan.baseUrl` its
 * BASE_URL. Throws k6NotInstalledError when there is no k6 and K6RunError when k6 produced no result.
 */
export function createK6Engine(options: K6EngineOptions = {}): K6Engine {
  return {
    name: 'k6',
    async run(plan: LoadPlan, hooks: EngineHooks = {}): Promise<K6EngineResult> {
      const env = options.env ?? process.env;
      const k6 = await findK6(env);
      if (!k6) throw k6NotInstalledError(env);
      hooks.signal?.throwIfAborted();

      const outDir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'crucible-k6-')));
      await mkdir(outDir, { recursive: true });
      const notes: string[] = [];
      let scenarios: Record<string, K6Scenario> | undefined;
      if (options.executors === 'plan') {
        const converted = k6ScenariosFromPlan(plan.executors);
        scenarios = converted.scenarios;
        notes.push(...converted.notes);
      }
      const command = buildK6Command({
        script: resolve(plan.scenarioFile),
        outDir,
        baseUrl: plan.baseUrl,
        k6Version: k6.version,
        options: k6OptionsFile({
          ...(options.thresholds ? { thresholds: options.thresholds } : {}),
          ...(scenarios ? { scenarios } : {}),
          discardResponseBodies: plan.http.discardResponseBodies,
        }),
        ...(options.scriptEnv ? { scriptEnv: options.scriptEnv } : {}),
      });
      if (command.optionsFile) await writeFile(command.optionsFile.path, command.optionsFile.content);

      const startedAt = Date.now();
      // k6 starts its clock a little after the process; close enough for what aligns on it.
      hooks.onStart?.(startedAt);
      const proc = await runK6Process(k6.path, command, outDir, env, options, hooks.signal);
      const wallMs = Date.now() - startedAt;
      const { exit, stderrTail } = proc;

      const what = exit.exitCode === null ? `k6 was ${exit.meaning}` : `k6 exited with ${exit.exitCode} (${exit.meaning})`;
      if (exit.outcome === 'error') throw new K6RunError(`${what}; its stderr is in ${command.files.stderr}`, exit, stderrTail);
      const abortedOn = abortedThresholdMetrics(proc.abortLines.join('\n'));
      const summary = await readSummary(command, options, abortedOn, notes);
      if (!summary) throw new K6RunError(`${what} but wrote no readable summary (${command.files.summaryExport})`, exit, [...notes, ...stderrTail]);
      notes.push(...summary.notes);

      let series: ClientSeries;
      let originMs: number | undefined;
      let lastPointMs: number | undefined;
      let requests: EngineResult['requests'] = [];
      const durationFallback = (): number => summary.durationMs ?? (originMs !== undefined && lastPointMs !== undefined ? lastPointMs - originMs : wallMs);
      if (existsSync(command.files.points)) {
        const points = await readK6Points(command.files.points, plan.intervalMs);
        ({ series, originMs, lastPointMs } = points);
        requests = points.requests(durationFallback());
        notes.push(...points.notes);
      } else {
        series = emptyClientSeries(plan.intervalMs);
        notes.push(`k6 wrote no points file (${command.files.points}): the run has no time series`);
      }
      if (hooks.onInterval) notes.push('k6 reports no progress to crucible while it runs: interval hooks were not called');

      const thresholdAbort = summary.thresholds.some((t) => t.aborted) || abortedOn.length > 0;
      const uniqueNotes = [...new Set(notes)];
      return {
        view: k6MetricsView(summary.metrics),
        series,
        requests,
        checks: summary.checks,
        droppedIterations: summary.droppedIterations,
        startedAtMs: originMs ?? startedAt,
        durationMs: durationFallback(),
        phases: options.executors === 'plan' ? phasesFromExecutors(plan.executors) : [],
        stoppedEarly: proc.signalled || exit.outcome === 'aborted' || thresholdAbort,
        workers: 1,
        flowErrors: proc.flowErrors,
        k6: {
          binary: k6.path,
          version: k6.version,
          args: command.args,
          exit,
          summaryShape: summary.shape,
          metrics: summary.metrics,
          thresholds: summary.thresholds,
          notes: uniqueNotes,
          outDir,
        },
      };
    },
  };
}
