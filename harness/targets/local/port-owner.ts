import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { procCmdline } from '../../../platform/local/proc-info.ts';

/**
 * Which process listens on a TCP port, from /proc/net/tcp{,6} and the processes' socket
 * descriptors; best effort (another user's process is not readable unless we are root).
 */
export function portOwner(port: number): { pid: number; cmd: string } | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN.
      if (f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A' && f[9]) inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const dir of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${dir}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${dir}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return { pid: Number(dir), cmd: procCmdline(Number(dir)) };
      } catch {
        /* raced with the process */
      }
    }
  }
  return undefined;
}
