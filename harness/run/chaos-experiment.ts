import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from '../config/duration.ts';
import type { ChaosOptions, ScenarioDefinition } from '../config/scenario-types.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import {
  createFault,
  FaultJournal,
  faultJournalPath,
  injectFault,
  localFaultEnvironment,
  verifyClean,
  type ActiveFault,
  type FaultSpec,
  type FaultStep,
  type LocalFaultEnvironment,
  type RevertOutcome,
} from '../faults/index.ts';
import { LEDGER_SOURCE, readLedgerRows } from '../ledger/ledger-readback.ts';
import { LedgerWriter, type LedgerRecord } from '../ledger/ledger-writer.ts';
import { analyzeChaos, type ChaosFaultInput } from '../measure/analyze-chaos.ts';
import { probeWindows } from '../measure/probe-windows.ts';
import { firingAlerts } from '../metrics/prometheus-alerts.ts';
import { createProbe, ProbeRunner, type ProbeSample, type ProbeTargetInfo } from '../probes/index.ts';
import { ROADMAP } from '../result/roadmap.ts';
import type { ChaosAnalysis } from '../result/summary-model.ts';
import type { RunTarget } from '../targets/run-target.ts';
import type { PlatformSecrets } from '../../platform/local/plan-context.ts';
import { startFaultWatchdog, type FaultWatchdog } from './fault-watchdog.ts';

/** Seed users the experiment acts as (fixtures/users.json): the browser journey and the ledger's writer. */
const BROWSER_USER = { username: 'judy', password: 'judy-pass-0001' };
const LEDGER_USER = { username: 'heidi', password: 'heidi-pass-0001' };

/** A step's default name: what it does and to what. */
export function stepName(step: FaultStep): string {
  if (step.name) return step.name;
  const f = step.fault;
  switch (f.type) {
    case 'toxic':
      return `${f.toxic} on ${[f.proxy].flat().join(', ')}`;
    case 'proxy-down':
      return `${[f.proxy].flat().join(', ')} down`;
    case 'process-kill':
      return `kill ${f.component}`;
    case 'process-pause':
      return `pause ${f.component}`;
    case 'component-stop':
      return `stop ${f.component}`;
    case 'redis-primary-kill':
      return `kill Redis primary (shard ${f.shard ?? 0})`;
  }
}

interface PlannedFault {
  readonly id: string;
  readonly name: string;
  readonly spec: FaultSpec;
  readonly atMs: number;
  readonly durationMs: number | undefined;
  readonly weight: number;
}

/** Every injection of the method, in time order: steps with their repeats. */
export function planFaults(method: readonly FaultStep[]): PlannedFault[] {
  return method
    .flatMap((step, i) =>
      Array.from({ length: step.repeat?.times ?? 1 }, (_, r) => ({
        id: `${i}.${r}`,
        name: stepName(step),
        spec: step.fault,
        atMs: parseDuration(step.at) + r * (step.repeat ? parseDuration(step.repeat.every) : 0),
        durationMs: step.duration === undefined ? undefined : parseDuration(step.duration),
        weight: step.weight ?? 5,
      })),
    )
    .sort((a, b) => a.atMs - b.atMs);
}

export interface ChaosExperimentOptions {
  readonly scenario: ScenarioDefinition & { readonly chaos: ChaosOptions };
  readonly runId: string;
  readonly runDir: string;
  readonly target: RunTarget;
  /** Stops the load (an abort condition held, or a fault could not be injected). */
  readonly stopLoad: () => void;
  readonly log?: (line: string) => void;
}

/**
 * A chaos experiment beside the load: probes sampled from the load's start, the method's faults
 * injected and reverted on its timeline (each journaled before it takes effect), abort conditions,
 * the data-loss ledger's writer; afterwards the rollback, the wait for recovery, the alerts, the
 * read-back of the ledger, and the measurements. `rollback()` is idempotent and safe from any path.
 */
export class ChaosExperiment {
  readonly #o: ChaosExperimentOptions;
  readonly #chaos: ChaosOptions;
  readonly #env: LocalFaultEnvironment;
  readonly #journal: FaultJournal;
  readonly #planned: PlannedFault[];
  readonly #windowMs: number;
  readonly #recoverWindows: number;
  readonly #probeTarget: ProbeTargetInfo;
  readonly #db: Parameters<typeof readLedgerRows>[0];
  readonly #active = new Map<string, ActiveFault>();
  readonly #records = new Map<string, ChaosFaultInput>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #badSince = new Map<string, number>();
  readonly #injections = new Set<Promise<void>>();
  #runner: ProbeRunner | undefined;
  #writer: LedgerWriter | undefined;
  #watchdog: FaultWatchdog | undefined;
  #origin = 0;
  #cancelled = false;
  #abortedBy: ChaosAnalysis['abortedBy'];

