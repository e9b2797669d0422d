import { dirname, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load-config.ts';
import type { ConfigOptions } from '../config/scenario-types.ts';
import type { RunSummary } from '../result/summary-model.ts';
import { userProjectRoot } from '../util/user-project.ts';

/** 0 passed, 1 a check, threshold or SLO failed, 2 invalid input, 3 aborted or an infrastructure error. */
export type ExitCode = RunSummary['verdict']['exitCode'];

/** What a second interrupt exits with: the shell's code for "ended by SIGINT". */
export const EXIT_AT_ONCE = 130;

/** Where run folders go when neither the flag nor the config says. */
export const DEFAULT_REPORTS_DIR = 'reports';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** What the session has to tell the user; the CLI words and colours it. */
export type SessionNotice = { readonly kind: 'interrupted'; readonly signal: InterruptSignal } | { readonly kind: 'stray-rejection'; readonly error: unknown };

/** The part of `process` a session uses, so tests can hand it an EventEmitter instead. */
export interface SessionHost {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code: number): void;
  exitCode?: number | string | null | undefined;
  cwd(): string;
}

export interface RunSessionOptions {
  readonly config: LoadedConfig;
  /** The --reports-dir flag, relative to the working directory. */
  readonly reportsDir?: string | undefined;
  readonly notify: (notice: SessionNotice) => void;
  /** Default: `process`. */
  readonly host?: SessionHost;
}

/**
 * Where run folders go: the flag (relative to the working directory), else the config's
 * `reportsDir` (relative to the config file, like every path in it), else `reports` beside the
 * config file (or in the working directory when there is none).
 */
export function resolveReportsDir(flag: string | undefined, loaded: LoadedConfig, cwd: string): string {
  if (flag !== undefined) return resolve(cwd, flag);
  const base = loaded.file === undefined ? userProjectRoot(cwd) : dirname(loaded.file);
  return resolve(base, loaded.config.reportsDir ?? DEFAULT_REPORTS_DIR);
}

/**
 * What the run, pentest and sign-off commands share around a run: the first Ctrl-C or SIGTERM
 * aborts `signal` (the run stops, rolls back and still reports), a second one exits at once
 * (130); a stray promise rejection is reported instead of killing the harness in the middle of a
 * fault; the reports folder; and the process's exit code. Disposing it removes its listeners.
 */
export class RunSession implements AsyncDisposable {
  readonly signal: AbortSignal;
  readonly reportsDir: string;
  readonly config: ConfigOptions;
  readonly #abort = new AbortController();
  readonly #host: SessionHost;
  readonly #notify: (notice: SessionNotice) => void;
  readonly #listeners: readonly (readonly [string, (...args: unknown[]) => void])[];
  #interrupts = 0;

  constructor(o: RunSessionOptions) {
    this.#host = o.host ?? process;
    this.#notify = o.notify;
    this.signal = this.#abort.signal;
    this.config = o.config.config;
    this.reportsDir = resolveReportsDir(o.reportsDir, o.config, this.#host.cwd());
    this.#listeners = [
      ['SIGINT', () => this.#interrupt('SIGINT')],
      ['SIGTERM', () => this.#interrupt('SIGTERM')],
      // A probe's or a flow's forgotten promise must not end the process with faults still applied.
      ['unhandledRejection', (error: unknown) => this.#notify({ kind: 'stray-rejection', error })],
    ];
    for (const [event, listener] of this.#listeners) this.#host.on(event, listener);
  }

  /** True once the user (or SIGTERM) asked the run to stop. */
  get interrupted(): boolean {
    return this.signal.aborted;
  }

  /** Sets the exit code from the outcome; an interrupted run ends 3 (aborted) whatever it measured. */
  conclude(code: ExitCode): void {
    this.#host.exitCode = this.interrupted ? 3 : code;
  }

  #interrupt(signal: InterruptSignal): void {
    this.#interrupts += 1;
    if (this.#interrupts > 1) {
      this.#host.exit(EXIT_AT_ONCE);
      return;
    }
    this.#notify({ kind: 'interrupted', signal });
    this.#abort.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const [event, listener] of this.#listeners) this.#host.off(event, listener);
  }
}
