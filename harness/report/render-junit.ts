import { formatClock, formatCount, formatPercent, formatSloActual, formatThresholdActual } from './format-values.ts';
import type { ChaosAnalysis, FaultRecord, RunSummary, SloResult, ThresholdResult } from './summary-model.ts';
import { availabilityMet } from './verdict.ts';

/**
 * XML-escaped text. Characters XML 1.0 forbids even escaped (most control characters, lone
 * surrogates) become U+FFFD: a hostile request name must not make the whole file unparseable,
 * and a CI system that rejects junit.xml shows no result at all.
 */
export function escapeXml(value: string | number): string {
  return String(value)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/[&<>"'\n\r\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text content keeps its line breaks (only attributes need them as references). */
const text = (value: string): string => escapeXml(value).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly outcome: { readonly kind: 'pass' } | { readonly kind: 'failure' | 'skipped' | 'error'; readonly message: string; readonly type: string; readonly detail?: string };
}

function thresholdCase(s: RunSummary, cls: string, t: ThresholdResult): Case {
  const name = `${t.metric} ${t.expression}`;
  if (t.ok) return { classname: `${cls}.thresholds`, name, outcome: { kind: 'pass' } };
  const actual = formatThresholdActual(t, s.metrics);
  const message = t.actual === null ? `no samples: ${t.metric} was never recorded, so ${t.expression} could not hold` : `actual ${actual}, expected ${t.expression}${t.aborted ? ' (aborted the run)' : ''}`;
  return {
    classname: `${cls}.thresholds`,
    name,
    outcome: { kind: 'failure', type: 'threshold', message, detail: `metric: ${t.metric}\nexpression: ${t.expression}\nactual: ${actual}\nabortOnFail: ${t.abortOnFail}` },
  };
}

function sloCase(cls: string, o: SloResult): Case {
  const name = `${o.id}: ${o.objective}`;
  if (o.actual === null) return { classname: `${cls}.slos`, name, outcome: { kind: 'skipped', type: 'not-measured', message: o.note ?? 'not measured' } };
  if (o.ok) return { classname: `${cls}.slos`, name, outcome: { kind: 'pass' } };
  return {
    classname: `${cls}.slos`,
    name,
    outcome: { kind: 'failure', type: 'slo', message: `actual ${formatSloActual(o)}, expected ${o.objective} (source: ${o.source})`, detail: `${o.id}\nobjective: ${o.objective}\nactual: ${formatSloActual(o)}\nsource: ${o.source}${o.note ? `\nnote: ${o.note}` : ''}` },
  };
}

const msOrDash = (ms: number | null): string => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

function faultCase(cls: string, f: FaultRecord): Case {
  const name = `${f.name} (${f.id})`;
  if (f.verdict === 'passed') return { classname: `${cls}.faults`, name, outcome: { kind: 'pass' } };
  const reasons = [...f.reasons, ...(f.revertError ? [`revert failed: ${f.revertError}`] : [])];
  const detail = [
    `type: ${f.type}`,
    `targets: ${f.targets}`,
    `injected: ${msOrDash(f.injectedMs)}`,
    `reverted: ${f.selfHealing ? 'self-healing' : msOrDash(f.revertedMs)}`,
    `detected: ${msOrDash(f.detectedMs)} (time to detect ${msOrDash(f.timeToDetectMs)})`,
    `alert: ${f.alertName ?? 'none'} at ${msOrDash(f.alertMs)} (time to alert ${msOrDash(f.timeToAlertMs)})`,
    `recovered: ${msOrDash(f.recoveredMs)}`,
    `MTTR: ${msOrDash(f.mttrMs)}`,
    `availability: ${formatPercent(f.availability)}`,
  ].join('\n');
  return { classname: `${cls}.faults`, name, outcome: { kind: 'failure', type: 'fault', message: reasons.join('; ') || 'failed (no reason recorded)', detail } };
}

/**
 * A chaos run's judgements: each steady-state check, each fault, the experiment's availability, the
 * data-loss ledger and the rollback. Names stay the same from run to run so CI can track them.
 */
function chaosCases(cls: string, c: ChaosAnalysis): Case[] {
  const cases: Case[] = c.steadyState.map((x) => ({
    classname: `${cls}.steady-state`,
    name: `steady state ${x.phase}`,
    outcome: x.ok
      ? { kind: 'pass' }
      : { kind: 'failure', type: 'steady-state', message: x.note ?? `${x.goodWindows} of ${x.windows} windows good`, detail: `${x.goodWindows} of ${x.windows} windows good, ${formatClock(x.startMs)}-${formatClock(x.endMs)}${x.note ? `\n${x.note}` : ''}` },
  }));
  cases.push(...c.faults.map((f) => faultCase(cls, f)));
  const av = c.availability;
  const met = availabilityMet(c);
  const avName = `availability >= ${formatPercent(av.objective)}`;
  cases.push({
    classname: `${cls}.availability`,
    name: avName,
    outcome:
      met === null
        ? { kind: 'skipped', type: 'not-measured', message: 'no probe samples during the experiment' }
        : met
          ? { kind: 'pass' }
          : {
              kind: 'failure',
              type: 'availability',
              message: `availability ${formatPercent(av.ratio)} (${formatCount(av.good)} of ${formatCount(av.total)} probe samples good), expected >= ${formatPercent(av.objective)}; ${formatPercent(av.errorBudgetConsumed)} of the error budget consumed`,
            },
  });
  const l = c.ledger;
  if (l) {
    const bad = l.lostCount > 0 || l.duplicatedCount > 0;
    const keys = (label: string, list: readonly string[], count: number): string => (count ? `\n${label} (${count}): ${list.join(', ')}${count > list.length ? ` and ${count - list.length} more` : ''}` : '');
    cases.push({
      classname: `${cls}.data-loss`,
      name: 'acknowledged writes read back',
      outcome: bad
        ? {
            kind: 'failure',
            type: 'data-loss',
            message: `${formatCount(l.lostCount)} acknowledged write${l.lostCount === 1 ? '' : 's'} LOST, ${formatCount(l.duplicatedCount)} DUPLICATED, of ${formatCount(l.acknowledged)} acknowledged (allowed lost: ${c.expectations.maxLostWrites})`,
            detail: `attempted: ${l.attempted}\nacknowledged: ${l.acknowledged}\nunacknowledged: ${l.unacknowledged}\napplied unacknowledged: ${l.appliedUnacknowledged}\nsource: ${l.source}${keys('lost', l.lost, l.lostCount)}${keys('duplicated', l.duplicated, l.duplicatedCount)}`,
          }
        : { kind: 'pass' },
    });
  }
  cases.push({
    classname: `${cls}.rollback`,
    name: 'every fault rolled back',
    outcome: c.rollback.complete ? { kind: 'pass' } : { kind: 'error', type: 'rollback', message: `rollback incomplete: ${c.rollback.problems.join('; ') || 'no problem recorded'}`, detail: c.rollback.problems.join('\n') },
  });
  return cases;
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="0.000"`;
  const o = c.outcome;
  if (o.kind === 'pass') return `${open}/>`;
  const body = o.kind === 'skipped' ? `<skipped message="${escapeXml(o.message)}"/>` : `<${o.kind} message="${escapeXml(o.message)}" type="${escapeXml(o.type)}">${o.detail ? text(o.detail) : ''}</${o.kind}>`;
  return `${open}>\n      ${body}\n    </testcase>`;
}

/**
 * junit.xml: one <testsuite> per scenario run, a <testcase> per threshold and per SLO. Failed ones
 * carry <failure message="actual ..., expected ...">, SLOs that could not be measured <skipped/>,
 * and a run that did not complete (aborted, error) gets an extra errored testcase so CI cannot
 * mistake partial figures for a pass. Testcases take no time of their own: each is a judgement of
 * the whole run, whose length is the suite's `time`.
 */
export function renderJunit(s: RunSummary): string {
  const scenario = s.run.scenario.name;
  const cls = `crucible.${scenario}`;
  const cases: Case[] = [...s.thresholds.map((t) => thresholdCase(s, cls, t)), ...s.slos.map((o) => sloCase(cls, o)), ...(s.chaos ? chaosCases(cls, s.chaos) : [])];
  const probeAbort = s.chaos?.abortedBy;
  const probeAbortText = probeAbort ? `experiment aborted by probe ${probeAbort.probe} at ${formatClock(probeAbort.atMs)}: ${probeAbort.reason}` : '';
  if (s.run.status === 'aborted' || s.run.status === 'error')
    cases.unshift({ classname: `${cls}.run`, name: 'run completed', outcome: { kind: 'error', type: s.run.status, message: `${s.run.status}: ${s.run.abortReason ?? 'no reason recorded'}${probeAbortText ? ` (${probeAbortText})` : ''}; results cover ${seconds(s.run.durationMs)} s`, detail: s.notes.join('\n') } });
  // An abort condition can end the experiment inside a run that still counts as failed rather than aborted.
  else if (probeAbort) cases.unshift({ classname: `${cls}.run`, name: 'run completed', outcome: { kind: 'error', type: 'chaos-abort', message: `${probeAbortText}; results after it are missing`, detail: s.notes.join('\n') } });
  const count = (k: string): number => cases.filter((c) => c.outcome.kind === k).length;
  const tests = cases.length;
  const [failures, errors, skipped] = [count('failure'), count('error'), count('skipped')];
  const timestamp = s.run.startedAt.replace(/\.\d+Z$|Z$/, '');
  const props: [string, string | number | undefined][] = [
    ['crucible.run.id', s.run.id],
    ['crucible.run.status', s.run.status],
    ['crucible.run.exitCode', s.run.exitCode],
    ['crucible.run.abortReason', s.run.abortReason],
    ['crucible.scenario.kind', s.run.scenario.kind],
    ['crucible.scenario.file', s.run.scenario.file],
    ['crucible.suite', s.run.suite],
    ['crucible.target', `${s.run.target.kind} ${s.run.target.baseUrl}`],
    ['crucible.engine', `${s.engine.name} ${s.engine.version}`],
    ['crucible.version', s.run.crucible],
    ['crucible.gitSha', s.run.gitSha],
    ['crucible.schema', s.schema],
    ['crucible.droppedIterations', s.droppedIterations],
    ['crucible.stress.breakingPointRps', s.stress ? (s.stress.breakingPointRps ?? 'none') : undefined],
    ['crucible.chaos.availability', s.chaos ? (s.chaos.availability.ratio ?? 'not measured') : undefined],
    ['crucible.chaos.errorBudgetConsumed', s.chaos ? (s.chaos.availability.errorBudgetConsumed ?? 'not measured') : undefined],
    ['crucible.chaos.resilienceScore', s.chaos ? (s.chaos.resilienceScore ?? 'not measured') : undefined],
    ['crucible.chaos.lostWrites', s.chaos?.ledger ? s.chaos.ledger.lostCount : undefined],
  ];
  const properties = props
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`)
    .join('\n');
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(s.run.durationMs)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="crucible" ${counts}>
  <testsuite name="${escapeXml(scenario)}" ${counts} timestamp="${escapeXml(timestamp)}" hostname="${escapeXml(s.run.target.kind)}">
    <properties>
${properties}
    </properties>
${cases.map(caseXml).join('\n')}
${s.notes.length ? `    <system-out>${text(s.notes.join('\n'))}</system-out>\n` : ''}  </testsuite>
</testsuites>
`;
}
