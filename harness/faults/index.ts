// What the run orchestrator (and `crucible recover`) needs from the fault layer; internals stay out.
export { ActiveFault, injectFault } from './active-fault.ts';
export { createFault, meshOf } from './create-fault.ts';
export { describeJournalTarget, FaultJournal, faultJournalPath, journalTarget, pendingFaults, readJournal } from './fault-journal.ts';
export { localFaultEnvironment } from './local-fault-environment.ts';
export { kindFaultEnvironment } from './kind-fault-environment.ts';
export { containersFaultEnvironment } from './containers-fault-environment.ts';
export { faultEnvironmentFor } from './fault-environment-for.ts';
export { recoverFaults } from './recover-faults.ts';
export { describeUndoAction } from './run-undo-action.ts';

export type { InjectOptions, RevertOutcome } from './active-fault.ts';
export type {
  AppliedFault,
  ContainersFaultEnvironment,
  Fault,
  FaultEnvironment,
  FaultPlan,
  JournalTarget,
  KindFaultEnvironment,
  LocalFaultEnvironment,
  PlatformContainer,
  UndoAction,
  WorkloadId,
} from './fault.ts';
export type { FaultSpec, FaultStep, FaultType, PodSelector, ProxySelector, ToxicType, WorkloadRef } from '../config/fault-spec.ts';
export type { JournalEntry } from './fault-journal.ts';
export type { LivePlatformFaultEnvironment } from './local-fault-environment.ts';
export type { RecoveredFault, RecoverOptions, RecoveryReport } from './recover-faults.ts';
export type { UndoOptions, UndoResult } from './run-undo-action.ts';
export type { NewToxic, ProxyInfo, ToxicInfo } from './toxiproxy-api.ts';
