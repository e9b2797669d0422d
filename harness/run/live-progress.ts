import type { IntervalSnapshot } from '../load/engine-types.ts';

export interface ProgressWriter {
  update(s: IntervalSnapshot, note?: string): void;
  done(): void;
}

const fmt = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function progressLine(s: IntervalSnapshot, note?: string): string {
  const pct = s.plannedMs > 0 ? Math.min(100, Math.floor((s.elapsedMs / s.plannedMs) * 100)) : 0;
  const parts = [
    `${fmt(s.elapsedMs)}/${fmt(s.plannedMs)} ${String(pct).padStart(3)}%`,
    `${s.rps.toFixed(0).padStart(5)} req/s`,
    `p95 ${s.p95Ms === null ? '   -' : s.p95Ms.toFixed(0).padStart(4)} ms`,
    `err ${(s.errorRate * 100).toFixed(2)}%`,
    `vus ${s.vus}`,
    `reqs ${s.requests}`,
    ...(s.dropped > 0 ? [`DROPPED ${s.dropped}`] : []),
    ...(s.active.length ? [`[${s.active.join(',')}]`] : []),
    ...(note ? [note] : []),
  ];
  return parts.join('  ');
}

/**
 * On a terminal: one line rewritten in place every interval. In CI (or when piped): a plain line
 * every `everyMs`, so logs stay readable and still show the run is alive.
 */
export function createProgressWriter(opts: { tty: boolean; everyMs?: number; write?: (s: string) => void }): ProgressWriter {
  const write = opts.write ?? ((s: string) => void process.stderr.write(s));
  const every = opts.everyMs ?? 10_000;
  let lastPrinted = -Infinity;
  let wroteTty = false;
  return {
    update(s, note) {
      if (opts.tty) {
        write(`\r\x1b[2K${progressLine(s, note)}`);
        wroteTty = true;
      } else if (s.elapsedMs - lastPrinted >= every || note) {
        lastPrinted = s.elapsedMs;
        write(`${progressLine(s, note)}\n`);
      }
    },
    done() {
      if (wroteTty) write('\n');
    },
  };
}
