import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComponentSpec, ProcessComponent } from './component-spec.ts';
import { ManagedProcess, type ExitInfo } from './managed-process.ts';
import { waitReady } from './readiness.ts';
import { readLogTail } from './log-tail.ts';
import { writeState, type ComponentState, type PlatformState } from './supervisor-state.ts';

export interface RestartPolicy {
  /** Delay before the first restart; doubles per consecutive crash. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A process that stayed up this long has its crash streak forgotten. */
  readonly resetAfterMs: number;
}

const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 250, maxDelayMs: 10_000, resetAfterMs: 30_000 };

export interface SupervisorConfig {
  readonly state: PlatformState;
  readonly specs: readonly ComponentSpec[];
  readonly logDir: string;
  readonly readyTimeoutMs: number;
  readonly restart?: RestartPolicy;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

class StartFailure extends Error {
  readonly component: string;
  constructor(component: string, message: string) {
    super(message);
    this.component = component;
  }
}

/**
 * Starts the platform's components in dependency order (independent ones in parallel), waits for
 * each to be ready, and afterwards keeps them running: a process that exits unexpectedly is
 * restarted with exponential backoff, like a kubelet, and every restart is counted in the state.
 * During the initial start a crash is a failure instead (a broken migration must not loop).
 */
export class Supervisor implements AsyncDisposable {
  readonly state: PlatformState;
  private readonly specs: ReadonlyMap<string, ComponentSpec>;
  private readonly procs = new Map<string, ManagedProcess>();
  private readonly prepared = new Set<string>();
  private readonly crashStreak = new Map<string, number>();
  private readonly restartTimers = new Map<string, NodeJS.Timeout>();
  private readonly started = new Map<string, Promise<void>>();
  private readonly startAbort = new AbortController();
  private readonly cfg: SupervisorConfig;
  private readonly restart: RestartPolicy;
  private readonly now: () => number;
  private readonly t0: number;
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(cfg: SupervisorConfig) {
    this.cfg = cfg;
    this.state = cfg.state;
    this.restart = cfg.restart ?? DEFAULT_RESTART_POLICY;
    this.now = cfg.now ?? Date.now;
    this.t0 = this.now();
    this.specs = new Map(cfg.specs.map((s) => [s.name, s]));
    for (const spec of cfg.specs) {
      for (const dep of spec.dependsOn) if (!this.specs.has(dep)) throw new Error(`component ${spec.name} depends on unknown component ${dep}`);
      this.state.components.push({
        name: spec.name,
        group: spec.group,
        type: spec.type,
        status: 'pending',
        restarts: 0,
        ports: spec.type === 'process' ? { ...spec.ports } : {},
        urls: spec.type === 'process' ? { ...(spec.urls ?? {}) } : {},
        ...(spec.type === 'process' ? { logFile: this.logFile(spec.name) } : {}),
      });
    }
    mkdirSync(cfg.logDir, { recursive: true });
    mkdirSync(join(this.state.runDir, 'pids'), { recursive: true });
    this.save();
  }

  // Lifecycle

  /** Resolves when every component is ready; rejects (after stopping everything) naming the first that failed. */
  async startAll(): Promise<void> {
    try {
      await Promise.all([...this.specs.keys()].map((name) => this.startOnce(name)));
      this.state.phase = 'ready';
      this.state.readyAt = new Date(this.now()).toISOString();
      this.save();
    } catch (err) {
      const failure = err instanceof StartFailure ? err : new StartFailure('supervisor', (err as Error).message);
      this.startAbort.abort();
      const spec = this.specs.get(failure.component);
      this.state.phase = 'failed';
      this.state.error = {
        component: failure.component,
        message: failure.message,
        logTail: spec?.type === 'process' ? readLogTail(this.logFile(spec.name), 15) : [],
      };
      this.save();
      await this.stopAll('failed');
      throw failure;
    }
  }

  /**
   * Stops dependents before their dependencies, each level in parallel. Idempotent: a signal and a
   * failed start may both ask, and both must wait for the same complete stop (a second pass that
   * found nothing left to stop used to let the process exit while the first was still stopping).
   */
  stopAll(finalPhase: 'stopped' | 'failed' = 'stopped'): Promise<void> {
    this.stopped ??= this.stopEverything(finalPhase);
    return this.stopped;
  }

