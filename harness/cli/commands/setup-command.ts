import { Command } from 'commander';
import { setupTools } from '../../tools/setup-tools.ts';

export function setupCommand(): Command {
  return new Command('setup')
    .description("install the platform's tools that are missing on this machine (idempotent)")
    .addHelpText(
      'after',
      `
Looks for each tool the platform runs (redis, postgresql, prometheus, haproxy, toxiproxy-server,
chromium, wrk). Those on PATH are used as they are. Missing ones come from Debian's packages
(apt-get; needs root or passwordless sudo) or, for toxiproxy-server, from its Go module (needs Go);
built tools go to .tools/bin beside crucible's package.json. A second run only checks. Exit code 1
names each tool it could not install and what to install by hand; 'crucible doctor' shows the rest.

Example:
  $ crucible setup
`,
    )
    .action(async () => {
      const failures = await setupTools({ say: (msg) => console.log(`setup: ${msg}`) });
      for (const f of failures) console.error(`setup: error: ${f}`);
      if (failures.length > 0) process.exitCode = 1;
      else console.log('setup: all tools present');
    });
}
