import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BenchTarget {
  readonly url: string;
  stop(): Promise<void>;
}

/** The trivial endpoint every tool is measured against: HAProxy answering 200 "ok" itself, one thread. */
export async function startHaproxy(port: number): Promise<BenchTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-'));
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    [
      'global',
      '  nbthread 1',
      // The VM caps open files at 20000: haproxy derives its fd limit from maxconn.
      '  maxconn 4000',
      'defaults',
      '  mode http',
      '  timeout client 30s',
      '  timeout server 30s',
      '  timeout connect 5s',
      'frontend bench',
      `  bind 127.0.0.1:${port}`,
      '  http-request return status 200 content-type text/plain string ok',
      '',
    ].join('\n'),
  );
  // -db: stay in the foreground, so this process owns it and stops it.
  const child = spawn('/usr/sbin/haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), resolve(true))).on('error', () => resolve(false));
    });
    if (up) return { url: `http://127.0.0.1:${port}/`, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`haproxy did not start on port ${port}: ${stderr}`);
}
