import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolveFlows } from '../../config/resolve-load.ts';
import type { ScenarioExport } from '../../config/scenario-types.ts';
import { systemClock } from '../../util/clock.ts';
import { resolveCrucibleToThisHarness } from '../../util/crucible-specifier-hook.ts';
import type { MainMessage, WorkerInit, WorkerMessage } from './worker-protocol.ts';
import { WorkerRun } from './worker-run.ts';

// Entry of a load worker thread: load the scenario once, run this worker's share, report, exit.
const port = parentPort!;
const { plan, workerIndex, workers } = workerData as WorkerInit;
const post = (m: WorkerMessage): void => port.postMessage(m);
let run: WorkerRun | undefined;

/** This worker's share from time zero `t0`; then its connections close, and the port, so the thread exits. */
async function runShare(worker: WorkerRun, t0: number): Promise<void> {
  try {
    await using share = worker;
    await share.run(t0);
  } finally {
    port.close();
  }
}

// A flow that starts a promise without awaiting it must not take the worker down with it.
process.on('unhandledRejection', (err) => {
  if (run) run.flowErrors.addError(err);
  else post({ type: 'failed', message: `unhandled rejection while loading: ${String(err)}` });
});

try {
  resolveCrucibleToThisHarness();
  const mod = (await import(pathToFileURL(plan.scenarioFile).href)) as { default?: ScenarioExport };
  const scenario = mod.default;
  if (!scenario || typeof scenario !== 'object' || !scenario.flows) {
    throw new Error(`${plan.scenarioFile} has no default export from defineScenario({...})`);
  }
  const data = scenario.data ? await scenario.data() : undefined;
  // The main thread validated and resolved the file; a worker needs its functions, which cannot be sent to it.
  const worker = new WorkerRun(plan, resolveFlows(scenario.flows), data, workerIndex, workers, systemClock, (r, final) =>
    post(final ? { type: 'done', ...r } : { type: 'interval', ...r }),
  );
  run = worker;
  port.on('message', (m: MainMessage) => {
    if (m.type === 'stop') worker.stop();
    else if (m.type === 'start') void runShare(worker, m.t0);
  });
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  port.close();
}
