// The public API of crucible for scenario authors: `import { defineScenario } from 'crucible'`.
export { defineConfig, defineScenario, defineSuite } from './config/define.ts';
export { parseDuration } from './config/duration.ts';
export { defineProfile } from './security/target-profile.ts';
export { localReferenceProfile } from './security/local-reference-profile.ts';

export type { Duration } from './config/duration.ts';
export type {
  ChaosOptions,
  ChaosScenarioOptions,
  ConfigOptions,
  ConstantArrivalRateExecutor,
  ConstantVusExecutor,
  ExecutorOptions,
  FlowDefinition,
  HttpOptions,
  LoadScenarioOptions,
  PentestScenarioOptions,
  RampingArrivalRateExecutor,
  RampingVusExecutor,
  ScenarioBaseOptions,
  ScenarioKind,
  ScenarioOptions,
  SloOptions,
  SoakOptions,
  SoakScenarioOptions,
  Stage,
  StressOptions,
  StressScenarioOptions,
  SuiteOptions,
  ThresholdInput,
} from './config/scenario-types.ts';
export type { Flow, FlowContext, FlowResponse, GraphqlOperation, HttpClient, RequestOptions, VuInfo } from './config/flow-api.ts';
export type { RunStatus, RunSummary, RunVerdict } from './result/summary-model.ts';
export type { Failure, FailureKind } from './result/failure.ts';
export type { Limit, LimitUnit, Operator } from './result/limit.ts';
export type { FaultSpec, FaultStep, ToxicType } from './config/fault-spec.ts';
export type { ProbeSpec } from './config/probe-spec.ts';
export type { CredentialPlacement, Credentials, LoginRoute, ProfileUser, RequestTemplate, StaticCredential, TargetProfile } from './security/target-profile.ts';
