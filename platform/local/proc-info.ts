import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly startTicks: number;
  readonly state: string;
}

/** /proc/<pid>/stat, parsed after the command name (which may itself contain spaces and parentheses). */
export function procStat(pid: number): ProcStat | undefined {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  // Fields after "(comm)": state(3) ppid(4) pgrp(5) ... starttime(22), numbered from 1 in proc(5).
  return { pid, state: rest[0] ?? '?', ppid: Number(rest[1]), pgid: Number(rest[2]), startTicks: Number(rest[19]) };
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** Live (not zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const st = procStat(pid);
    return st !== undefined && st.pgid === pgid && st.state !== 'Z';
  });
}

/** True if the pid is alive and is the very process we started (same start time), not a zombie. */
export function isSameProcess(pid: number, startTicks: number | undefined): boolean {
  const st = procStat(pid);
  if (!st || st.state === 'Z') return false;
  return startTicks === undefined || st.startTicks === startTicks;
}

export function procCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export function procEnviron(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}
