import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { projectRoot } from '../../util/project-root.ts';
import { runtimeModulePath } from '../../util/runtime-module.ts';
import { userProjectRoot } from '../../util/user-project.ts';
import type { DownReport, Target, TargetStatus, UpEvent } from '../target.ts';
import { LocalOptionsError, resolveLocalOptions, type LocalPlatformOptions, type ResolvedLocalOptions } from '../../../platform/local/local-options.ts';
import { readLogTail } from '../../../platform/local/log-tail.ts';
import { portMap } from '../../../platform/local/ports.ts';
import { isSameProcess } from '../../../platform/local/proc-info.ts';
import { findLeftovers, reap, RUN_DIR_ENV } from '../../../platform/local/process-reaper.ts';
import { readState, writeState, type PlatformState } from '../../../platform/local/supervisor-state.ts';
import type { LaunchSpec } from '../../../platform/local/supervisor-main.ts';
import { checkPortsFree, resolveLocalTools } from './preflight.ts';

export interface LocalTargetDeps {
  readonly onEvent?: (e: UpEvent) => void;
  readonly pollMs?: number;
}

/**
 * The embedded default target: the reference platform as child processes on 127.0.0.1, run by a
 * detached supervisor (platform/local/supervisor-main.ts) that outlives this CLI process, restarts
 * crashed components and writes the live state to <runDir>/state.json.
 */
export class LocalTarget implements Target {
  readonly kind = 'local' as const;
  readonly options: ResolvedLocalOptions;
  private readonly deps: LocalTargetDeps;

