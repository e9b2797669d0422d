import { Command } from 'commander';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { runSmokeCheck } from '../../smoke/smoke-check.ts';
import { localTarget } from '../../targets/run-target.ts';
import { color, printJson, seconds, table } from '../output.ts';
import { addTargetFlags, localOptionsFrom, type TargetFlags } from '../target-options.ts';
import { announceStart, upProgress } from './up-command.ts';

export function smokeCommand(): Command {
  const cmd = new Command('smoke')
    .description('the main job on the local target: start the platform, prove it serves, print a summary, stop everything')
    .option('--keep', 'leave the platform running afterwards')
    .option('--json', 'print the summary as JSON');
  addTargetFlags(cmd, { startFlags: true });
  cmd.addHelpText(
    'after',
    `
Steps, through the edge as a user would: readiness, the web UI, a login, a product read twice
(cache miss, then hit), an order and its idempotent replay, a GraphQL batch of three operations.
A platform already running on the port base is used and left running.
Exit code 0 when every step passed, 1 when one failed, 3 when the platform would not start.

Examples:
  $ crucible smoke
  $ crucible smoke --keep        # then: crucible status, crucible down
`,
  );
  cmd.action(async (flags: TargetFlags & { keep?: boolean; json?: boolean }) => {
    const json = flags.json === true;
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const t0 = Date.now();
      // Stopped at the end of this block on every path, when smoke started it and --keep is off.
      await using platform = await localTarget(localOptionsFrom(flags), {
        keep: flags.keep === true,
        signal: abort.signal,
        onStart: (t) => announceStart(t, json),
        onEvent: upProgress(json),
      });
      const upMs = Date.now() - t0;
      const result = await runSmokeCheck(platform.baseUrl);
      const downMs = (await platform.stop())?.durationMs;
      if (json) printJson({ ...result, upMs, downMs });
      else {
        console.log(`\n${color.bold('smoke check')} against ${platform.baseUrl}`);
        console.log(
          table(
            ['STEP', 'RESULT', 'TIME', 'DETAIL'],
            result.steps.map((s) => [s.name, s.ok ? color.green('pass') : color.red('FAIL'), `${s.ms.toFixed(1)} ms`, s.detail]),
          ),
        );
        console.log(
          `\nplatform up in ${seconds(upMs)}${downMs !== undefined ? `, down in ${seconds(downMs)}` : platform.startedHere ? ' (left running: --keep)' : ' (was already running; left running)'}`,
        );
        console.log(result.ok ? color.green('smoke check passed') : color.red('smoke check FAILED'));
      }
      if (!result.ok) throw new CrucibleError('CRUCIBLE_ERR_SMOKE_FAILED', `step '${result.steps.find((s) => !s.ok)?.name}' failed`);
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
  return cmd;
}
