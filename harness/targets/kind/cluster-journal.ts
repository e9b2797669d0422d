import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendDurably } from '../../util/append-durably.ts';
import { systemClock, type Clock } from '../../util/clock.ts';
import { projectRoot } from '../../util/project-root.ts';
import type { KindProvider } from './kind-fixes.ts';

/** One line of kind-clusters.jsonl: a cluster crucible is about to create, its deletion, or its hand-over to `up`. `at` is epoch ms. */
export type ClusterJournalEntry =
  | {
      readonly event: 'create';
      readonly at: number;
      readonly name: string;
      readonly provider: KindProvider;
      readonly pid: number;
      /** The temporary folder crucible made for the cluster (rendered config, kubeconfig), removed with it. */
      readonly tempDir?: string;
    }
  | { readonly event: 'delete'; readonly at: number; readonly name: string }
  /** Handed over to `crucible up --target kind`'s state: `down` deletes it, not `recover`. */
  | { readonly event: 'keep'; readonly at: number; readonly name: string };

/** The journal of every cluster crucible created, beside the local platform's state (CRUCIBLE_STATE_DIR or .crucible/). */
export function clusterJournalPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['CRUCIBLE_STATE_DIR'] ?? join(projectRoot(), '.crucible'), 'kind-clusters.jsonl');
}

/**
 * Written before `kind create cluster` runs and after `kind delete cluster` succeeds, so a cluster a
 * SIGKILLed or crashed harness left is found by `crucible recover` and deleted (recoverKindClusters).
 */
export class ClusterJournal {
  readonly file: string;
  readonly #clock: Clock;

  constructor(file: string = clusterJournalPath(), clock: Clock = systemClock) {
    this.file = file;
    this.#clock = clock;
  }

  created(name: string, provider: KindProvider, opts: { pid?: number; tempDir?: string } = {}): void {
    this.#append({
      event: 'create',
      at: this.#clock.epochMs(),
      name,
      provider,
      pid: opts.pid ?? process.pid,
      ...(opts.tempDir !== undefined ? { tempDir: opts.tempDir } : {}),
    });
  }

  deleted(name: string): void {
    this.#append({ event: 'delete', at: this.#clock.epochMs(), name });
  }

  /** The cluster outlives its creating process on purpose (a platform `up` started). */
  kept(name: string): void {
    this.#append({ event: 'keep', at: this.#clock.epochMs(), name });
  }

  #append(entry: ClusterJournalEntry): void {
    appendDurably(this.file, `${JSON.stringify(entry)}\n`);
  }
}

function isEntry(value: unknown): value is ClusterJournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  if (typeof e['at'] !== 'number' || typeof e['name'] !== 'string') return false;
  if (e['event'] === 'delete' || e['event'] === 'keep') return true;
  return (
    e['event'] === 'create' &&
    (e['provider'] === 'docker' || e['provider'] === 'podman') &&
    typeof e['pid'] === 'number' &&
    (e['tempDir'] === undefined || typeof e['tempDir'] === 'string')
  );
}

/** Every well-formed entry, in order (a line cut short by a crash, or one that is not an entry, is skipped). */
export function readClusterJournal(file: string): ClusterJournalEntry[] {
  if (!existsSync(file)) return [];
  const entries: ClusterJournalEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isEntry(parsed)) entries.push(parsed);
    } catch {
      // a torn last line
    }
  }
  return entries;
}

export interface LeftCluster {
  readonly name: string;
  readonly provider: KindProvider;
  readonly pid: number;
  readonly tempDir?: string;
}

/** Whether a process runs (signal 0 checks without sending anything; EPERM means it runs as someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Clusters created and neither deleted nor kept whose creating process is gone: what a crashed run
 * left. A cluster whose creator still runs belongs to that run and is left alone.
 */
export function leftClusters(entries: readonly ClusterJournalEntry[], alive: (pid: number) => boolean = processAlive): LeftCluster[] {
  const open = new Map<string, LeftCluster>();
  for (const e of entries) {
    if (e.event === 'create') open.set(e.name, { name: e.name, provider: e.provider, pid: e.pid, ...(e.tempDir !== undefined ? { tempDir: e.tempDir } : {}) });
    else open.delete(e.name);
  }
  return [...open.values()].filter((c) => !alive(c.pid));
}
