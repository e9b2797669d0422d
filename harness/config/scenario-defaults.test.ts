import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { projectRoot } from '../util/project-root.ts';
import { tryParseDuration } from './duration.ts';
import { SCENARIO_DEFAULTS as D } from './scenario-defaults.ts';

/**
 * Every `@default` tag of the option types, by the path of its field: `SloOptions.p95Ms`,
 * `ChaosOptions.steadyState.window`, `ProbeSpec[http].every` (a union member by its `type`).
 */
function documentedDefaults(file: string): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = new Map<string, string>();
  const owner = (node: ts.Node): string => {
    const parts: string[] = [];
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isPropertySignature(n)) parts.unshift(n.name.getText(source));
      else if (ts.isTypeLiteralNode(n) && ts.isUnionTypeNode(n.parent)) {
        const kind = n.members.find((m) => ts.isPropertySignature(m) && m.name.getText(source) === 'type');
        const literal = kind && ts.isPropertySignature(kind) && kind.type && ts.isLiteralTypeNode(kind.type) ? kind.type.literal.getText(source) : '?';
        parts.unshift(`[${literal.replace(/'/g, '')}]`);
      } else if (ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) {
        parts.unshift(n.name.text);
        break;
      }
    }
    return parts.join('.').replace(/\.\[/g, '[');
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertySignature(node))
      for (const tag of ts.getJSDocTags(node))
        if (tag.tagName.text === 'default') found.set(`${owner(node)}.${node.name.getText(source)}`, ts.getTextOfJSDocComment(tag.comment) ?? '');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The default the resolver applies, for each documented one. */
const APPLIED: Readonly<Record<string, unknown>> = {
  'ExecutorBase.startTime': D.executor.startTime,
  'ExecutorBase.gracefulStop': D.executor.gracefulStop,
  'ExecutorBase.warmup': D.executor.warmup,
  'RampingVusExecutor.startVUs': D.executor.startVUs,
  'ConstantArrivalRateExecutor.timeUnit': D.executor.timeUnit,
  'RampingArrivalRateExecutor.startRate': D.executor.startRate,
  'RampingArrivalRateExecutor.timeUnit': D.executor.timeUnit,
  'FlowDefinition.weight': D.flowWeight,
  'SloOptions.p95Ms': D.slos.p95Ms,
  'SloOptions.errorRate': D.slos.errorRate,
  'SloOptions.cacheHitRate': D.slos.cacheHitRate,
  'StressOptions.window': D.stress.window,
  'StressOptions.minAchievedRatio': D.stress.minAchievedRatio,
  'StressOptions.stopAfterBrokenWindows': D.stress.stopAfterBrokenWindows,
  'SoakOptions.maxRssSlopeMbPerHour': D.soak.maxRssSlopeMbPerHour,
  'SoakOptions.maxP95DriftMsPerHour': D.soak.maxP95DriftMsPerHour,
  'ChaosOptions.steadyState.window': D.steadyState.window,
  'ChaosOptions.steadyState.recoverWindows': D.steadyState.recoverWindows,
  'ChaosOptions.steadyState.recoveryTimeout': D.steadyState.recoveryTimeout,
  'ChaosOptions.ledger': D.ledger,
  'ChaosOptions.expect.mttr': D.expect.mttr,
  'ChaosOptions.expect.detection': D.expect.detection,
  'ChaosOptions.expect.availability': D.expect.availability,
  'ChaosOptions.expect.alert': D.expect.alert,
  'ChaosOptions.expect.lostWrites': D.expect.lostWrites,
  'HttpOptions.timeoutMs': D.http.timeoutMs,
  'HttpOptions.connections': D.http.connections,
  'HttpOptions.discardResponseBodies': D.http.discardResponseBodies,
  'ProbeSpec[http].availability': D.probes.http.availability,
  'ProbeSpec[http].expectStatus': D.probes.http.expectStatus,
  'ProbeSpec[http].timeout': D.probes.http.timeout,
  'ProbeSpec[http].every': D.probes.http.every,
  'ProbeSpec[promql].availability': D.probes.promql.availability,
  'ProbeSpec[promql].absentOk': D.probes.promql.absentOk,
  'ProbeSpec[promql].every': D.probes.promql.every,
  'ProbeSpec[datastore].every': D.probes.datastore.every,
  'ProbeSpec[datastore].timeout': D.probes.datastore.timeout,
  'ProbeSpec[datastore].availability': D.probes.datastore.availability,
  'ProbeSpec[browser].every': D.probes.browser.every,
  'ProbeSpec[browser].timeout': D.probes.browser.timeout,
  'ProbeSpec[browser].availability': D.probes.browser.availability,
  'FaultStep.weight': D.faultWeight,
};
/** Said in words (maxVUs = preAllocatedVUs, ...) and applied where resolve-load.ts and resolve-chaos.ts say so. */
const DESCRIBED = ['ExecutorBase.flows', 'ConstantArrivalRateExecutor.maxVUs', 'RampingArrivalRateExecutor.maxVUs', 'FaultStep.name', 'ChaosOptions.targets'];
/** Not a scenario's resolution: the faults' own (toxic, pod-kill, network-partition, istio-*), the suite runner's and the config loader's. */
const ELSEWHERE = [
  'FaultSpec[toxic].stream',
  'FaultSpec[toxic].toxicity',
  'FaultSpec[pod-kill].count',
  'FaultSpec[pod-kill].gracePeriodSeconds',
  'FaultSpec[network-partition].direction',
  'FaultSpec[istio-delay].percent',
  'FaultSpec[istio-abort].percent',
  'SuiteOptions.continueOnFailure',
  'ConfigOptions.target',
  'ConfigOptions.reportsDir',
  'ConfigOptions.portBase',
];

/** A value as data, durations in ms: '10s' and 10000 are the same default. */
const normalized = (v: unknown): unknown => (typeof v === 'string' ? (tryParseDuration(v) ?? v) : v);

/** A documented default as data: `'10s'`, `0.95`, `[200, 399]`, `{ rate: 5 }`. */
const documentedValue = (text: string): unknown => normalized(JSON.parse(text.replace(/'/g, '"').replace(/([{,]\s*)(\w+)\s*:/g, '$1"$2":')));

describe('the documented defaults', () => {
  const config = join(projectRoot(), 'harness', 'config');
  const documented = new Map(['scenario-types.ts', 'probe-spec.ts', 'fault-spec.ts'].flatMap((f) => [...documentedDefaults(join(config, f))]));

  it('are the ones the resolver applies (scenario-defaults.ts), in the units users write', () => {
    for (const [path, applied] of Object.entries(APPLIED)) {
      const text = documented.get(path);
      assert.ok(text !== undefined, `${path} has no @default tag`);
      assert.deepEqual(documentedValue(text), normalized(applied), `${path}: documented @default ${text}, applied ${JSON.stringify(applied)}`);
    }
  });

  it('every @default is either applied by the resolver or said to be applied elsewhere', () => {
    assert.deepEqual([...documented.keys()].sort(), [...Object.keys(APPLIED), ...DESCRIBED, ...ELSEWHERE].sort());
  });
});
