import { CrucibleError } from '../../errors/crucible-error.ts';
import { printJson } from '../output.ts';

/** Which platform up/status/down address: the same flags, another target behind them. */
export type PlatformTargetName = 'local' | 'containers' | 'kind';

export function platformTarget(value: string | undefined): PlatformTargetName {
  if (value === undefined || value === 'local' || value === 'containers' || value === 'kind') return value ?? 'local';
  throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--target '${value}': expected local, containers or kind`);
}

/** An integer flag (or environment variable) of the containers and kind targets; undefined when absent. */
export function intFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--${flag} must be an integer (got '${value}')`);
  return n;
}

/**
 * Brings a target up with Ctrl-C or SIGTERM aborting the start (the target then removes what it had
 * started), and prints its state: as JSON, or in words.
 */
export async function upInterruptibly<S>(
  what: string,
  up: (signal: AbortSignal) => Promise<S>,
  output: { json: boolean; announce: string; print: (state: S) => void },
): Promise<void> {
  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new CrucibleError('CRUCIBLE_ERR_UP_ABORTED', `interrupted while ${what} was starting`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!output.json) console.log(output.announce);
    const state = await up(abort.signal);
    if (output.json) printJson(state);
    else output.print(state);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
