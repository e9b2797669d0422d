// Entry point of the detached supervisor process that `crucible up` starts for the local target.
// Usage: node supervisor-main.ts <run-dir>/launch.json
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlServer } from './control-server.ts';
import type { ResolvedLocalOptions } from './local-options.ts';
import type { LocalTools, PlanContext } from './plan-context.ts';
import { localEndpoints } from './local-endpoints.ts';
import { HOST } from './plan-context.ts';
import { buildPlan, postgresDirFor } from './platform-plan.ts';
import { procStat } from './proc-info.ts';
import { Supervisor } from './supervisor.ts';
import { STATE_VERSION, writeState, type PlatformEndpoints, type PlatformState } from './supervisor-state.ts';

export interface LaunchSpec {
  readonly opts: ResolvedLocalOptions;
  readonly tools: LocalTools;
  readonly projectRoot: string;
}

const log = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);

function endpoints(ctx: PlanContext): PlatformEndpoints {
  const harnessTls = { caFile: ctx.ca.caFile, certFile: ctx.ca.identities.harness.certFile, keyFile: ctx.ca.identities.harness.keyFile };
  return localEndpoints(ctx.ports, { harnessTls, auditDir: ctx.auditDir, logDir: ctx.logDir }, ctx.opts.vulnerable.includes('mesh-plaintext'));
}

async function main(): Promise<void> {
  const launchFile = process.argv[2];
  if (!launchFile) throw new Error('usage: supervisor-main.ts <launch.json>');
  const launch = JSON.parse(readFileSync(launchFile, 'utf8')) as LaunchSpec;
  const { opts } = launch;
  const self = procStat(process.pid);
  const state: PlatformState = {
    version: STATE_VERSION,
    target: 'local',
    runDir: opts.runDir,
    portBase: opts.portBase,
    mode: opts.mode,
    vulnerable: [...opts.vulnerable],
    phase: 'starting',
    supervisor: {
      pid: process.pid,
      startTicks: self?.startTicks ?? 0,
      controlUrl: `http://${HOST}:${opts.portBase + 4}`,
      logFile: join(opts.runDir, 'supervisor.log'),
    },
    startedAt: new Date().toISOString(),
    extraDirs: [postgresDirFor(opts)].filter((d) => !d.startsWith(opts.runDir)),
    components: [],
    endpoints: {} as PlatformEndpoints,
  };
  writeFileSync(join(opts.runDir, 'supervisor.pid'), `${process.pid} ${process.pid} ${state.supervisor.startTicks}\n`);

  let plan;
  try {
    plan = await buildPlan(opts, launch.tools, launch.projectRoot);
  } catch (err) {
    state.phase = 'failed';
    state.error = { component: 'supervisor', message: `could not prepare the platform: ${(err as Error).message}`, logTail: [] };
    writeState(state);
    throw err;
  }
  state.endpoints = endpoints(plan.ctx);
  const supervisor = new Supervisor({ state, specs: plan.specs, logDir: plan.ctx.logDir, readyTimeoutMs: opts.readyTimeoutMs, log });

  const token = randomBytes(24).toString('base64url');
  writeFileSync(join(opts.runDir, 'control-token'), token, { mode: 0o600 });
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (reason: string, code = 0): Promise<void> =>
    (shuttingDown ??= (async () => {
      log(`shutting down (${reason})`);
      await supervisor.stopAll().catch((err: unknown) => log(`error while stopping: ${String(err)}`));
      log('stopped');
      process.exit(code);
    })());
  const control = await startControlServer(supervisor, plan.ctx.ports.supervisor, token, () => void shutdown('control API'));
  control.unref();

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => {}); // detached from any terminal; a closing one must not take the platform down
  process.on('uncaughtException', (err) => {
    log(`uncaught exception: ${err.stack ?? err.message}`);
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${String(err)}`));

  log(`starting ${plan.specs.length} components on port base ${opts.portBase}`);
  try {
    await supervisor.startAll();
    log('platform ready');
  } catch (err) {
    log(`start failed: ${(err as Error).message}`);
    // A signal during the start: let that shutdown finish stopping everything before we exit.
    if (shuttingDown) await shuttingDown;
    process.exit(1);
  }
  // Keep the event loop alive while supervising.
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  log(`fatal: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
