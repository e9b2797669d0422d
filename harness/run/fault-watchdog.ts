import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running watchdog: stop it once the harness has rolled back by itself. */
export interface FaultWatchdog {
  stop(): void;
}

const MAIN = fileURLToPath(new URL('./fault-watchdog-main.ts', import.meta.url));

/**
 * The dead-man's switch for faults: a detached process that undoes the journal's pending faults if
 * this process dies without doing it itself (SIGKILL, a crash, an OOM kill), so a toxic or a paused
 * process never outlives the run that made it. In-process timers revert each fault at its end;
 * this covers the case where there is no process left to run them.
 */
export function startFaultWatchdog(journalFile: string, platformRunDir: string): FaultWatchdog {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, journalFile, String(process.pid), platformRunDir], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return {
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    },
  };
}
