import { spawn } from 'node:child_process';
import { CrucibleError } from '../errors/crucible-error.ts';
import type { ContainerEngine } from './container-engine.ts';

export interface EngineCommandOptions {
  readonly signal?: AbortSignal;
  /** Bytes written to the command's stdin (a tar stream for `import`, a Containerfile for `build -f -`). */
  readonly input?: NodeJS.ReadableStream;
  /** Each line the command prints on stdout or stderr, as it comes (build progress). */
  readonly onLine?: (line: string) => void;
  /** A bound on a command that should answer quickly; builds pass none and rely on the signal. */
  readonly timeoutMs?: number;
  /** The folder the command runs in (the caller's by default). */
  readonly cwd?: string;
  /**
   * Runs it in a process group of its own and stops the whole group (SIGTERM, SIGKILL 5 s later): a
   * build's RUN steps under `--isolation chroot` are its children, and must not outlive it.
   */
  readonly processGroup?: boolean;
}

export interface EngineCommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `<engine> args...`; resolves with the exit code and output whatever the code (see engineCommand to require 0). */
export function engineExec(engine: ContainerEngine, args: readonly string[], opts: EngineCommandOptions = {}): Promise<EngineCommandResult> {
  return runProcess(engine.bin, args, engine.env, opts);
}

/** Runs a program to its end (bounded by the signal or timeout, which send SIGTERM); never rejects on a non-zero exit. */
export function runProcess(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, opts: EngineCommandOptions = {}): Promise<EngineCommandResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const child = spawn(bin, [...args], {
      env,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      detached: opts.processGroup === true,
      stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const lines = (chunk: string, carry: { rest: string }): void => {
      if (!opts.onLine) return;
      const parts = (carry.rest + chunk).split('\n');
      carry.rest = parts.pop() ?? '';
      for (const part of parts) opts.onLine(part);
    };
    const outCarry = { rest: '' };
    const errCarry = { rest: '' };
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      lines(c, outCarry);
    });
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      lines(c, errCarry);
    });
    if (opts.input && child.stdin) {
      // A command that exits early closes its stdin; the write error is the command's own failure.
      child.stdin.on('error', () => undefined);
      opts.input.pipe(child.stdin);
    }
    let killer: NodeJS.Timeout | undefined;
    const signalAll = (sig: NodeJS.Signals): void => {
      try {
        if (opts.processGroup && child.pid !== undefined) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const stop = (): void => {
      signalAll('SIGTERM');
      killer ??= setTimeout(() => signalAll('SIGKILL'), 5_000);
    };
    opts.signal?.addEventListener('abort', stop, { once: true });
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(stop, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      reject(err);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      clearTimeout(killer);
      opts.signal?.removeEventListener('abort', stop);
      for (const carry of [outCarry, errCarry]) if (carry.rest && opts.onLine) opts.onLine(carry.rest);
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
    });
  });
}

/** Runs `<engine> args...` and returns its stdout; a non-zero exit is a CrucibleError with the output's last lines. */
export async function engineCommand(engine: ContainerEngine, args: readonly string[], opts: EngineCommandOptions = {}): Promise<string> {
  const result = await engineExec(engine, args, opts);
  if (result.code !== 0) {
    throw new CrucibleError('CRUCIBLE_ERR_CONTAINER_COMMAND', `${engine.kind} ${args.slice(0, 3).join(' ')} failed (exit ${result.code})`, {
      details: outputTail(result),
    });
  }
  return result.stdout;
}

/** The last lines a command printed, for an error's details. */
export function outputTail(result: EngineCommandResult, lines = 12): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-lines);
}
