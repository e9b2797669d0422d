import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last lines of a log file (reads at most the final 64 KiB), or [] if there is none. */
export function readLogTail(file: string, lines: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 65_536);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    return buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .slice(-lines);
  } finally {
    closeSync(fd);
  }
}
