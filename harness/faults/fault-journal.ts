import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendDurably } from '../util/append-durably.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import type { AppliedFault, JournalTarget } from './fault.ts';

/** The journal's name in a run folder. */
const FAULT_JOURNAL_FILE = 'faults.jsonl';

/** One line of faults.jsonl (a discriminated union on `event`); `at` is epoch ms. */
export type JournalEntry =
  | { readonly event: 'begin'; readonly at: number; readonly target: JournalTarget }
  | { readonly event: 'inject'; readonly at: number; readonly fault: AppliedFault }
  | { readonly event: 'revert'; readonly at: number; readonly id: string; readonly ok: boolean; readonly error?: string };

export const faultJournalPath = (runFolder: string): string => join(runFolder, FAULT_JOURNAL_FILE);

/**
 * The append-only record of what faults did, written before each fault takes effect. Each line is
 * fsynced before the call returns: the harness may be SIGKILLed right after an injection (or the
 * machine may lose power), and the journal is then the only record of what must be undone.
 */
export class FaultJournal {
  readonly file: string;
  private readonly target: JournalTarget | undefined;
  private readonly clock: Clock;
  private begun = false;

  constructor(file: string, target?: JournalTarget, clock: Clock = systemClock) {
    this.file = file;
    this.target = target;
    this.clock = clock;
  }

  async inject(fault: AppliedFault): Promise<void> {
    this.append({ event: 'inject', at: this.clock.epochMs(), fault });
  }

  async revert(id: string, ok: boolean, error?: string): Promise<void> {
    this.append({ event: 'revert', at: this.clock.epochMs(), id, ok, ...(error !== undefined ? { error } : {}) });
  }

  private append(entry: JournalEntry): void {
    const lines: JournalEntry[] = [];
    // The target goes first in every writer's share of the file, so a journal always says where its faults went.
    if (!this.begun && this.target) lines.push({ event: 'begin', at: entry.at, target: this.target });
    lines.push(entry);
    appendDurably(this.file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    this.begun = true;
  }
}

/**
 * Every entry of a journal, in order. A last line cut short (a crash in the middle of a write) is
 * skipped; anything else that does not parse is an error naming the line.
 */
export function readJournal(file: string): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CrucibleError('CRUCIBLE_ERR_RECOVER_INPUT', `cannot read the fault journal ${file}: ${(err as Error).message}`, { cause: err });
  }
  const lines = text.split('\n');
  const out: JournalEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const isLast = lines.slice(i + 1).every((l) => l.trim() === '');
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      if (isLast && !text.endsWith('\n')) break;
      throw new CrucibleError('CRUCIBLE_ERR_RECOVER_INPUT', `${file}:${i + 1}: not a JSON line`);
    }
    const problem = entryProblem(entry);
    if (problem) throw new CrucibleError('CRUCIBLE_ERR_RECOVER_INPUT', `${file}:${i + 1}: ${problem}`);
    out.push(entry as JournalEntry);
  }
  return out;
}

function entryProblem(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return 'not an object';
  const x = e as Record<string, unknown>;
  if (typeof x['at'] !== 'number') return "'at' must be epoch milliseconds";
  switch (x['event']) {
    case 'begin': {
      const t = x['target'] as Record<string, unknown> | undefined;
      if (t && t['kind'] === 'local' && typeof t['portBase'] === 'number') return undefined;
      if (
        t &&
        t['kind'] === 'kind' &&
        ['cluster', 'namespace', 'kubeconfig'].every((k) => typeof t[k] === 'string') &&
        (t['toxiproxyUrl'] === undefined || typeof t['toxiproxyUrl'] === 'string')
      )
        return undefined;
      if (
        t &&
        t['kind'] === 'containers' &&
        typeof t['portBase'] === 'number' &&
        (t['engine'] === 'podman' || t['engine'] === 'docker') &&
        ['name', 'toxiproxyUrl'].every((k) => typeof t[k] === 'string')
      )
        return undefined;
      return "'target' must be { kind: 'local', portBase }, { kind: 'kind', cluster, namespace, kubeconfig } or { kind: 'containers', portBase, name, engine, toxiproxyUrl }";
    }
    case 'inject': {
      const f = x['fault'] as Record<string, unknown> | undefined;
      if (!f || typeof f['id'] !== 'string' || !Array.isArray(f['undo'])) return "'fault' must be an applied fault with an id and undo actions";
      return undefined;
    }
    case 'revert':
      return typeof x['id'] === 'string' && typeof x['ok'] === 'boolean' ? undefined : "a revert needs 'id' and 'ok'";
    default:
      return `unknown event ${JSON.stringify(x['event'])}`;
  }
}

/** Faults injected and not (successfully) reverted since, in injection order. */
export function pendingFaults(entries: readonly JournalEntry[]): AppliedFault[] {
  const pending = new Map<string, AppliedFault>();
  for (const e of entries) {
    if (e.event === 'inject') pending.set(e.fault.id, e.fault);
    else if (e.event === 'revert' && e.ok) pending.delete(e.id);
  }
  return [...pending.values()];
}

/** The platform the journal's faults went into (the last one it names). */
export function journalTarget(entries: readonly JournalEntry[]): JournalTarget | undefined {
  let target: JournalTarget | undefined;
  for (const e of entries) if (e.event === 'begin') target = e.target;
  return target;
}

/** A journal target in words, for messages: 'the local platform on port base 7300'. */
export function describeJournalTarget(target: JournalTarget): string {
  switch (target.kind) {
    case 'local':
      return `the local platform on port base ${target.portBase}`;
    case 'kind':
      return `namespace ${target.namespace} of kind cluster ${target.cluster}`;
    case 'containers':
      return `the container platform ${target.name} on port base ${target.portBase}`;
    default:
      return unknownKind(target);
  }
}

function unknownKind(target: never): never {
  throw new Error(`unknown journal target kind ${JSON.stringify((target as { kind?: unknown }).kind)}`);
}
