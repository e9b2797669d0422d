import { detectContainerEngine } from '../../containers/container-engine.ts';
import { ClusterJournal, leftClusters, processAlive, readClusterJournal, type LeftCluster } from './cluster-journal.ts';
import { deleteCluster } from './kind-cluster.ts';
import { kindRunner, writePodmanWrapper } from './kind-command.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecoveredCluster {
  readonly cluster: LeftCluster;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Deletes every kind cluster crucible created whose creating process is gone (a SIGKILLed or crashed
 * run), as the cluster journal records them, and journals each deletion. Clusters of runs still
 * going are left alone. Idempotent: a cluster already gone is only journaled as deleted.
 */
export async function recoverKindClusters(
  journal: ClusterJournal = new ClusterJournal(),
  opts: { alive?: (pid: number) => boolean; log?: (line: string) => void } = {},
): Promise<RecoveredCluster[]> {
  const left = leftClusters(readClusterJournal(journal.file), opts.alive ?? processAlive);
  if (left.length === 0) return [];
  const results: RecoveredCluster[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'crucible-kind-recover-'));
  try {
    for (const cluster of left) {
      try {
        const engine = await detectContainerEngine({ prefer: cluster.provider });
        // A half-created cluster's nodes may need the podman wrapper even to be deleted cleanly.
        const runner = kindRunner(engine, cluster.name, engine.kind === 'podman' ? writePodmanWrapper(scratch, engine.bin) : undefined);
        // A kubeconfig of its own: kind would otherwise edit the user's ~/.kube/config.
        await deleteCluster(runner, cluster.name, join(scratch, 'kubeconfig'), opts.log);
        journal.deleted(cluster.name);
        if (cluster.tempDir) rmSync(cluster.tempDir, { recursive: true, force: true });
        results.push({ cluster, ok: true, detail: `deleted (nodes, network${cluster.tempDir ? ', its temporary folder' : ''})` });
      } catch (err) {
        results.push({ cluster, ok: false, detail: (err as Error).message });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}
