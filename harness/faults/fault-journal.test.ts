import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AppliedFault } from './fault.ts';
import { FaultJournal, faultJournalPath, journalTarget, pendingFaults, readJournal } from './fault-journal.ts';
import { parseClusterNodes } from './redis-cluster-primary.ts';

const dir = mkdtempSync(join(tmpdir(), 'crucible-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const fault = (id: string): AppliedFault => ({
  id,
  name: `toxic ${id}`,
  spec: { type: 'toxic', proxy: 'gateway-catalog', toxic: 'latency', attributes: { latency: 100 } },
  targets: 'gateway-catalog',
  injectedAt: 1_700_000_000_000,
  undo: [{ kind: 'remove-toxic', proxy: 'gateway-catalog', toxic: `crucible-${id}-latency` }],
});

describe('fault journal', () => {
  it('writes the target once, then one JSON line per injection and revert, in a run folder it creates', async () => {
    const file = faultJournalPath(join(dir, 'run-a'));
    const j = new FaultJournal(file, { kind: 'local', portBase: 7900 });
    await j.inject(fault('0.0'));
    await j.inject(fault('0.1'));
    await j.revert('0.0', true);
    await j.revert('0.1', false, 'Toxiproxy did not answer');
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    assert.deepEqual(
      lines.map((l) => l.event),
      ['begin', 'inject', 'inject', 'revert', 'revert'],
    );
    const entries = readJournal(file);
    assert.deepEqual(journalTarget(entries), { kind: 'local', portBase: 7900 });
    assert.deepEqual(entries[4], { event: 'revert', at: entries[4]!.at, id: '0.1', ok: false, error: 'Toxiproxy did not answer' });
  });

  it('pending = injected and not successfully reverted, in injection order', async () => {
    const file = faultJournalPath(join(dir, 'run-b'));
    const j = new FaultJournal(file);
    for (const id of ['0.0', '1.0', '2.0']) await j.inject(fault(id));
    await j.revert('1.0', true);
    await j.revert('2.0', false, 'boom');
    assert.deepEqual(
      pendingFaults(readJournal(file)).map((f) => f.id),
      ['0.0', '2.0'],
    );
    assert.equal(journalTarget(readJournal(file)), undefined);
  });

  it('skips a last line cut short by a crash, and names the line of any other that does not parse', async () => {
    const file = faultJournalPath(join(dir, 'run-c'));
    await new FaultJournal(file).inject(fault('0.0'));
    appendFileSync(file, '{"event":"inject","at":17000');
    assert.deepEqual(
      pendingFaults(readJournal(file)).map((f) => f.id),
      ['0.0'],
    );
    appendFileSync(file, '\n{"event":"revert","at":1,"id":"0.0","ok":true}\n');
    assert.throws(
      () => readJournal(file),
      (err: Error & { code?: string }) => err.code === 'CRUCIBLE_ERR_RECOVER_INPUT' && /faults\.jsonl:2: not a JSON line/.test(err.message),
    );
    assert.throws(() => readJournal(join(dir, 'nowhere.jsonl')), /cannot read the fault journal/);
  });
});

describe('CLUSTER NODES parsing', () => {
  it('finds each primary with its slot ranges, skipping failing nodes and migrating slots', () => {
    const text = [
      'a1 127.0.0.1:7940@7950 myself,master - 0 0 1 connected 0-5460',
      'b2 127.0.0.1:7941@7951 master,fail - 0 0 2 connected 5461-10922',
      'c3 127.0.0.1:7942@7952 master - 0 0 3 connected 10923-16383 [42->-a1]',
      'd4 10.244.1.7:6379@16379,redis-3.redis slave b2 0 0 2 connected',
    ].join('\n');
    const nodes = parseClusterNodes(text);
    assert.deepEqual(
      nodes.map((n) => [n.ip, n.port, n.master, n.failing, n.slots]),
      [
        ['127.0.0.1', 7940, true, false, [[0, 5460]]],
        ['127.0.0.1', 7941, true, true, [[5461, 10922]]],
        ['127.0.0.1', 7942, true, false, [[10923, 16383]]],
        ['10.244.1.7', 6379, false, false, []],
      ],
    );
  });
});