  /** Stops everything (stopAll), so a test or a caller can `await using` a supervisor. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll();
  }

  private async stopEverything(finalPhase: 'stopped' | 'failed'): Promise<void> {
    this.stopping = true;
    // A start still in progress must not launch anything more behind our back.
    this.startAbort.abort();
    if (finalPhase === 'stopped') this.state.phase = 'stopping';
    for (const t of this.restartTimers.values()) clearTimeout(t);
    this.restartTimers.clear();
    this.save();
    for (const level of this.levels().reverse()) {
      await Promise.all(level.map((name) => this.stopProcess(name, 'stopped')));
    }
    this.state.phase = this.state.error ? 'failed' : finalPhase;
    this.state.stoppedAt = new Date(this.now()).toISOString();
    this.save();
  }

  // Control (used by the control API: faults hold a component down, then release it)

  async hold(name: string): Promise<void> {
    this.processSpec(name);
    clearTimeout(this.restartTimers.get(name));
    this.restartTimers.delete(name);
    await this.stopProcess(name, 'held');
  }

  async release(name: string): Promise<void> {
    const spec = this.processSpec(name);
    if (this.procs.has(name)) return;
    await this.launch(spec, 'started by request');
  }

  async restartComponent(name: string): Promise<void> {
    const spec = this.processSpec(name);
    await this.stopProcess(name, 'stopping');
    this.component(name).restarts += 1;
    await this.launch(spec, 'restarted by request');
  }

  /** The live process of a component, for faults that signal it directly. */
  processOf(name: string): ManagedProcess | undefined {
    return this.procs.get(name);
  }

  // Internals

  private startOnce(name: string): Promise<void> {
    let p = this.started.get(name);
    if (!p) {
      const spec = this.specs.get(name)!;
      p = (async () => {
        await Promise.all(spec.dependsOn.map((d) => this.startOnce(d)));
        if (this.startAbort.signal.aborted) throw new StartFailure(name, 'start abandoned');
        if (spec.type === 'task') await this.runTask(spec);
        else await this.launch(spec, 'start');
      })();
      this.started.set(name, p);
    }
    return p;
  }

  private async runTask(spec: Extract<ComponentSpec, { type: 'task' }>): Promise<void> {
    const c = this.component(spec.name);
    c.status = 'starting';
    c.startedAt = new Date(this.now()).toISOString();
    this.save();
    try {
      await spec.run(AbortSignal.any([this.startAbort.signal, AbortSignal.timeout(this.cfg.readyTimeoutMs)]));
    } catch (err) {
      c.status = 'failed';
      c.error = (err as Error).message;
      this.save();
      throw new StartFailure(spec.name, (err as Error).message);
    }
    c.status = 'done';
    this.markReady(c);
  }

  private async launch(spec: ProcessComponent, note: string): Promise<void> {
    const c = this.component(spec.name);
    c.status = 'starting';
    delete c.error;
    this.save();
    const initial = this.state.phase === 'starting';
    try {
      if (spec.prepare && !this.prepared.has(spec.name)) {
        await spec.prepare();
        this.prepared.add(spec.name);
      }
      if (this.stopping) throw new Error('not started: the platform is stopping');
      const proc = await ManagedProcess.spawn(spec, this.logFile(spec.name), this.state.runDir, note);
      this.procs.set(spec.name, proc);
      if (this.stopping) {
        // stopAll ran while we were spawning and did not see this process: stop it ourselves.
        await this.stopProcess(spec.name, 'stopped');
        throw new Error('stopped while starting: the platform is stopping');
      }
      Object.assign(c, { pid: proc.pid, pgid: proc.pid, startTicks: proc.startTicks, startedAt: new Date(this.now()).toISOString() });
      writeFileSync(join(this.state.runDir, 'pids', `${spec.name}.pid`), `${proc.pid} ${proc.pid} ${proc.startTicks}\n`);
      this.save();
      void proc.exited.then((info) => this.onExit(spec, proc, info));
      const died = new AbortController();
      void proc.exited.then(() => died.abort());
      try {
        await waitReady(spec.ready, this.cfg.readyTimeoutMs, AbortSignal.any([died.signal, this.startAbort.signal]));
      } catch (err) {
        if (proc.hasExited) {
          const info = await proc.exited;
          throw new Error(`exited during start (${info.signal ? `signal ${info.signal}` : `code ${info.code}`}) before it was ready`, { cause: err });
        }
        throw err;
      }
      if (this.procs.get(spec.name) !== proc) return;
      c.status = 'ready';
      this.markReady(c);
      const streakAtStart = this.crashStreak.get(spec.name) ?? 0;
      setTimeout(() => {
        if (this.procs.get(spec.name) === proc && !proc.hasExited && (this.crashStreak.get(spec.name) ?? 0) === streakAtStart)
          this.crashStreak.delete(spec.name);
      }, this.restart.resetAfterMs).unref();
    } catch (err) {
      const message = (err as Error).message;
      c.error = message;
      if (initial || this.stopping) {
        c.status = 'failed';
        this.save();
        throw new StartFailure(spec.name, message);
      }
      // A restart that never became ready: kill it and try again later.
      this.cfg.log?.(`${spec.name}: restart failed: ${message}`);
      await this.stopProcess(spec.name, 'crashed');
      this.scheduleRestart(spec);
    }
  }

