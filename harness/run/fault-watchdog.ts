import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { runtimeModulePath } from '../util/runtime-module.ts';

const MAIN = runtimeModulePath('./fault-watchdog-main.ts', import.meta.url);
/** How long disposal waits for the watchdog to exit after SIGTERM (it exits at once). */
const EXIT_WAIT_MS = 5_000;

/**
 * The dead-man's switch for faults: a detached process that undoes the journal's pending faults if
 * this process dies without doing it itself (SIGKILL, a crash, an OOM kill), so a toxic or a paused
 * process never outlives the run that made it. In-process timers revert each fault at its end;
 * this covers the case where there is no process left to run them. Dispose of it only once every
 * fault is reverted: until then it is the safety net.
 */
export function startFaultWatchdog(journalFile: string): AsyncDisposable {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, journalFile, String(process.pid)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return {
    [Symbol.asyncDispose]: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      // Unreferenced, the child would not keep this process alive until its exit is seen.
      child.ref();
      const exited = once(child, 'exit', { signal: AbortSignal.timeout(EXIT_WAIT_MS) }).catch(() => child.unref());
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        return; // already gone
      }
      await exited;
    },
  };
}
