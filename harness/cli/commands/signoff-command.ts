import { Command } from 'commander';
import { relative } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { createProgressWriter } from '../../run/live-progress.ts';
import { loadSignoffPlan, runSignoff } from '../../run/run-signoff.ts';
import { scenariosForTarget } from '../../run/run-suite.ts';
import { loadProfile } from '../../security/load-profile.ts';
import { kindRunTarget } from '../../targets/kind/kind-run-target.ts';
import { localTarget, reachableTarget } from '../../targets/run-target.ts';
import { color, isInteractive, table } from '../output.ts';
import { addSessionFlags, openSession, type SessionFlags } from '../session-options.ts';
import { addTargetFlags, localOptionsFrom, type TargetFlags } from '../target-options.ts';
import { upProgress } from './up-command.ts';

export function signoffCommand(): Command {
  const cmd = new Command('signoff')
    .description(
      'the phase-4 hardening sign-off: penetration checks, baseline load, stress and the chaos game day, then one report of the roadmap metrics; exit 0 only when all pass',
    )
    .option('--short', 'the CI profile: no stress ramp, one short chaos experiment instead of the game day (about 4 min instead of about 14)')
    .option('--keep', 'leave a local platform this run started running afterwards')
    .option(
      '--profile <file.ts>',
      'sign off a platform crucible did not start: its target profile (defineProfile) drives the penetration checks, its baseUrl the load; needs --load',
    )
    .option('--load <scenario>', 'the load scenario judged for p95, errors and cache hits (default: scenarios/load/baseline.ts)')
    .option('--stress <scenario>', 'the stress ramp (default: scenarios/stress/stress.ts in the full profile)')
    .option('--chaos <scenario|suite>', 'the chaos experiments (default: the game-day suite; --short: one short experiment)')
    .option(
      '--target <local|kind>',
      "the reference platform to sign off: local (started if it is not up) or kind (the one 'up --target kind' started)",
      'local',
    );
  addSessionFlags(cmd, 'where the sign-off folder goes');
  addTargetFlags(cmd, { startFlags: false });
  cmd.addHelpText(
    'after',
    `
Against the local platform (started for it, in production mode, if it is not up), one after the
other: every penetration check; the baseline load (scenarios/load/baseline.ts); the stress ramp
(full profile); the game-day chaos suite (full) or one short experiment (--short). Then
signoff.json, signoff.md and signoff.html in reports/<id>-signoff-<profile>/, with each metric
PASS or FAIL, its measured value, and a link to the run folder that holds its evidence:
  p95 < 200 ms, cache hit rate > 80 %, error rate < 1 %   (baseline load, after its warm-up)
  zero critical vulnerabilities, 100 % of checks reach a verdict   (penetration checks)
  time to detect < 5 min   (each attack class to its first alert, each chaos fault to its detection)
  MTTR < 15 min, availability >= 99.9 %, zero data loss   (chaos experiments)

Every scenario file and the profile are validated before anything starts (exit 2, naming the
file and the field). With --profile the chaos part cannot run (faults need the local target), so
MTTR, availability and data loss are reported as not measured, and the sign-off fails on them.

Examples:
  $ crucible signoff               # the full sign-off, about 14 minutes
  $ crucible signoff --short       # the CI profile, about 4 minutes
  $ crucible signoff --short --target kind   # the same against the platform in a kind cluster
  $ crucible signoff --profile ./my-api.profile.ts --load ./scenarios/my-load.ts
`,
  );
  cmd.action(
    async (
      flags: TargetFlags &
        SessionFlags & { short?: boolean; keep?: boolean; profile?: string; load?: string; stress?: string; chaos?: string; target?: string },
    ) => {
      const config = await loadConfig(flags.config);
      // Everything the sign-off will read is validated before a platform starts or a request is sent.
      const security = flags.profile ? await loadProfile(flags.profile) : undefined;
      const plan = await loadSignoffPlan(
        flags.short ? 'short' : 'full',
        { ...(flags.load ? { load: flags.load } : {}), ...(flags.stress ? { stress: flags.stress } : {}), ...(flags.chaos ? { chaos: flags.chaos } : {}) },
        security !== undefined,
      );
      const kind = flags.target ?? 'local';
      if (kind !== 'local' && kind !== 'kind')
        throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--target must be local or kind (got '${kind}')`, {
          hint: 'A platform crucible did not start is signed off with --profile <file>.',
        });
      if (security && kind === 'kind')
        throw new CrucibleError(
          'CRUCIBLE_ERR_INVALID_OPTION',
          '--profile and --target kind exclude each other: --profile signs off a platform crucible did not start',
        );
      // The chaos experiments that cannot run on the target are refused now; a suite's that are not for it are skipped.
      const skipped = plan.chaos ? scenariosForTarget(plan.chaos, kind) : [];
      const options = localOptionsFrom(flags, config.config);
      if (options.mode && options.mode !== 'production')
        throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', 'the sign-off judges the hardened platform: it runs in production mode only');
      await using session = openSession(config, flags, 'stopping the current step and writing the sign-off with what was measured');
      await using target = security
        ? await reachableTarget({ name: security.profile.name, baseUrl: security.profile.baseUrl, prometheus: security.profile.detection?.prometheus })
        : kind === 'kind'
          ? await kindRunTarget(options.portBase)
          : await localTarget(options, {
              ...(flags.keep ? { keep: true } : {}),
              signal: session.signal,
              onStart: (t) => console.log(`starting the local platform on port base ${t.options.portBase} for the sign-off`),
              onEvent: upProgress(false),
            });
      if (security) console.log(`signing off ${target.baseUrl} (profile ${relative(process.cwd(), security.file)})`);
      const { report, dir } = await runSignoff({
        plan,
        skipped,
        ...(security ? { securityProfile: { profile: security.profile, source: security.file } } : {}),
        target,
        reportsDir: session.reportsDir,
        signal: session.signal,
        progress: createProgressWriter({ tty: isInteractive }),
        log: (l) => console.log(color.dim(l)),
      });
      const v = (m: (typeof report.metrics)[number]): string =>
        m.actual === null
          ? 'not measured'
          : m.unit === 'ratio'
            ? `${(m.actual * 100).toFixed(2)} %`
            : m.unit === 'ms'
              ? m.actual < 1000
                ? `${m.actual.toFixed(1)} ms`
                : `${(m.actual / 1000).toFixed(1)} s`
              : String(m.actual);
      console.log(
        `\n${report.verdict.status === 'passed' ? color.green('SIGN-OFF PASSED') : color.red('SIGN-OFF FAILED')} (${report.profile} profile, ${(report.durationMs / 60_000).toFixed(1)} min)`,
      );
      console.log(
        table(
          ['OBJECTIVE', 'MEASURED', 'RESULT'],
          report.metrics.map((m) => [m.objective, v(m), m.pass ? color.green('PASS') : color.red('FAIL')]),
        ),
      );
      for (const n of report.notes) console.log(`  ${color.yellow('note')} ${n}`);
      console.log(`  report: ${relative(process.cwd(), dir)}/signoff.html (signoff.json, signoff.md, and a run folder per step)`);
      session.conclude(report.verdict.exitCode);
    },
  );
  return cmd;
}
