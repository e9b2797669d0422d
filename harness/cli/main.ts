#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../util/project-root.ts';
import { compareCommand } from './commands/compare-command.ts';
import { doctorCommand } from './commands/doctor-command.ts';
import { downCommand } from './commands/down-command.ts';
import { imagesCommand } from './commands/images-command.ts';
import { initCommand } from './commands/init-command.ts';
import { recoverCommand } from './commands/recover-command.ts';
import { pentestCommand } from './commands/pentest-command.ts';
import { reportCommand } from './commands/report-command.ts';
import { runCommand } from './commands/run-command.ts';
import { setupCommand } from './commands/setup-command.ts';
import { signoffCommand } from './commands/signoff-command.ts';
import { smokeCommand } from './commands/smoke-command.ts';
import { statusCommand } from './commands/status-command.ts';
import { upCommand } from './commands/up-command.ts';

// `crucible pentest --list | head`: a reader that stops early is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : undefined));
import { reportError } from './output.ts';

const { version } = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };

const program = new Command('crucible')
  .description('chaos and performance testing harness: stands up a reference platform and drives it with load, fault and penetration scenarios')
  .version(version, '-v, --version', 'print the version')
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Examples (getting started):
  $ crucible setup             install the platform's tools that are missing
  $ crucible doctor            what works on this machine
  $ crucible smoke             start the platform, prove it serves, stop it
  $ crucible up                start it and leave it running
  $ crucible status            what runs, where, with which pid
  $ crucible down              stop everything
  $ crucible run smoke         run the smoke suite and write its reports under reports/
  $ crucible compare reports/<run>   regressions against the previous run of the scenario
  $ crucible pentest           the penetration checks against the hardened platform (0 findings)
  $ crucible signoff --short   the phase-4 sign-off: pentest, load, chaos, one report of the roadmap metrics
  $ crucible recover reports/<run>   undo the faults a crashed run left on the platform
  $ crucible images build      build the platform's container images (docker or podman)

Exit codes: 0 pass, 1 a check or SLO failed, 2 invalid input, 3 infrastructure error or aborted.
Docs: README.md, docs/cli.md, docs/errors.md, docs/platform.md
`,
  )
  .exitOverride();

for (const cmd of [
  initCommand(),
  upCommand(),
  downCommand(),
  statusCommand(),
  doctorCommand(),
  setupCommand(),
  smokeCommand(),
  runCommand(),
  reportCommand(),
  compareCommand(),
  recoverCommand(),
  pentestCommand(),
  signoffCommand(),
  imagesCommand(),
])
  program.addCommand(cmd.exitOverride());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit through here with code 0; usage errors are invalid input.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportError(err);
  }
}
