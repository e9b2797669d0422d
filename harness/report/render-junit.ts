import { formatClock, formatCount, formatDuration, formatPercent, formatSloActual, formatThresholdActual } from './format-values.ts';
import { checksByOwasp, detectionWords, owaspLabel } from './security-findings.ts';
import type {
  ChaosAnalysis,
  DetectionRecord,
  FaultRecord,
  RunSummary,
  RunVerdict,
  SecurityAnalysis,
  SecurityCheckRecord,
  SloResult,
  ThresholdResult,
} from '../result/summary-model.ts';
import { availabilityMet, steadyStateFailed } from './verdict-words.ts';
import { failedOn } from '../result/verdict.ts';
import { faultSubject } from '../result/failure.ts';

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
  /** How long the testcase took; judgements of the whole run take none. */
  readonly timeMs?: number;
  /** Testcase properties (JUnit 5, pytest and GitLab read them; the Ant schema has them on suites only). */
  readonly properties?: readonly (readonly [string, string])[];
  readonly outcome:
    { readonly kind: 'pass' } | { readonly kind: 'failure' | 'skipped' | 'error'; readonly message: string; readonly type: string; readonly detail?: string };
}

function thresholdCase(s: RunSummary, cls: string, t: ThresholdResult): Case {
  const name = `${t.metric} ${t.expression}`;
  if (!failedOn(s.verdict, 'threshold', name)) return { classname: `${cls}.thresholds`, name, outcome: { kind: 'pass' } };
  const actual = formatThresholdActual(t, s.metrics);
  const message =
    t.actual === null
      ? `no samples: ${t.metric} was never recorded, so ${t.expression} could not hold`
      : `actual ${actual}, expected ${t.expression}${t.aborted ? ' (aborted the run)' : ''}`;
  return {
    classname: `${cls}.thresholds`,
    name,
    outcome: {
      kind: 'failure',
      type: 'threshold',
      message,
      detail: `metric: ${t.metric}\nexpression: ${t.expression}\nactual: ${actual}\nabortOnFail: ${t.abortOnFail}`,
    },
  };
}

function sloCase(v: RunVerdict, cls: string, o: SloResult): Case {
  const name = `${o.id}: ${o.objective}`;
  if (o.actual === null) return { classname: `${cls}.slos`, name, outcome: { kind: 'skipped', type: 'not-measured', message: o.note ?? 'not measured' } };
  if (o.ok || !failedOn(v, 'slo', o.id)) return { classname: `${cls}.slos`, name, outcome: { kind: 'pass' } };
  return {
    classname: `${cls}.slos`,
    name,
    outcome: {
      kind: 'failure',
      type: 'slo',
      message: `actual ${formatSloActual(o)}, expected ${o.objective} (source: ${o.source})`,
      detail: `${o.id}\nobjective: ${o.objective}\nactual: ${formatSloActual(o)}\nsource: ${o.source}${o.note ? `\nnote: ${o.note}` : ''}`,
    },
  };
}

const msOrDash = (ms: number | null): string => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

function faultCase(v: RunVerdict, cls: string, f: FaultRecord): Case {
  const name = faultSubject(f);
  if (!failedOn(v, 'fault', name)) return { classname: `${cls}.faults`, name, outcome: { kind: 'pass' } };
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
  return {
    classname: `${cls}.faults`,
    name,
    outcome: { kind: 'failure', type: 'fault', message: reasons.join('; ') || 'failed (no reason recorded)', detail },
  };
}

/**
 * A chaos run's judgements: each steady-state check, each fault, the experiment's availability, the
 * data-loss ledger and the rollback. Names stay the same from run to run so CI can track them.
 */
