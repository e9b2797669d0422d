import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ProcessComponent } from './component-spec.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupMembers, procStat } from './proc-info.ts';
import { RUN_DIR_ENV } from './process-reaper.ts';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One running instance of a process component: its own process group (so stopping it also stops
 * what it forked, like PostgreSQL's backends), output appended to its log file.
 */
export class ManagedProcess {
  readonly spec: ProcessComponent;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startTicks: number;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  private constructor(spec: ProcessComponent, child: ChildProcess) {
    this.spec = spec;
    this.child = child;
    if (child.pid === undefined) throw new Error(`${spec.name}: spawn returned no pid`);
    this.pid = child.pid;
    this.startTicks = procStat(child.pid)?.startTicks ?? 0;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  static async spawn(spec: ProcessComponent, logFile: string, runDir: string, note: string): Promise<ManagedProcess> {
    const fd = openSync(logFile, 'a');
    writeSync(fd, `\n--- ${new Date().toISOString()} ${note}: ${spec.command} ${spec.args.join(' ')}\n`);
    try {
      const child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd ?? runDir,
        env: { ...process.env, ...spec.env, [RUN_DIR_ENV]: runDir, ...(spec.runAs ? { HOME: spec.runAs.home } : {}) },
        stdio: ['ignore', fd, fd],
        detached: true,
        ...(spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}),
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', () => resolve());
        child.once('error', (err) => reject(new Error(`${spec.name}: could not start ${spec.command}: ${err.message}`)));
      });
      return new ManagedProcess(spec, child);
    } finally {
      // The child holds its own copy of the descriptor.
      closeSync(fd);
    }
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Once the leader has exited its pid may be recycled, so only the group (kept alive by any member) is signalled. */
  signalGroup(signal: NodeJS.Signals): void {
    for (const target of this.exitInfo ? [-this.pid] : [-this.pid, this.pid]) {
      try {
        process.kill(target, signal);
      } catch {
        /* gone already */
      }
    }
  }

  /** The spec's stop signal to the whole group, then SIGKILL after the grace period. */
  async stop(): Promise<ExitInfo> {
    if (this.exitInfo) {
      this.signalGroup('SIGKILL'); // children the leader left behind
      return this.exitInfo;
    }
    this.signalGroup(this.spec.stopSignal ?? 'SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), this.spec.stopTimeoutMs ?? 5_000).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') this.signalGroup('SIGKILL');
    const info = await this.exited;
    this.signalGroup('SIGKILL');
    await this.groupGone();
    return info;
  }

  /**
   * A SIGKILL is delivered when its target is next scheduled: on a busy machine the group's members
   * can outlive kill() by a moment, and a stop must not return while one still runs. Bounded: a
   * member stuck in the kernel (state D) cannot hold the stop forever.
   */
  private async groupGone(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (groupMembers(this.pid).length > 0 && Date.now() < deadline) await sleep(10);
  }
}