  constructor(options: LocalPlatformOptions = {}, deps: LocalTargetDeps = {}) {
    if (process.platform !== 'linux') throw new CrucibleError('CRUCIBLE_ERR_UNSUPPORTED_OS', `the local target needs Linux (this is ${process.platform})`);
    try {
      this.options = resolveLocalOptions(options, userProjectRoot());
    } catch (err) {
      if (err instanceof LocalOptionsError) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `invalid ${err.field}: ${err.message}`);
      throw err;
    }
    this.deps = deps;
  }

  get runDir(): string {
    return this.options.runDir;
  }

  /** The live state, or undefined when this platform was never started. */
  state(): PlatformState | undefined {
    return readState(this.runDir);
  }

  supervisorAlive(state = this.state()): boolean {
    return state !== undefined && isSameProcess(state.supervisor.pid, state.supervisor.startTicks);
  }

  async up(signal?: AbortSignal): Promise<PlatformState> {
    const existing = this.state();
    if (existing && this.supervisorAlive(existing) && (existing.phase === 'ready' || existing.phase === 'starting')) {
      // Reusing a platform that runs other switches (or another mode) would test the wrong thing.
      const want = [...this.options.vulnerable].sort().join(',');
      const have = [...(existing.vulnerable ?? [])].sort().join(',');
      if (existing.mode !== this.options.mode || want !== have)
        throw new CrucibleError(
          'CRUCIBLE_ERR_INVALID_OPTION',
          `a platform already runs on port base ${existing.portBase} in mode ${existing.mode}${have ? ` with switches ${have}` : ''}, not mode ${this.options.mode}${want ? ` with switches ${want}` : ''}`,
          {
            hint: `Stop it first ('crucible down --port-base ${existing.portBase}') or use another --port-base.`,
          },
        );
      this.emit({ kind: 'preflight', message: `already running (supervisor pid ${existing.supervisor.pid}); reusing it` });
      return existing.phase === 'ready' ? existing : this.waitReady(Date.now(), signal);
    }
    // A previous run that crashed or was killed may have left processes behind; they hold our ports.
    await this.cleanup(existing);

    const tools = resolveLocalTools();
    await checkPortsFree(portMap(this.options.portBase, this.options.gatewayReplicas));
    this.emit({ kind: 'preflight', message: `tools found; ports ${this.options.portBase}-${this.options.portBase + 99} free` });

    rmSync(this.runDir, { recursive: true, force: true });
    mkdirSync(this.runDir, { recursive: true });
    const launch: LaunchSpec = { opts: this.options, tools, projectRoot: projectRoot() };
    const launchFile = join(this.runDir, 'launch.json');
    writeFileSync(launchFile, JSON.stringify(launch, null, 2));

    const t0 = Date.now();
    const logFd = openSync(join(this.runDir, 'supervisor.log'), 'a');
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', runtimeModulePath('../../../platform/local/supervisor-main.ts', import.meta.url), launchFile],
      {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, [RUN_DIR_ENV]: this.runDir },
        cwd: this.runDir,
      },
    );
    closeSync(logFd);
    child.unref();
    return this.waitReady(t0, signal);
  }

  private async waitReady(t0: number, signal?: AbortSignal): Promise<PlatformState> {
    const seen = new Map<string, string>();
    const deadline = t0 + this.options.readyTimeoutMs + 5_000;
    for (;;) {
      const st = this.state();
      if (st) {
        for (const c of st.components) {
          if (seen.get(c.name) !== c.status) {
            seen.set(c.name, c.status);
            this.emit({ kind: 'component', name: c.name, status: c.status, atMs: Date.now() - t0 });
          }
        }
        if (st.phase === 'ready') {
          this.emit({ kind: 'ready', atMs: Date.now() - t0 });
          return st;
        }
        if (st.phase === 'failed' && st.error) {
          await this.waitSupervisorExit(st, 20_000);
          await this.cleanup(this.state());
          const log = st.components.find((c) => c.name === st.error!.component)?.logFile;
          throw new CrucibleError('CRUCIBLE_ERR_UP_FAILED', `${st.error.component} failed to start: ${st.error.message}`, {
            details: [...(log ? [`log: ${log}`] : []), ...st.error.logTail.map((l) => `  | ${l}`)],
          });
        }
      }
      const supervisorGone = st ? !this.supervisorAlive(st) : Date.now() - t0 > 5_000;
      if (supervisorGone) {
        await this.cleanup(st);
        const tail = readLogTail(join(this.runDir, 'supervisor.log'), 15);
        throw new CrucibleError('CRUCIBLE_ERR_UP_FAILED', 'the supervisor exited before the platform was ready', {
          details: [`log: ${join(this.runDir, 'supervisor.log')}`, ...tail.map((l) => `  | ${l}`)],
        });
      }
      if (signal?.aborted || Date.now() > deadline) {
        const notReady = (st?.components ?? []).filter((c) => c.status !== 'ready' && c.status !== 'done');
        await this.down();
        if (signal?.aborted) throw new CrucibleError('CRUCIBLE_ERR_UP_ABORTED', 'interrupted while the platform was starting');
        throw new CrucibleError(
          'CRUCIBLE_ERR_UP_TIMEOUT',
          `the platform was not ready within ${Math.round(this.options.readyTimeoutMs / 1000)} s: ${notReady.map((c) => c.name).join(', ') || 'unknown'} not ready`,
          {
            details: notReady.flatMap((c) => [
              `${c.name} (${c.status})${c.error ? `: ${c.error}` : ''}${c.logFile ? ` log: ${c.logFile}` : ''}`,
              ...(c.logFile ? readLogTail(c.logFile, 5).map((l) => `  | ${l}`) : []),
            ]),
          },
        );
      }
      await sleep(this.deps.pollMs ?? 100);
    }
  }

  async down(): Promise<DownReport> {
    const t0 = Date.now();
    const st = this.state();
    const wasRunning = st !== undefined && this.supervisorAlive(st);
    const stopped = st?.components.filter((c) => c.pid !== undefined).map((c) => c.name) ?? [];
    if (st && wasRunning) {
      try {
        process.kill(st.supervisor.pid, 'SIGTERM');
      } catch {
        /* exited meanwhile */
      }
      await this.waitSupervisorExit(st, 30_000);
    }
    const reaped = await this.cleanup(this.state());
    return { wasRunning, stopped, reaped, durationMs: Date.now() - t0 };
  }

  private async waitSupervisorExit(st: PlatformState, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.supervisorAlive(st)) await sleep(50);
  }

  /**
   * Kills whatever of this platform is still alive without a supervisor (recorded process groups, pid
   * files, anything carrying the run folder in its environment), and removes the data folders.
   */
  private async cleanup(st: PlatformState | undefined): Promise<{ pid: number; cmd: string }[]> {
    const pgids = new Set<number>();
    for (const c of st?.components ?? []) if (c.pgid !== undefined) pgids.add(c.pgid);
    for (const pid of this.pidFiles()) pgids.add(pid);
    if (st && this.supervisorAlive(st)) {
      try {
        process.kill(st.supervisor.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    const leftovers = findLeftovers(this.runDir, pgids);
    const survivors = await reap(leftovers);
    if (survivors.length > 0)
      throw new CrucibleError('CRUCIBLE_ERR_DOWN_INCOMPLETE', `${survivors.length} process(es) of ${this.runDir} would not die`, {
        details: survivors.map((s) => `pid ${s.pid}: ${s.cmd}`),
      });
    for (const dir of st?.extraDirs ?? []) rmSync(dir, { recursive: true, force: true });
    rmSync(join(this.runDir, 'data'), { recursive: true, force: true });
    rmSync(join(this.runDir, 'pids'), { recursive: true, force: true });
    if (st && st.phase !== 'stopped' && st.phase !== 'failed' && existsSync(this.runDir)) {
      st.phase = 'stopped';
      st.stoppedAt = new Date().toISOString();
      for (const c of st.components) {
        if (c.status !== 'failed') c.status = 'stopped';
        delete c.pid;
      }
      writeState(st);
    }
    return leftovers.map((l) => ({ pid: l.pid, cmd: l.cmd }));
  }

  private pidFiles(): number[] {
    const out: number[] = [];
    const dir = join(this.runDir, 'pids');
    for (const file of existsSync(dir) ? readdir(dir) : []) {
      const pgid = Number(readFileSync(join(dir, file), 'utf8').split(' ')[1]);
      if (Number.isInteger(pgid) && pgid > 1) out.push(pgid);
    }
    return out;
  }

  async status(): Promise<TargetStatus> {
    const st = this.state();
    if (!st || st.phase === 'stopped') return { target: 'local', health: 'down', problems: st ? ['stopped'] : ['never started on this port base'], state: st };
    const problems: string[] = [];
    const supervisorUp = this.supervisorAlive(st);
    if (!supervisorUp)
      problems.push(`supervisor (pid ${st.supervisor.pid}) is not running: nothing restarts crashed components; run 'crucible down' then 'crucible up'`);
    for (const c of st.components) {
      if (c.type !== 'process') continue;
      const alive = c.pid !== undefined && isSameProcess(c.pid, c.startTicks);
      if (!alive && c.status === 'ready') {
        c.status = 'crashed';
        delete c.pid;
      }
      if (c.status !== 'ready') problems.push(`${c.name} is ${c.status}${c.error ? `: ${c.error}` : ''}`);
    }
    const health =
      st.phase === 'starting' && supervisorUp
        ? 'starting'
        : problems.length === 0 && st.phase === 'ready'
          ? 'up'
          : problems.length === 0 && st.phase !== 'ready'
            ? 'down'
            : 'degraded';
    return { target: 'local', health, problems, state: st };
  }

  private emit(e: UpEvent): void {
    this.deps.onEvent?.(e);
  }
}

function readdir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
