import { CrucibleError, toError } from '../errors/crucible-error.ts';

const tty = process.stdout.isTTY === true && !process.env['NO_COLOR'] && process.env['CI'] !== 'true';
const paint =
  (code: number) =>
  (s: string): string =>
    tty ? `\x1b[${code}m${s}\x1b[0m` : s;
export const color = { green: paint(32), red: paint(31), yellow: paint(33), dim: paint(2), bold: paint(1) };

export const isInteractive = tty;

/** Left-aligned columns; a hand-rolled 20 lines because a table library buys nothing here. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  // eslint-disable-next-line no-control-regex
  const visible = (s: string): number => s.replace(/\x1b\[\d+m/g, '').length;
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visible(c))))
      .join('  ')
      .trimEnd();
  return [color.bold(line(headers)), ...rows.map(line)].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error the way every command does and returns the exit code to use. */
export function reportError(err: unknown): number {
  // Cleaning up (disposing what a run started) failed while another error was on its way out: both matter.
  if (err instanceof SuppressedError) {
    const first = reportError(err.suppressed);
    console.error(color.dim('and while stopping what the run had started:'));
    return Math.max(first, reportError(err.error));
  }
  if (err instanceof CrucibleError) {
    console.error(`${color.red('error')} ${err.code}: ${err.message}`);
    for (const d of err.details) console.error(`  ${d}`);
    console.error(`${color.dim('hint:')} ${err.hint}`);
    return err.exitCode;
  }
  const e = toError(err);
  console.error(`${color.red('error')} (unexpected): ${e.stack ?? e.message}`);
  return 3;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
