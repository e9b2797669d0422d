import { randomBytes } from 'node:crypto';

/** Sortable and readable: 20261125-181502-baseline-load-3f9a. */
export function newRunId(name: string, now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${name}-${randomBytes(2).toString('hex')}`;
}
