import type { Command } from 'commander';
import type { LoadedConfig } from '../config/load-config.ts';
import { RunSession, type SessionNotice } from '../run/run-session.ts';
import { color } from './output.ts';

/** The flags of every command that runs something and writes its reports (run, pentest, signoff). */
export interface SessionFlags {
  reportsDir?: string;
  config?: string;
}

/** `where`: what goes into the reports folder, e.g. 'where run folders go'. */
export function addSessionFlags(cmd: Command, where: string): Command {
  return cmd
    .option('--reports-dir <dir>', `${where} (default: the config's reportsDir, else reports)`)
    .option('--config <file>', "a crucible.config.ts (default: your project's, the nearest folder up from here with one or a package.json)");
}

/** `stopping` says what the first Ctrl-C does, e.g. 'stopping the run and writing a partial report'. */
export function sessionNotices(stopping: string): (n: SessionNotice) => void {
  return (n) => {
    switch (n.kind) {
      case 'interrupted':
        return console.error(color.yellow(`\ninterrupted: ${stopping} (Ctrl-C again to quit at once)`));
      case 'stray-rejection': {
        const e = n.error;
        return console.error(color.red(`internal error (unhandled rejection), the run goes on: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
      }
      default: {
        const never: never = n;
        return never;
      }
    }
  };
}

/** The session of one command's run: its signals, reports folder and exit code (harness/run/run-session.ts). */
export function openSession(config: LoadedConfig, flags: SessionFlags, stopping: string): RunSession {
  return new RunSession({ config, reportsDir: flags.reportsDir, notify: sessionNotices(stopping) });
}