  private constructor(o: ChaosExperimentOptions, env: LocalFaultEnvironment, secrets: PlatformSecrets) {
    this.#o = o;
    this.#chaos = o.scenario.chaos;
    this.#env = env;
    this.#journal = new FaultJournal(faultJournalPath(o.runDir), { kind: 'local', portBase: env.portBase });
    this.#planned = planFaults(this.#chaos.method);
    this.#windowMs = parseDuration(this.#chaos.steadyState.window ?? '1s');
    this.#recoverWindows = this.#chaos.steadyState.recoverWindows ?? 5;
    const { endpoints } = o.target.local!;
    this.#db = { ...endpoints.postgres, user: 'postgres', password: secrets.postgresSuperPassword };
    this.#probeTarget = {
      baseUrl: o.target.baseUrl,
      ...(o.target.prometheus ? { prometheusUrl: o.target.prometheus } : {}),
      postgres: this.#db,
      redis: { nodes: endpoints.redis.nodes, password: secrets.redisPassword },
      browserUser: BROWSER_USER,
    };
  }

  /**
   * Checks what can only be checked against the running target (every proxy and component the
   * method names exists) before anything starts: a typo fails the run with exit 2, not halfway.
   */
  static async create(o: ChaosExperimentOptions): Promise<ChaosExperiment> {
    const state = o.target.local;
    if (!state)
      throw new CrucibleError(
        'CRUCIBLE_ERR_INVALID_OPTION',
        `chaos scenario ${o.scenario.name} needs the local target (faults act on its processes and mesh); --target ${o.target.name} cannot run it yet`,
      );
    const env = localFaultEnvironment(state);
    const secrets = JSON.parse(readFileSync(join(state.runDir, 'config', 'secrets.json'), 'utf8')) as PlatformSecrets;
    const proxies = await env.proxies();
    const components = (await env.liveState()).components.filter((c) => c.type === 'process').map((c) => c.name);
    const problems: string[] = [];
    for (const [i, step] of o.scenario.chaos.method.entries()) {
      const f = step.fault;
      if (f.type === 'toxic' || f.type === 'proxy-down') {
        for (const sel of [f.proxy].flat()) {
          const matches = sel.endsWith('*') ? proxies.filter((p) => p.startsWith(sel.slice(0, -1))) : proxies.filter((p) => p === sel);
          if (matches.length === 0) problems.push(`chaos.method[${i}].fault.proxy: no proxy matches '${sel}' (proxies: ${proxies.join(', ')})`);
        }
      } else if (f.type !== 'redis-primary-kill' && !components.includes(f.component)) {
        problems.push(`chaos.method[${i}].fault.component: no component named '${f.component}' (components: ${components.join(', ')})`);
      }
    }
    if (problems.length > 0)
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_SCENARIO', `${o.scenario.name}: the method names things the target does not have`, { details: problems });
    return new ChaosExperiment(o, env, secrets);
  }

  get journalFile(): string {
    return this.#journal.file;
  }

  /** Starts probes, the ledger and the method's timeline at the load's time zero (epoch ms). */
  start(origin: number): void {
    this.#origin = origin;
    this.#watchdog = startFaultWatchdog(this.#journal.file, this.#env.runDir);
    this.#runner = new ProbeRunner(
      this.#chaos.steadyState.probes.map((p) => createProbe(p, this.#probeTarget)),
      origin,
      (s) => this.#checkAbort(s),
    );
    this.#runner.start();
    if (this.#chaos.ledger !== false) {
      this.#writer = new LedgerWriter({
        baseUrl: this.#o.target.baseUrl,
        user: LEDGER_USER,
        ratePerSec: this.#chaos.ledger?.rate ?? 5,
        runId: this.#o.runId,
        origin,
      });
      this.#writer.start();
    }
    for (const p of this.#planned) {
      const timer = setTimeout(
        () => {
          this.#timers.delete(timer);
          const injection = this.#inject(p).finally(() => this.#injections.delete(injection));
          this.#injections.add(injection);
        },
        Math.max(0, origin + p.atMs - Date.now()),
      );
      this.#timers.add(timer);
    }
  }

  #now(): number {
    return Date.now() - this.#origin;
  }

  async #inject(p: PlannedFault): Promise<void> {
    if (this.#cancelled) return;
    const injectedMs = this.#now();
    let fault: ActiveFault;
    try {
      // Its duration is its dead-man: the fault reverts itself then; rollback() reverts it sooner when the experiment stops.
      fault = await injectFault(createFault(p.spec, this.#env), { id: p.id, name: p.name, journal: this.#journal, maxDurationMs: p.durationMs ?? 0 });
    } catch (err) {
      const reason = `fault ${p.name} could not be injected: ${(err as Error).message}`;
      this.#o.log?.(reason);
      this.#abort('(fault injection)', reason);
      return;
    }
    this.#o.log?.(`${(injectedMs / 1000).toFixed(1)} s  injected ${p.name} (${fault.targets})`);
    this.#records.set(p.id, {
      id: p.id,
      name: p.name,
      type: p.spec.type,
      targets: fault.targets,
      selfHealing: fault.selfHealing,
      injectedMs,
      revertedMs: null,
      weight: p.weight,
    });
    if (fault.selfHealing) return;
    this.#active.set(p.id, fault);
    void fault.reverted.then((o) => this.#reverted(p, o));
    if (this.#cancelled) await fault.revert();
  }

  #reverted(p: PlannedFault, o: RevertOutcome): void {
    const rec = this.#records.get(p.id)!;
    if (o.status === 'failed') {
      this.#records.set(p.id, { ...rec, revertError: o.error.message });
      this.#o.log?.(`could not revert ${p.name}: ${o.error.message}`);
    } else {
      const revertedMs = o.at - this.#origin;
      this.#records.set(p.id, { ...rec, revertedMs });
      this.#o.log?.(`${(revertedMs / 1000).toFixed(1)} s  reverted ${p.name}`);
    }
    this.#active.delete(p.id);
  }

  /** An abort condition: a named probe bad for at least its `after`, continuously. */
  #checkAbort(s: ProbeSample): void {
    if (s.ok) {
      this.#badSince.delete(s.probe);
      return;
    }
    const since = this.#badSince.get(s.probe) ?? s.t;
    this.#badSince.set(s.probe, since);
    for (const a of this.#chaos.abort ?? []) {
      if (a.probe === s.probe && s.t - since >= parseDuration(a.after))
        this.#abort(a.probe, `probe ${a.probe} bad for ${((s.t - since) / 1000).toFixed(1)} s (${s.error ?? 'failed'}), abort after ${a.after}`);
    }
  }

  #abort(probe: string, reason: string): void {
    if (this.#abortedBy) return;
    this.#abortedBy = { probe, atMs: this.#now(), reason };
    this.#o.log?.(`ABORTING the experiment: ${reason}`);
    this.#o.stopLoad();
    void this.rollback();
  }

  get abortedBy(): ChaosAnalysis['abortedBy'] {
    return this.#abortedBy;
  }

  /**
   * Cancels every injection still to come and reverts every active fault now. Idempotent; safe on
   * every path (normal end, abort, Ctrl-C, an error).
   */
  async rollback(): Promise<void> {
    this.#cancelled = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.all(this.#injections);
    await Promise.all([...this.#active.values()].map((a) => a.revert()));
  }

  /**
   * After the load: roll back, wait (bounded) until the probes show `recoverWindows` good windows
   * after the last fault's end, stop probes and writer, read alerts and the ledger back, measure.
   */
  async finish(interrupted: AbortSignal): Promise<ChaosAnalysis> {
    await this.rollback();
    await this.#waitForRecovery(interrupted);
    const endMs = this.#now();
    await this.#runner?.stop();
    const records = (await this.#writer?.stop()) ?? null;
    const probes = this.#runner?.series() ?? [];
    const rollback = await this.#rollbackState();
    const alerts = this.#o.target.prometheus
      ? await firingAlerts(this.#o.target.prometheus, this.#origin, Date.now(), this.#origin).catch((err: Error) => {
          this.#o.log?.(`alerts could not be read from Prometheus: ${err.message}`);
          return [];
        })
      : [];
    const ledger = records ? await this.#ledger(records) : null;
    const expect = this.#chaos.expect ?? {};
    return analyzeChaos({
      probes,
      faults: [...this.#records.values()].sort((a, b) => a.injectedMs - b.injectedMs),
      alerts: alerts.map((a) => ({ name: a.name, spans: [{ startMs: a.startMs, endMs: a.endMs }] })),
      expectations: {
        mttrMs: expect.mttr === undefined ? ROADMAP.mttrMs : parseDuration(expect.mttr),
        detectionMs: expect.detection === undefined ? ROADMAP.detectionMs : parseDuration(expect.detection),
        availability: expect.availability ?? ROADMAP.availability,
        maxLostWrites: expect.lostWrites ?? ROADMAP.lostWrites,
        alert: expect.alert ?? false,
      },
      windowMs: this.#windowMs,
      recoverWindows: this.#recoverWindows,
      endMs,
      ledger: ledger && 'writes' in ledger ? ledger : null,
      rollback,
      ...(this.#abortedBy ? { abortedBy: this.#abortedBy } : {}),
    });
  }

  /** Rolls back and stops probes, writer and watchdog; on every path, after finish() or instead of it. */
  async dispose(): Promise<void> {
    await this.rollback();
    await this.#runner?.stop();
    await this.#writer?.stop();
    // Only once every fault is reverted: until then the watchdog is the safety net.
    this.#watchdog?.stop();
  }

  /** Until `recoverWindows` good windows follow the last fault's recovery reference, or the timeout. */
  async #waitForRecovery(interrupted: AbortSignal): Promise<void> {
    const timeoutMs = parseDuration(this.#chaos.steadyState.recoveryTimeout ?? '60s');
    const refs = [...this.#records.values()].map((r) => (r.selfHealing ? r.injectedMs : (r.revertedMs ?? this.#now())));
    const reference = Math.max(0, ...refs);
    const deadline = Date.now() + timeoutMs;
    while (!interrupted.aborted && Date.now() < deadline) {
      const windows = probeWindows(this.#runner?.series() ?? [], this.#windowMs, this.#now());
      const after = windows.filter((w) => w.startMs >= reference);
      const tail = after.slice(-this.#recoverWindows);
      if (tail.length === this.#recoverWindows && tail.every((w) => w.state === 'good')) return;
      await new Promise((r) => setTimeout(r, this.#windowMs / 2));
    }
    if (!interrupted.aborted) this.#o.log?.(`the platform did not show ${this.#recoverWindows} good windows within ${timeoutMs / 1000} s of the last fault`);
  }

  async #rollbackState(): Promise<ChaosAnalysis['rollback']> {
    const problems = [...this.#records.values()].filter((r) => r.revertError).map((r) => `${r.name}: ${r.revertError}`);
    problems.push(...(await verifyClean(this.#env).catch((err: Error) => [`the platform could not be checked: ${err.message}`])));
    return { complete: problems.length === 0, problems };
  }

  async #ledger(
    writes: readonly LedgerRecord[],
  ): Promise<{ writes: readonly LedgerRecord[]; rows: Awaited<ReturnType<typeof readLedgerRows>>; source: string } | { error: string }> {
    try {
      return { writes, rows: await readLedgerRows(this.#db, this.#o.runId), source: LEDGER_SOURCE };
    } catch (err) {
      this.#o.log?.(`the ledger could not be read back: ${(err as Error).message}`);
      return { error: (err as Error).message };
    }
  }
}

/** Why a chaos run fails, in words; empty when it passed. */
export function chaosFailures(c: ChaosAnalysis): string[] {
  const out: string[] = [];
  if (c.abortedBy) out.push(`aborted: ${c.abortedBy.reason}`);
  for (const s of c.steadyState) if (!s.ok && s.phase !== 'during') out.push(`steady state ${s.phase} the faults did not hold${s.note ? `: ${s.note}` : ''}`);
  for (const f of c.faults) if (f.verdict === 'failed') out.push(`${f.name} (${f.id}): ${f.reasons.join('; ')}`);
  const a = c.availability;
  if (a.ratio !== null && a.ratio < a.objective)
    out.push(`availability ${(a.ratio * 100).toFixed(2)} % < ${(a.objective * 100).toFixed(1)} % (${a.total - a.good} bad probe samples of ${a.total})`);
  if (c.ledger && c.ledger.lostCount > c.expectations.maxLostWrites) out.push(`${c.ledger.lostCount} acknowledged write(s) lost`);
  if (c.ledger && c.ledger.duplicatedCount > 0) out.push(`${c.ledger.duplicatedCount} write(s) applied twice`);
  if (!c.rollback.complete) out.push(`ROLLBACK INCOMPLETE: ${c.rollback.problems.join('; ')}`);
  return out;
}