  private markReady(c: ComponentState): void {
    const now = this.now();
    c.readyAt = new Date(now).toISOString();
    if (c.readyAfterMs === undefined) c.readyAfterMs = now - this.t0;
    this.cfg.log?.(`${c.name}: ${c.status} after ${now - this.t0} ms`);
    this.save();
  }

  private onExit(spec: ProcessComponent, proc: ManagedProcess, info: ExitInfo): void {
    if (this.procs.get(spec.name) !== proc) return; // an old instance we already replaced or stopped
    this.procs.delete(spec.name);
    const c = this.component(spec.name);
    c.lastExit = { code: info.code, signal: info.signal, at: new Date(this.now()).toISOString() };
    delete c.pid;
    this.cfg.log?.(`${spec.name}: exited (${info.signal ?? `code ${info.code}`})`);
    proc.signalGroup('SIGKILL'); // whatever the leader forked must not outlive it
    if (this.stopping || this.state.phase !== 'ready') {
      if (c.status !== 'held') c.status = this.stopping ? 'stopped' : 'failed';
      this.save();
      return;
    }
    c.status = 'crashed';
    this.save();
    this.scheduleRestart(spec);
  }

  private scheduleRestart(spec: ProcessComponent): void {
    if (this.stopping || this.restartTimers.has(spec.name)) return;
    const streak = (this.crashStreak.get(spec.name) ?? 0) + 1;
    this.crashStreak.set(spec.name, streak);
    const delay = Math.max(spec.minRestartDelayMs ?? 0, Math.min(this.restart.maxDelayMs, this.restart.initialDelayMs * 2 ** (streak - 1)));
    this.cfg.log?.(`${spec.name}: restarting in ${delay} ms (crash ${streak} in a row)`);
    const timer = setTimeout(() => {
      this.restartTimers.delete(spec.name);
      if (this.stopping || this.component(spec.name).status === 'held') return;
      this.component(spec.name).restarts += 1;
      void this.launch(spec, `restart ${this.component(spec.name).restarts}`).catch(() => {});
    }, delay);
    this.restartTimers.set(spec.name, timer);
  }

  private async stopProcess(name: string, finalStatus: 'stopped' | 'held' | 'crashed' | 'stopping'): Promise<void> {
    const c = this.component(name);
    const proc = this.procs.get(name);
    if (!proc) {
      if (c.type === 'process' && (finalStatus === 'held' || c.status !== 'failed')) c.status = finalStatus === 'stopping' ? 'stopped' : finalStatus;
      this.save();
      return;
    }
    this.procs.delete(name);
    c.status = 'stopping';
    this.save();
    const info = await proc.stop();
    c.lastExit = { code: info.code, signal: info.signal, at: new Date(this.now()).toISOString() };
    c.status = finalStatus === 'stopping' ? 'stopped' : finalStatus;
    delete c.pid;
    rmSync(join(this.state.runDir, 'pids', `${name}.pid`), { force: true });
    this.save();
  }

  /** Components grouped by dependency depth: level 0 has no dependencies. */
  private levels(): string[][] {
    const depth = new Map<string, number>();
    const depthOf = (name: string): number => {
      const known = depth.get(name);
      if (known !== undefined) return known;
      const spec = this.specs.get(name)!;
      const d = spec.dependsOn.length === 0 ? 0 : 1 + Math.max(...spec.dependsOn.map(depthOf));
      depth.set(name, d);
      return d;
    };
    const levels: string[][] = [];
    for (const name of this.specs.keys()) (levels[depthOf(name)] ??= []).push(name);
    return levels.filter(Boolean);
  }

  private processSpec(name: string): ProcessComponent {
    const spec = this.specs.get(name);
    if (!spec || spec.type !== 'process') throw new Error(`no process component named ${name}`);
    return spec;
  }

  private component(name: string): ComponentState {
    const c = this.state.components.find((x) => x.name === name);
    if (!c) throw new Error(`no component named ${name}`);
    return c;
  }

  private logFile(name: string): string {
    return join(this.cfg.logDir, `${name}.log`);
  }

  private save(): void {
    writeState(this.state);
  }
}
