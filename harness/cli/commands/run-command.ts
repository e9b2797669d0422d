import { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { loadDefinition } from '../../config/load-definition.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { createBuiltinEngine } from '../../load/engine/index.ts';
import { createProgressWriter } from '../../run/live-progress.ts';
import { runScenario, type EngineChoice, type RunOutcome } from '../../run/run-scenario.ts';
import type { ExitCode } from '../../run/run-session.ts';
import { runSuite, scenariosForTarget } from '../../run/run-suite.ts';
import { failedOn } from '../../result/verdict.ts';
import { localTarget } from '../../targets/run-target.ts';
import { color, isInteractive, printJson } from '../output.ts';
import { prepareExternalTarget, runTargetRef } from '../run-target-option.ts';
import { addSessionFlags, openSession, type SessionFlags } from '../session-options.ts';
import { addTargetFlags, localOptionsFrom, type TargetFlags } from '../target-options.ts';
import { upProgress } from './up-command.ts';

interface RunFlags extends TargetFlags, SessionFlags {
  target?: string;
  keep?: boolean;
  workers?: string;
  engine?: string;
  loadPods?: string;
  json?: boolean;
}

const VERDICT = { passed: color.green('PASSED'), failed: color.red('FAILED'), aborted: color.yellow('ABORTED'), error: color.red('ERROR') } as const;

function printOutcome({ summary: s, runDir }: RunOutcome): void {
  const p95 = s.metrics['http_req_duration']?.type === 'trend' ? s.metrics['http_req_duration'].values['p(95)'] : undefined;
  const failed = s.metrics['http_req_failed']?.type === 'rate' ? s.metrics['http_req_failed'].values : undefined;
  const reqs = s.metrics['http_reqs']?.type === 'counter' ? s.metrics['http_reqs'].values : undefined;
  console.log(
    `\n${VERDICT[s.verdict.status]}  ${s.run.scenario.name} (${s.run.scenario.kind}) in ${(s.run.durationMs / 1000).toFixed(1)} s${s.run.abortReason ? `: ${s.run.abortReason}` : ''}`,
  );
  console.log(
    `  requests ${reqs?.count ?? 0} (${(reqs?.rate ?? 0).toFixed(1)}/s)   p95 ${p95 === undefined ? '-' : `${p95.toFixed(1)} ms`}   errors ${failed ? `${(failed.rate * 100).toFixed(2)} %` : '-'}   dropped ${s.droppedIterations}`,
  );
  for (const pod of s.pods ?? [])
    console.log(
      `  ${pod.status === 'lost' ? color.red('LOST') : color.dim('pod ')} ${pod.index}: requests ${pod.requests}   p95 ${pod.p95Ms === null ? '-' : `${pod.p95Ms.toFixed(1)} ms`}   errors ${(pod.errorRate * 100).toFixed(2)} %   dropped ${pod.droppedIterations}${pod.reason ? `   ${pod.reason}` : ''}`,
    );
  for (const slo of s.slos)
    console.log(
      `  ${slo.actual === null ? color.dim('skip') : failedOn(s.verdict, 'slo', slo.id) ? color.red('FAIL') : color.green('pass')}  SLO ${slo.objective}: ${slo.actual === null ? (slo.note ?? 'not measured') : slo.unit === 'ratio' ? `${(slo.actual * 100).toFixed(2)} %` : `${slo.actual.toFixed(1)} ${slo.unit}`}${slo.source === 'platform' ? ' (platform)' : ''}`,
    );
  for (const t of s.thresholds)
    console.log(
      `  ${failedOn(s.verdict, 'threshold', `${t.metric} ${t.expression}`) ? color.red('FAIL') : color.green('pass')}  ${t.metric} ${t.expression}: ${t.actual === null ? 'no samples' : t.actual.toFixed(3).replace(/\.?0+$/, '')}${t.aborted ? ' (aborted the run)' : ''}`,
    );
  if (s.stress)
    console.log(
      `  breaking point: ${s.stress.breakingPointRps === null ? 'none held' : `${s.stress.breakingPointRps.toFixed(0)} req/s`}; past it: ${s.stress.failureMode}`,
    );
  if (s.soak)
    console.log(`  soak: p95 drift ${s.soak.p95DriftMsPerHour?.toFixed(1) ?? '-'} ms/h; leak ${s.soak.leakDetected ? color.red('DETECTED') : 'none'}`);
  // Thresholds and SLOs have their rows above; the rest of the verdict (a chaos run's) is said here.
  for (const f of s.verdict.failures) if (f.kind !== 'threshold' && f.kind !== 'slo') console.log(`  ${color.red('FAIL')}  ${f.words}`);
  for (const w of s.verdict.warnings) console.log(`  ${color.yellow('warn')}  ${w.words}`);
  for (const n of s.notes) console.log(`  ${color.yellow('note')} ${n}`);
  console.log(`  reports: ${relative(process.cwd(), runDir)}/ (report.html, summary.json, junit.xml, summary.md)`);
}

/** `--load-pods N`: N load processes on this host, merged and judged once (docs/distributed.md); undefined without the option. */
function loadPodsOption(flags: RunFlags, targetKind: string): number | undefined {
  if (flags.loadPods === undefined) return undefined;
  const pods = Number(flags.loadPods);
  if (!(Number.isInteger(pods) && pods >= 1 && pods <= 64))
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--load-pods must be an integer from 1 to 64 (got '${flags.loadPods}')`);
  if (targetKind === 'kind')
    throw new CrucibleError(
      'CRUCIBLE_ERR_LOAD_PODS_TARGET',
      '--load-pods with --target kind is not there yet: the load pods as a Kubernetes Indexed Job come next',
    );
  if (flags.engine !== undefined && flags.engine !== 'crucible')
    throw new CrucibleError('CRUCIBLE_ERR_LOAD_PODS_TARGET', `--load-pods runs crucible's own engine, not --engine ${flags.engine}`);
  return pods;
}

async function engineFor(name: string | undefined, loadPods: number | undefined): Promise<EngineChoice> {
  if (loadPods !== undefined) {
    const { createDistributedEngine } = await import('../../distributed/distributed-engine.ts');
    const engine = createDistributedEngine({ pods: loadPods });
    return ({ scenario }) => ({ engine, scenarioFile: scenario.file });
  }
  if (name === undefined || name === 'crucible') {
    const engine = createBuiltinEngine();
    return ({ scenario }) => ({ engine, scenarioFile: scenario.file });
  }
  if (name === 'k6') {
    const { createK6Engine } = await import('../../load/k6/k6-engine.ts');
    const { findK6Path, k6NotInstalledError } = await import('../../load/k6/find-k6.ts');
    // Before anything starts, not after the platform came up.
    if (!findK6Path()) throw k6NotInstalledError();
    return ({ runDir, scenario }) => {
      if (!scenario.k6Script)
        throw new CrucibleError(
          'CRUCIBLE_ERR_INVALID_OPTION',
          `scenario ${scenario.name} has no k6 script: add k6: { script: '../k6/<name>.ts' } to run it with --engine k6`,
        );
      return {
        engine: createK6Engine({ thresholds: scenario.thresholds, outDir: runDir, executors: 'plan' }),
        scenarioFile: scenario.k6Script,
      };
    };
  }
  throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--engine must be crucible or k6 (got '${name}')`);
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .argument('<scenario|suite>', 'a scenario or suite file, or its name under scenarios/ (e.g. smoke)')
    .description('run a scenario or suite against a target and write its reports; exit 0 pass, 1 a threshold/SLO failed, 2 invalid input, 3 aborted')
    .option(
      '--target <local|containers|kind|url|profile>',
      "local (start the platform if it is not up), containers or kind (the platform 'up --target containers|kind' started), a base URL, or a target profile file (.ts defineProfile or JSON {name, baseUrl, prometheus?}); default: the config's target, else local",
    )
    .option('--keep', 'leave a local platform this run started running afterwards')
    .option('--workers <n>', 'load generator worker threads (default: one per core)')
    .option('--engine <crucible|k6>', 'the built-in engine, or k6 when it is on PATH (see docs/k6.md)', 'crucible')
    .option(
      '--load-pods <n>',
      'split the load across n engine processes (segment i of n of every executor), released together, merged and judged once (docs/distributed.md); --workers is then per pod (default: cores / n)',
    )
    .option('--json', 'print the summary of each run as JSON at the end');
  addSessionFlags(cmd, 'where run folders go');
  addTargetFlags(cmd, { startFlags: false });
  cmd.addHelpText(
    'after',
    `
Defaults come from crucible.config.ts (target, reportsDir, slos, portBase); flags win over it.
The scenario file is validated whole before anything starts: every mistake is listed with the file
and the field path (exit 2). Then the target comes up (the local platform is started if needed and
stopped afterwards unless --keep), the load runs with live progress (a line per 10 s in CI),
Prometheus is read for the server side, and the run folder gets summary.json, report.html,
junit.xml and summary.md. Ctrl-C stops cleanly and still writes a partial report marked aborted.

Examples:
  $ crucible run smoke                           # a name: scenarios/suites/smoke.ts first, else scenarios/**/smoke.ts
  $ crucible run scenarios/suites/smoke.ts
  $ crucible run scenarios/load/baseline.ts --keep
  $ crucible run scenarios/stress/stress.ts --workers 1
  $ crucible run scenarios/load/baseline.ts --load-pods 3
  $ crucible run scenarios/load/baseline.ts --target ./staging.json
  $ crucible run scenarios/smoke.ts --target https://staging.example.com
  $ crucible run scenarios/load/smoke.ts --target containers
  $ crucible run scenarios/load/smoke.ts --target kind
  $ crucible run scenarios/smoke.ts --target profiles/target.profile.ts
`,
  );
  cmd.action(async (ref: string, flags: RunFlags) => {
    const config = await loadConfig(flags.config);
    const loaded = await loadDefinition(ref, { slos: config.config.slos });
    const workersFlag = flags.workers === undefined ? undefined : Number(flags.workers);
    if (workersFlag !== undefined && !(Number.isInteger(workersFlag) && workersFlag >= 1 && workersFlag <= 64))
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--workers must be an integer from 1 to 64 (got '${flags.workers}')`);
    const targetRef = runTargetRef(flags.target, config);
    const loadPods = loadPodsOption(flags, targetRef.kind);
    // Pods on one host share its cores: by default each takes its part of them, not all of them.
    const workers = workersFlag ?? (loadPods === undefined ? undefined : Math.max(1, Math.floor(availableParallelism() / loadPods)));
    const engine = await engineFor(flags.engine, loadPods);
    // A fault the target cannot run is refused now, naming its file and field, not once the platform is up. A suite's
    // experiments that declare themselves for other targets (chaos.targets) are skipped, and reported so.
    const skipped =
      targetRef.kind === 'local' || targetRef.kind === 'kind' || targetRef.kind === 'containers' ? scenariosForTarget(loaded, targetRef.kind) : [];
    const openExternal =
      targetRef.kind === 'local' ? undefined : await prepareExternalTarget(targetRef, { portBase: localOptionsFrom(flags, config.config).portBase });

    await using session = openSession(config, flags, 'stopping the run and writing a partial report');
    await using target =
      openExternal === undefined
        ? await localTarget(localOptionsFrom(flags, session.config), {
            ...(flags.keep ? { keep: true } : {}),
            signal: session.signal,
            onStart: (t) => {
              if (!flags.json) console.log(`starting the local platform on port base ${t.options.portBase} for this run`);
            },
            ...(flags.json ? {} : { onEvent: upProgress(false) }),
          })
        : await openExternal();
    const common = {
      target,
      engine,
      reportsDir: session.reportsDir,
      signal: session.signal,
      ...(workers ? { workers } : {}),
      progress: createProgressWriter({ tty: isInteractive && !flags.json }),
      ...(flags.json ? {} : { log: (l: string) => console.log(color.dim(l)) }),
    };
    if (!flags.json) console.log(`running ${loaded.kind} ${loaded.kind === 'suite' ? loaded.suite.name : loaded.scenario.name} against ${target.baseUrl}`);
    let exitCode: ExitCode;
    if (loaded.kind === 'suite') {
      for (const k of skipped) if (!flags.json) console.log(color.yellow(`skipping ${k.scenario}: ${k.reason}`));
      const out = await runSuite(loaded, { ...common, skipped });
      if (flags.json) printJson(out.runs.map((r) => r.summary));
      else {
        out.runs.forEach(printOutcome);
        console.log(`\nsuite ${loaded.suite.name}: ${VERDICT[out.status]}; ${relative(process.cwd(), out.suiteDir)}/ (summary.md, junit.xml, suite.json)`);
      }
      exitCode = out.exitCode;
    } else {
      const out = await runScenario(loaded, common);
      if (flags.json) printJson(out.summary);
      else printOutcome(out);
      exitCode = out.summary.verdict.exitCode;
    }
    session.conclude(exitCode);
  });
  return cmd;
}
