import { faultOn, faultTargetProblems, type FaultSpec } from '../config/fault-spec.ts';
import type { PlannedFault, ResolvedChaos, ResolvedChaosScenario } from '../config/resolved-scenario.ts';
import { CrucibleError, describeError } from '../errors/crucible-error.ts';
import { createFault, FaultJournal, faultJournalPath, injectFault, meshOf, type ActiveFault } from '../faults/index.ts';
import { LEDGER_SOURCE, readLedgerRows } from '../ledger/ledger-readback.ts';
import { LedgerWriter, type LedgerRecord } from '../ledger/ledger-writer.ts';
import { analyzeChaos, type ChaosFaultInput } from '../measure/analyze-chaos.ts';
import { probeWindows } from '../measure/probe-windows.ts';
import { firingAlerts } from '../metrics/prometheus-alerts.ts';
import { createProbe, ProbeRunner, type ProbeSample, type ProbeTargetInfo } from '../probes/index.ts';
import type { ChaosAnalysis } from '../result/summary-model.ts';
import type { RunTarget } from '../targets/run-target.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { openChaosSession, type ChaosSession } from './chaos-access.ts';
import { startFaultWatchdog } from './fault-watchdog.ts';

/** Seed users the experiment acts as (fixtures/users.json): the browser journey and the ledger's writer. */
const BROWSER_USER = { username: 'judy', password: 'judy-pass-0001' };
const LEDGER_USER = { username: 'heidi', password: 'heidi-pass-0001' };

export interface ChaosExperimentOptions {
  readonly scenario: ResolvedChaosScenario;
  readonly runId: string;
  readonly runDir: string;
  readonly target: RunTarget;
  /** Stops the load (an abort condition held, or a fault could not be injected). */
  readonly stopLoad: () => void;
  readonly log?: (line: string) => void;
  /** What the timeline, the faults' dead-man timers, probes and ledger run on. @default systemClock */
  readonly clock?: Clock;
}

/**
 * A chaos experiment beside the load: probes sampled from the load's start, the method's faults
 * injected on its timeline (each an active fault that journals itself and reverts itself at its
 * end), abort conditions, the data-loss ledger's writer; afterwards the rollback, the wait for
 * recovery, the alerts, the read-back of the ledger, and the measurements. `rollback()` is
 * idempotent and safe from any path; disposing the experiment rolls back and stops what it started.
 */
export class ChaosExperiment implements AsyncDisposable {
  readonly #o: ChaosExperimentOptions;
  readonly #chaos: ResolvedChaos;
  readonly #session: ChaosSession;
  readonly #journal: FaultJournal;
  readonly #probeTarget: ProbeTargetInfo;
  readonly #db: Parameters<typeof readLedgerRows>[0];
  readonly #clock: Clock;
  /** Every fault injected, with the step it came from; reverted ones stay (they are the timeline). */
  readonly #faults = new Map<ActiveFault, PlannedFault>();
  /** Aborted by rollback(): injections still to come do not happen. */
  readonly #schedule = new AbortController();
  /** What start() started, disposed in reverse: the faults' rollback, the writer, the probes, the watchdog last. */
  readonly #started = new AsyncDisposableStack();
  readonly #badSince = new Map<string, number>();
  #injections: Promise<void>[] = [];
  #runner: ProbeRunner | undefined;
  #writer: LedgerWriter | undefined;
  #origin = 0;
  #abortedBy: ChaosAnalysis['abortedBy'];

