// What the run orchestrator uses from probes.
export { createProbe } from './create-probe.ts';
export { ProbeRunner, type ProbeRunnerOptions, type ProbeSample } from './probe-runner.ts';
export type { ProbeCheck, ProbeOutcome, ProbeTargetInfo } from './probe-check.ts';
export type { ProbeSpec, ProbeType } from '../config/probe-spec.ts';
