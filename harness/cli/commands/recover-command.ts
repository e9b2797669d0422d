import { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { CrucibleError } from '../../errors/crucible-error.ts';
import {
  describeJournalTarget,
  describeUndoAction,
  faultEnvironmentFor,
  faultJournalPath,
  journalTarget,
  pendingFaults,
  readJournal,
  recoverFaults,
  type JournalTarget,
  type RecoveredFault,
} from '../../faults/index.ts';
import { LocalTarget } from '../../targets/local/local-target.ts';
import type { RecoveredCluster } from '../../targets/kind/recover-kind-clusters.ts';
import { color } from '../output.ts';
import { addTargetFlags, localOptionsFrom, type TargetFlags } from '../target-options.ts';

/** A run folder or its faults.jsonl, as the path of the journal. */
function journalPathOf(ref: string): string {
  const abs = resolve(ref);
  if (!existsSync(abs)) throw new CrucibleError('CRUCIBLE_ERR_RECOVER_INPUT', `no run folder or fault journal at ${ref}`);
  if (!statSync(abs).isDirectory()) return abs;
  const file = faultJournalPath(abs);
  if (!existsSync(file)) throw new CrucibleError('CRUCIBLE_ERR_RECOVER_INPUT', `${ref} has no faults.jsonl: no fault was injected from it`);
  return file;
}

/**
 * The platform to recover: the one the journal names, unless --port-base names a local platform
 * (a journal written before journals named their target, or a platform moved since).
 */
function targetOf(named: JournalTarget | undefined, flags: TargetFlags): JournalTarget {
  const portBase = localOptionsFrom(flags).portBase;
  if (portBase === undefined && named) return named;
  if (named && portBase !== undefined && (named.kind !== 'local' || named.portBase !== portBase))
    console.log(color.yellow(`the journal names ${describeJournalTarget(named)}; using --port-base ${portBase}`));
  return { kind: 'local', portBase: portBase ?? new LocalTarget().options.portBase };
}

function printFault(f: RecoveredFault): void {
  console.log(`${f.ok ? color.green('undone') : color.red('FAILED')}  fault ${f.fault.id} ${f.fault.name} (${f.fault.targets})`);
  for (const r of f.results) console.log(`        ${r.ok ? 'ok    ' : color.red('failed')} ${describeUndoAction(r.action)}: ${r.detail}`);
}

function printCluster(c: RecoveredCluster): void {
  console.log(`${c.ok ? color.green('deleted') : color.red('FAILED')}  kind cluster ${c.cluster.name} (left by pid ${c.cluster.pid}): ${c.detail}`);
}

/** Deletes the kind clusters crashed runs left (their journal: .crucible/kind-clusters.jsonl); throws when one could not be. */
async function recoverClusters(): Promise<number> {
  // Loaded here: the Kubernetes client is large, and every other command starts without it.
  const { recoverKindClusters } = await import('../../targets/kind/recover-kind-clusters.ts');
  const clusters = await recoverKindClusters();
  for (const c of clusters) printCluster(c);
  const failed = clusters.filter((c) => !c.ok);
  if (failed.length > 0)
    throw new CrucibleError('CRUCIBLE_ERR_ROLLBACK_INCOMPLETE', `${failed.length} kind cluster(s) a crashed run left could not be deleted`, {
      details: failed.map((c) => `${c.cluster.name}: ${c.detail}`),
    });
  return clusters.length;
}

export function recoverCommand(): Command {
  const cmd = new Command('recover')
    .argument('[run-folder]', 'the folder of the run that injected the faults (holds faults.jsonl), or the journal file itself')
    .description(
      'delete the kind clusters crashed runs left; undo what faults a crashed or interrupted run left on the local platform, then check that it is clean',
    )
    .option('--wait <seconds>', 'how long to wait for a killed component to run again', '30');
  addTargetFlags(cmd, { startFlags: false });
  cmd.addHelpText(
    'after',
    `
Every fault is journaled in the run folder (faults.jsonl) before it takes effect. 'recover' runs
the undo actions of each fault injected and not reverted: remove its toxics, re-enable its
proxies, SIGCONT a paused process, release a held component, wait for a killed one to run again.
Each action is idempotent, so running it twice is harmless. Then it checks the whole platform: no
toxic left, every proxy enabled, every component ready, no process stopped by SIGSTOP.
The platform is the one the journal names (or --port-base). Exit 0 when clean, 3 otherwise.

Examples:
  $ crucible recover reports/20261125-181502-redis-failover-3f9a
  $ crucible recover reports/20261125-181502-redis-failover-3f9a/faults.jsonl --port-base 7500
`,
  );
  cmd.action(async (ref: string | undefined, flags: TargetFlags & { wait: string }) => {
    const clusters = await recoverClusters();
    if (ref === undefined) {
      if (clusters === 0) console.log(color.green('no kind cluster left by a crashed run'));
      return;
    }
    const file = journalPathOf(ref);
    const entries = readJournal(file);
    const waitS = Number(flags.wait);
    if (!Number.isFinite(waitS) || waitS <= 0)
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--wait must be a positive number of seconds (got '${flags.wait}')`);
    const target = targetOf(journalTarget(entries), flags);
    const env = await faultEnvironmentFor(target);
    const where = `${relative(process.cwd(), file) || file}`;
    const pending = pendingFaults(entries);
    console.log(
      pending.length === 0 ? `no pending fault in ${where}` : `undoing ${pending.length} pending fault(s) from ${where} on ${describeJournalTarget(target)}`,
    );
    const report = await recoverFaults(file, env, { expectRunningTimeoutMs: waitS * 1000, onFault: printFault });
    const problems = await env.verifyClean();
    const failed = report.faults.filter((f) => !f.ok);
    if (problems.length === 0 && failed.length === 0) {
      console.log(
        color.green(
          target.kind === 'local'
            ? 'the platform is clean (no toxic, every proxy enabled, every component ready, nothing paused)'
            : target.kind === 'containers'
              ? 'the platform is clean (no toxic, every proxy enabled, every container running and healthy, none paused or stopped)'
              : 'the platform is clean (no partition policy, nothing scaled, every workload Ready, no node paused)',
        ),
      );
      return;
    }
    throw new CrucibleError('CRUCIBLE_ERR_ROLLBACK_INCOMPLETE', `${describeJournalTarget(target)} is not clean after recovery`, {
      details: [...failed.map((f) => `fault ${f.fault.id} could not be undone`), ...problems],
    });
  });
  return cmd;
}
