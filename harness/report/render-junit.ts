import { formatSloActual, formatThresholdActual } from './format-values.ts';
import type { RunSummary, SloResult, ThresholdResult } from './summary-model.ts';

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
  const cases: Case[] = [...s.thresholds.map((t) => thresholdCase(s, cls, t)), ...s.slos.map((o) => sloCase(cls, o))];
  if (s.run.status === 'aborted' || s.run.status === 'error')
    cases.unshift({ classname: `${cls}.run`, name: 'run completed', outcome: { kind: 'error', type: s.run.status, message: `${s.run.status}: ${s.run.abortReason ?? 'no reason recorded'}; results cover ${seconds(s.run.durationMs)} s`, detail: s.notes.join('\n') } });
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