  private constructor(o: ChaosExperimentOptions, session: ChaosSession) {
    this.#o = o;
    this.#chaos = o.scenario.chaos;
    this.#session = session;
    // Closed last of all (after the watchdog): the datastores' connections serve until the very end.
    this.#started.use(session);
    this.#clock = o.clock ?? systemClock;
    this.#journal = new FaultJournal(faultJournalPath(o.runDir), session.env.target, this.#clock);
    this.#db = session.datastores.postgres;
    this.#probeTarget = {
      baseUrl: o.target.baseUrl,
      ...(o.target.prometheus ? { prometheusUrl: o.target.prometheus } : {}),
      postgres: this.#db,
      redis: session.datastores.redis,
      browserUser: BROWSER_USER,
    };
  }

  /**
   * Checks what can only be checked against the running target (every proxy and component the
   * method names exists) before anything starts: a typo fails the run with exit 2, not halfway.
   */
  static async create(o: ChaosExperimentOptions): Promise<ChaosExperiment> {
    const session = await openChaosSession(o.target);
    try {
      const { faults } = o.scenario.chaos;
      const problems: string[] = faultTargetProblems(o.scenario.file, o.scenario.chaos, session.faultTarget);
      if (problems.length === 0) {
        const steps = new Map<number, FaultSpec>();
        for (const f of [...faults].sort((a, b) => a.step - b.step)) steps.set(f.step, faultOn(f, session.faultTarget) ?? f.spec);
        const mesh = meshOf(session.env);
        const proxies = mesh && [...steps.values()].some((f) => f.type === 'toxic' || f.type === 'proxy-down') ? await mesh.proxies() : [];
        for (const [i, f] of steps)
          if (f.type === 'toxic' || f.type === 'proxy-down')
            for (const sel of [f.proxy].flat()) {
              const matches = sel.endsWith('*') ? proxies.filter((p) => p.startsWith(sel.slice(0, -1))) : proxies.filter((p) => p === sel);
              if (matches.length === 0) problems.push(`chaos.method[${i}].fault.proxy: no proxy matches '${sel}' (proxies: ${proxies.join(', ')})`);
            }
        problems.push(...(await session.methodProblems(steps)));
      }
      if (problems.length > 0)
        throw new CrucibleError('CRUCIBLE_ERR_INVALID_SCENARIO', `${o.scenario.name}: the method names things the target does not have`, { details: problems });
      return new ChaosExperiment(o, session);
    } catch (err) {
      await session[Symbol.asyncDispose]();
      throw err;
    }
  }

  /** Starts probes, the ledger and the method's timeline at the load's time zero (epoch ms). */
  start(origin: number): void {
    this.#origin = origin;
    const clock = this.#clock;
    // The watchdog first, so that it is disposed last: it is the safety net until every fault is reverted.
    this.#started.use(startFaultWatchdog(this.#journal.file));
    const probes = this.#chaos.steadyState.probes.map((p) => createProbe(p, this.#probeTarget));
    this.#runner = this.#started.use(new ProbeRunner(probes, { origin, onSample: (s) => this.#checkAbort(s), clock }));
    this.#runner.start();
    if (this.#chaos.ledger !== false) {
      this.#writer = this.#started.use(
        new LedgerWriter({
          baseUrl: this.#o.target.baseUrl,
          user: LEDGER_USER,
          ratePerSec: this.#chaos.ledger.ratePerSec,
          runId: this.#o.runId,
          origin,
          clock,
        }),
      );
      this.#writer.start();
    }
    this.#started.defer(() => this.rollback());
    this.#injections = this.#chaos.faults.map((p) => this.#injectAt(p));
  }

  #now(): number {
    return this.#clock.epochMs() - this.#origin;
  }

  async #injectAt(p: PlannedFault): Promise<void> {
    const { signal } = this.#schedule;
    await this.#clock.sleep(this.#origin + p.atMs - this.#clock.epochMs(), signal);
    if (signal.aborted) return;
    const target = this.#session.faultTarget;
    const spec = faultOn(p, target) ?? p.spec;
    const name = (p.on?.[target] && p.onNames?.[target]) ?? p.name;
    let fault: ActiveFault;
    try {
      // Its duration is its dead-man: the fault reverts itself then; rollback() reverts it sooner when the experiment stops.
      const maxDurationMs = p.durationMs ?? 0;
      fault = await injectFault(createFault(spec, this.#session.env), { id: p.id, name, journal: this.#journal, maxDurationMs, clock: this.#clock });
    } catch (err) {
      const reason = `fault ${name} could not be injected: ${(err as Error).message}`;
      this.#o.log?.(reason);
      this.#abort('(fault injection)', reason);
      return;
    }
    this.#faults.set(fault, p);
    this.#o.log?.(`${this.#seconds(fault.injectedAt)} s  injected ${name} (${fault.targets})`);
    if (fault.selfHealing) return;
    void fault.reverted.then((o) =>
      this.#o.log?.(o.status === 'failed' ? `could not revert ${name}: ${o.error.message}` : `${this.#seconds(o.at)} s  reverted ${name}`),
    );
  }

  #seconds(epochMs: number): string {
    return ((epochMs - this.#origin) / 1000).toFixed(1);
  }

  /** An abort condition: a named probe bad for at least its `after`, continuously. */
  #checkAbort(s: ProbeSample): void {
    if (s.ok) {
      this.#badSince.delete(s.probe);
      return;
    }
    const since = this.#badSince.get(s.probe) ?? s.t;
    this.#badSince.set(s.probe, since);
    for (const a of this.#chaos.abort) {
      if (a.probe === s.probe && s.t - since >= a.afterMs)
        this.#abort(a.probe, `probe ${a.probe} bad for ${((s.t - since) / 1000).toFixed(1)} s (${s.error ?? 'failed'}), abort after ${a.afterMs / 1000} s`);
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
   * Cancels every injection still to come and reverts every fault in place now. Idempotent; safe on
   * every path (normal end, abort, Ctrl-C, an error).
   */
  async rollback(): Promise<void> {
    this.#schedule.abort();
    // An injection under way finishes (its fault joins the set) before the faults are reverted.
    await Promise.all(this.#injections);
    await Promise.all([...this.#faults.keys()].map((f) => f.revert()));
  }

  /**
   * After the load: roll back, wait (bounded) until the probes show `recoverWindows` good windows
   * after the last fault's end, stop probes and writer, read alerts and the ledger back, measure.
   */
  async finish(interrupted: AbortSignal): Promise<ChaosAnalysis> {
    await this.rollback();
    const faults = await this.#faultRecords();
    await this.#waitForRecovery(faults, interrupted);
    const endMs = this.#now();
    await this.#runner?.stop();
    const records = (await this.#writer?.stop()) ?? null;
    const probes = this.#runner?.series() ?? [];
    const rollback = await this.#rollbackState(faults);
    const alerts = this.#o.target.prometheus
      ? await firingAlerts(this.#o.target.prometheus, this.#origin, this.#clock.epochMs(), this.#origin).catch((err: Error) => {
          this.#o.log?.(`alerts could not be read from Prometheus: ${err.message}`);
          return [];
        })
      : [];
    const ledger = records ? await this.#ledger(records) : null;
    const { steadyState } = this.#chaos;
    return analyzeChaos({
      probes,
      faults,
      alerts: alerts.map((a) => ({ name: a.name, spans: [{ startMs: a.startMs, endMs: a.endMs }] })),
      expectations: this.#chaos.expect,
      windowMs: steadyState.windowMs,
      recoverWindows: steadyState.recoverWindows,
      endMs,
      ledger: ledger && 'writes' in ledger ? ledger : null,
      rollback,
      ...(this.#abortedBy ? { abortedBy: this.#abortedBy } : {}),
    });
  }

  /** Rolls back, then stops the writer, the probes and the watchdog; on every path, after finish() or instead of it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#started.disposeAsync();
  }

  /** The faults as measured: when each was injected and reverted, ms from the origin. Call after rollback(). */
  async #faultRecords(): Promise<ChaosFaultInput[]> {
    const records = await Promise.all(
      [...this.#faults].map(async ([f, p]): Promise<ChaosFaultInput> => {
        const o = await f.revert();
        return {
          id: f.id,
          name: f.name,
          type: f.spec.type,
          targets: f.targets,
          selfHealing: f.selfHealing,
          injectedMs: f.injectedAt - this.#origin,
          revertedMs: o.status === 'reverted' ? o.at - this.#origin : null,
          ...(o.status === 'failed' ? { revertError: describeError(o.error) } : {}),
          weight: p.weight,
        };
      }),
    );
    return records.sort((a, b) => a.injectedMs - b.injectedMs);
  }

  /** Until `recoverWindows` good windows follow the last fault's recovery reference, or the timeout. */
  async #waitForRecovery(faults: readonly ChaosFaultInput[], interrupted: AbortSignal): Promise<void> {
    const { windowMs, recoverWindows, recoveryTimeoutMs: timeoutMs } = this.#chaos.steadyState;
    const refs = faults.map((r) => (r.selfHealing ? r.injectedMs : (r.revertedMs ?? this.#now())));
    const reference = Math.max(0, ...refs);
    const deadline = this.#clock.epochMs() + timeoutMs;
    while (!interrupted.aborted && this.#clock.epochMs() < deadline) {
      const windows = probeWindows(this.#runner?.series() ?? [], windowMs, this.#now());
      const after = windows.filter((w) => w.startMs >= reference);
      const tail = after.slice(-recoverWindows);
      if (tail.length === recoverWindows && tail.every((w) => w.state === 'good')) return;
      await this.#clock.sleep(windowMs / 2, interrupted);
    }
    if (!interrupted.aborted) this.#o.log?.(`the platform did not show ${recoverWindows} good windows within ${timeoutMs / 1000} s of the last fault`);
  }

  async #rollbackState(faults: readonly ChaosFaultInput[]): Promise<ChaosAnalysis['rollback']> {
    const problems = faults.filter((r) => r.revertError).map((r) => `${r.name}: ${r.revertError}`);
    problems.push(...(await this.#session.env.verifyClean().catch((err: Error) => [`the platform could not be checked: ${err.message}`])));
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
