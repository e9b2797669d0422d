import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

/** An error meant for the user: a code (docs/errors.md), a message naming what failed, a hint saying what to do. */
export class CrucibleError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly exitCode: 1 | 2 | 3;
  /** Extra lines shown under the message (a log tail, a list of ports). */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; details?: readonly string[]; hint?: string } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CrucibleError';
    this.code = code;
    this.hint = opts.hint ?? ERROR_CODES[code].hint;
    this.exitCode = ERROR_CODES[code].exitCode;
    this.details = opts.details ?? [];
  }
}

/**
 * One line for a record that outlives the error (a report, the fault journal): the message and, for a
 * CrucibleError, its details, which name what failed (which undo action, which pod) where the message counts.
 */
export function describeError(err: Error): string {
  return err instanceof CrucibleError && err.details.length > 0 ? [err.message, ...err.details].join('; ') : err.message;
}

/** Anything thrown, as an Error (user code may throw strings). */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