function chaosCases(v: RunVerdict, cls: string, c: ChaosAnalysis): Case[] {
  const cases: Case[] = c.steadyState.map((x) => ({
    classname: `${cls}.steady-state`,
    name: `steady state ${x.phase}`,
    outcome: x.ok
      ? { kind: 'pass' }
      : steadyStateFailed(v, x.phase)
        ? {
            kind: 'failure',
            type: 'steady-state',
            message: x.note ?? `${x.goodWindows} of ${x.windows} windows good`,
            detail: `${x.goodWindows} of ${x.windows} windows good, ${formatClock(x.startMs)}-${formatClock(x.endMs)}${x.note ? `\n${x.note}` : ''}`,
          }
        : // Disturbed while the faults were in, as expected: reported, not judged.
          {
            kind: 'skipped',
            type: 'not-judged',
            message: `not judged (the hypothesis is judged before and after the faults): ${x.note ?? `${x.goodWindows} of ${x.windows} windows good`}`,
          },
  }));
  cases.push(...c.faults.map((f) => faultCase(v, cls, f)));
  const av = c.availability;
  const met = availabilityMet(c, v);
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
    // A loss within what the experiment allows does not fail the run, but its testcase fails: a lost write is never quiet.
    const bad = failedOn(v, 'data-loss', 'lost', { warnings: true }) || failedOn(v, 'data-loss', 'duplicated');
    const keys = (label: string, list: readonly string[], count: number): string =>
      count ? `\n${label} (${count}): ${list.join(', ')}${count > list.length ? ` and ${count - list.length} more` : ''}` : '';
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
    outcome: !failedOn(v, 'rollback', 'rollback')
      ? { kind: 'pass' }
      : {
          kind: 'error',
          type: 'rollback',
          message: `rollback incomplete: ${c.rollback.problems.join('; ') || 'no problem recorded'}`,
          detail: c.rollback.problems.join('\n'),
        },
  });
  return cases;
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${seconds(c.timeMs ?? 0)}"`;
  const o = c.outcome;
  const props = c.properties?.length
    ? `      <properties>\n${c.properties.map(([k, v]) => `        <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`).join('\n')}\n      </properties>\n`
    : '';
  if (o.kind === 'pass') return props ? `${open}>\n${props}    </testcase>` : `${open}/>`;
  const body =
    o.kind === 'skipped'
      ? `<skipped message="${escapeXml(o.message)}"/>`
      : `<${o.kind} message="${escapeXml(o.message)}" type="${escapeXml(o.type)}">${o.detail ? text(o.detail) : ''}</${o.kind}>`;
  return `${open}>\n${props}      ${body}\n    </testcase>`;
}

// ---------------------------------------------------------------------------------------------
// Penetration runs: a testsuite per OWASP category, a testcase per check; detection per attack class.

function evidenceText(c: SecurityCheckRecord): string {
  return c.evidence
    .map((e) => {
      const headers = Object.entries(e.requestHeaders ?? {}).map(([k, v]) => `  ${k}: ${v}`);
      return [
        `> ${e.method} ${e.url}`,
        ...headers,
        ...(e.requestBody !== undefined ? [`  ${e.requestBody}`] : []),
        `< ${e.status === 0 ? 'no HTTP answer' : e.status}`,
        ...(e.responseExcerpt !== undefined ? [`  ${e.responseExcerpt}`] : []),
        ...(e.note ? [`  note: ${e.note}`] : []),
      ].join('\n');
    })
    .join('\n\n');
}

function checkCase(c: SecurityCheckRecord): Case {
  const cwes = c.cwe.map((n) => `CWE-${n}`);
  const properties: [string, string][] = [
    ['ruleId', c.id],
    ['owasp', owaspLabel(c.owasp)],
    ['cwe', cwes.join(', ')],
    ['cvss', `${c.cvss.score.toFixed(1)} ${c.cvss.vector}`],
    ['severity', c.severity],
    ['attackClass', c.attackClass],
  ];
  const base = { classname: c.id, name: c.title, timeMs: Math.max(0, c.endedMs - c.startedMs), properties };
  const facts = `${c.id} ${c.title}\nOWASP ${owaspLabel(c.owasp)} · ${cwes.join(', ') || 'no CWE'} · CVSS ${c.cvss.score.toFixed(1)} ${c.cvss.vector}\n${c.description}`;
  switch (c.verdict) {
    case 'pass':
      return { ...base, outcome: { kind: 'pass' } };
    case 'fail':
      return {
        ...base,
        outcome: {
          kind: 'failure',
          type: cwes[0] ?? 'vulnerability',
          message: `${c.severity}, CVSS ${c.cvss.score.toFixed(1)}: ${c.summary}`,
          detail: `${facts}${c.evidence.length ? `\n\nevidence:\n${evidenceText(c)}` : ''}`,
        },
      };
    case 'error':
      // Never a pass: a check that could not reach a verdict counts against compliance.
      return { ...base, outcome: { kind: 'error', type: 'check-error', message: c.summary || 'the check could not run', detail: facts } };
    case 'not-applicable':
      return { ...base, outcome: { kind: 'skipped', type: 'not-applicable', message: `not applicable: ${c.summary}` } };
  }
}

function detectionCase(v: RunVerdict, cls: string, d: DetectionRecord): Case {
  const name = `${d.attackClass} attacks detected`;
  const at = (ms: number | null): string => (ms === null ? 'none' : `+${formatDuration(Math.max(0, ms - d.firstAttackMs))}`);
  const detail = [
    `first attack: ${formatClock(d.firstAttackMs)}`,
    `audit line: ${at(d.auditMs)}${d.auditEvents.length ? ` (${d.auditEvents.join(', ')})` : ''}`,
    `metric: ${at(d.metricMs)}`,
    `alert: ${d.alertName ?? 'none'} ${at(d.alertMs)}`,
    `time to detect: ${d.timeToDetectMs === null ? 'not detected' : formatDuration(d.timeToDetectMs)} (budget ${formatDuration(d.budgetMs)})`,
  ].join('\n');
  const properties: [string, string][] = [
    ['attackClass', d.attackClass],
    ['budgetMs', String(d.budgetMs)],
    ['timeToDetectMs', d.notMeasured !== undefined ? 'not measured' : d.timeToDetectMs === null ? 'not detected' : String(d.timeToDetectMs)],
  ];
  if (d.notMeasured !== undefined)
    return { classname: `${cls}.detection`, name, properties, outcome: { kind: 'skipped', type: 'not-measured', message: `not measured: ${d.notMeasured}` } };
  return {
    classname: `${cls}.detection`,
    name,
    properties,
    outcome: !failedOn(v, 'detection', d.attackClass, { warnings: true })
      ? { kind: 'pass' }
      : {
          kind: 'failure',
          type: 'detection',
          message: `${d.attackClass}: ${detectionWords(d)}${d.timeToDetectMs === null ? ` within the ${formatDuration(d.budgetMs)} budget` : ''}`,
          detail,
        },
  };
}

interface Suite {
  readonly name: string;
  readonly cases: readonly Case[];
  readonly properties: readonly (readonly [string, string | number])[];
  /** Seconds; @default the sum of the cases' times */
  readonly timeMs?: number;
}

function owaspSuites(sec: SecurityAnalysis): Suite[] {
  return checksByOwasp(sec.checks).map(([category, checks]) => ({
    name: `owasp-api-2023.${category}`,
    cases: checks.map(checkCase),
    properties: [['owasp', owaspLabel(category)]],
  }));
}

const countOf = (cases: readonly Case[], k: string): number => cases.filter((c) => c.outcome.kind === k).length;
const countsAttr = (cases: readonly Case[], timeMs: number): string =>
  `tests="${cases.length}" failures="${countOf(cases, 'failure')}" errors="${countOf(cases, 'error')}" skipped="${countOf(cases, 'skipped')}" time="${seconds(timeMs)}"`;

function suiteXml(s: Suite, timestamp: string, hostname: string, notes: readonly string[]): string {
  const time = s.timeMs ?? s.cases.reduce((a, c) => a + (c.timeMs ?? 0), 0);
  const properties = s.properties.map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`).join('\n');
  return `  <testsuite name="${escapeXml(s.name)}" ${countsAttr(s.cases, time)} timestamp="${escapeXml(timestamp)}" hostname="${escapeXml(hostname)}">
    <properties>
${properties}
    </properties>
${s.cases.map(caseXml).join('\n')}
${notes.length ? `    <system-out>${text(notes.join('\n'))}</system-out>\n` : ''}  </testsuite>`;
}

/** A run's testsuites as XML (the run's own, then a penetration run's per OWASP category), with their cases for the totals. */
function runSuites(s: RunSummary): { readonly xml: string; readonly cases: readonly Case[] } {
  const scenario = s.run.scenario.name;
  const cls = `crucible.${scenario}`;
  const sec = s.security;
  const cases: Case[] = [
    ...s.thresholds.map((t) => thresholdCase(s, cls, t)),
    ...s.slos.map((o) => sloCase(s.verdict, cls, o)),
    ...(s.chaos ? chaosCases(s.verdict, cls, s.chaos) : []),
    ...(sec ? sec.detection.map((d) => detectionCase(s.verdict, cls, d)) : []),
  ];
  const probeAbort = s.chaos?.abortedBy;
  const probeAbortText = probeAbort ? `experiment aborted by probe ${probeAbort.probe} at ${formatClock(probeAbort.atMs)}: ${probeAbort.reason}` : '';
  const status = s.verdict.status;
  // A penetration run whose only "error" is checks without a verdict has those as errored testcases already.
  const checksErrored = status === 'error' && !s.verdict.failures.some((f) => f.kind === 'error');
  if (status === 'aborted' || (status === 'error' && !checksErrored))
    cases.unshift({
      classname: `${cls}.run`,
      name: 'run completed',
      outcome: {
        kind: 'error',
        type: status,
        message: `${status}: ${s.run.abortReason ?? 'no reason recorded'}${probeAbortText ? ` (${probeAbortText})` : ''}; results cover ${seconds(s.run.durationMs)} s`,
        detail: s.notes.join('\n'),
      },
    });
  // An abort condition can end the experiment inside a run that still counts as failed rather than aborted.
  else if (probeAbort)
    cases.unshift({
      classname: `${cls}.run`,
      name: 'run completed',
      outcome: { kind: 'error', type: 'chaos-abort', message: `${probeAbortText}; results after it are missing`, detail: s.notes.join('\n') },
    });
  // A penetration run in which no check applied tested nothing: CI must not read its skipped checks as green.
  const nothingTested = s.verdict.failures.find((f) => f.kind === 'coverage');
  if (nothingTested)
    cases.push({ classname: `${cls}.checks`, name: 'checks applied', outcome: { kind: 'error', type: 'coverage', message: nothingTested.words } });
  const timestamp = s.run.startedAt.replace(/\.\d+Z$|Z$/, '');
  const props: [string, string | number | undefined][] = [
    ['crucible.run.id', s.run.id],
    ['crucible.run.status', status],
    ['crucible.run.exitCode', s.verdict.exitCode],
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
    ['crucible.security.profile', sec?.profile],
    ['crucible.security.critical', sec?.counts.critical],
    ['crucible.security.high', sec?.counts.high],
    ['crucible.security.failed', sec?.counts.fail],
    ['crucible.security.errors', sec?.counts.error],
    ['crucible.security.notApplicable', sec?.counts.notApplicable],
    ['crucible.security.verdictCoverage', sec?.verdictCoverage],
    ['crucible.security.vulnerableSwitches', sec ? sec.vulnerableSwitches.join(', ') || 'none' : undefined],
  ];
  const suites: Suite[] = [
    { name: scenario, cases, properties: props.filter((p): p is [string, string | number] => p[1] !== undefined), timeMs: s.run.durationMs },
    ...(sec ? owaspSuites(sec) : []),
  ];
  const hostname = s.run.target.kind;
  return {
    xml: suites.map((x, i) => suiteXml(x, timestamp, hostname, i === 0 ? s.notes : [])).join('\n'),
    cases: suites.flatMap((x) => x.cases),
  };
}

/** A scenario of a suite that was not run on the suite's target (its chaos experiment is not for that target). */
export interface SkippedScenario {
  readonly scenario: string;
  readonly file: string;
  readonly reason: string;
}

/** A skipped scenario as a testsuite of one skipped testcase, so CI shows it was not run, and why. */
function skippedSuite(k: SkippedScenario, timestamp: string): { readonly xml: string; readonly cases: readonly Case[] } {
  const c: Case = {
    classname: `crucible.${k.scenario}.run`,
    name: 'run on this target',
    outcome: { kind: 'skipped', type: 'not-for-target', message: k.reason },
  };
  return { xml: suiteXml({ name: k.scenario, cases: [c], properties: [['crucible.scenario.file', k.file]], timeMs: 0 }, timestamp, '', []), cases: [c] };
}

function junitDocument(name: string, runs: readonly RunSummary[], skipped: readonly SkippedScenario[] = []): string {
  const timestamp = (runs[0]?.run.startedAt ?? new Date().toISOString()).replace(/\.\d+Z$|Z$/, '');
  const parts = [...runs.map(runSuites), ...skipped.map((k) => skippedSuite(k, timestamp))];
  const counts = countsAttr(
    parts.flatMap((p) => p.cases),
    runs.reduce((t, s) => t + s.run.durationMs, 0),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${escapeXml(name)}" ${counts}>
${parts.map((p) => p.xml).join('\n')}
</testsuites>
`;
}

/**
 * junit.xml: one <testsuite> per scenario run, a <testcase> per threshold and per SLO. Failed ones
 * carry <failure message="actual ..., expected ...">, SLOs that could not be measured <skipped/>,
 * and a run that did not complete (aborted, error) gets an extra errored testcase so CI cannot
 * mistake partial figures for a pass. Testcases take no time of their own: each is a judgement of
 * the whole run, whose length is the suite's `time`. A penetration run adds a testcase per attack
 * class (detected within the budget) to that suite, and a testsuite per OWASP category with a
 * testcase per check (failure = vulnerability, error = no verdict, skipped = not applicable).
 */
export function renderJunit(s: RunSummary): string {
  return junitDocument('crucible', [s]);
}

/** A suite's junit.xml: every run's testsuites in one <testsuites> named after the suite, with their totals; scenarios not run on its target as skipped. */
export function renderSuiteJunit(name: string, runs: readonly RunSummary[], skipped: readonly SkippedScenario[] = []): string {
  return junitDocument(name, runs, skipped);
}
