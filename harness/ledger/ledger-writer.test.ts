import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { LedgerWriter, type LedgerRecord } from './ledger-writer.ts';

/** The platform's two routes the writer uses: login, and orders that succeed unless their key is in `refuse`. */
const calls: string[] = [];
const refuse = new Set<string>();
const server = createServer((req: IncomingMessage, res) => {
  const key = String(req.headers['idempotency-key'] ?? '');
  calls.push(`${req.method} ${req.url}${key ? ` ${key}` : ''}`);
  req.resume();
  req.on('end', () => {
    if (req.url === '/api/auth/login') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accessToken: 't' }));
    if (refuse.has(key)) return res.writeHead(503).end('{}');
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `order-${key.split('-').at(-1)}` }));
  });
});

describe('ledger writer', () => {
  let baseUrl = '';
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('writes uniquely keyed orders on a fixed grid, logs in once, records each answer, and stops when disposed', async () => {
    const clock = new FakeClock({ epochMs: 10_000 });
    refuse.add('ledger-r1-2');
    // The writer's own array: writes still in flight when the scope ends land in it before disposal returns.
    let records: readonly LedgerRecord[];
    {
      await using writer = new LedgerWriter({ baseUrl, user: { username: 'heidi', password: 'p' }, ratePerSec: 5, runId: 'r1', origin: 9_000, clock });
      writer.start();
      await clock.advance(1_000);
      records = writer.records;
    }
    assert.equal(clock.sleepers, 0, 'disposal stopped the writer: nothing waits on the clock');
    // 5 per second from the start: at 0, 200, ..., 1000 ms, i.e. 1000..2000 ms after the origin.
    assert.deepEqual(
      records.map((r) => [r.key, r.atMs]),
      [0, 1, 2, 3, 4, 5].map((n) => [`ledger-r1-${n}`, 1_000 + n * 200]),
    );
    assert.deepEqual(records.map((r) => [r.key, r.acknowledged, r.status, r.orderId]).sort(), [
      ['ledger-r1-0', true, 201, 'order-0'],
      ['ledger-r1-1', true, 201, 'order-1'],
      ['ledger-r1-2', false, 503, undefined],
      ['ledger-r1-3', true, 201, 'order-3'],
      ['ledger-r1-4', true, 201, 'order-4'],
      ['ledger-r1-5', true, 201, 'order-5'],
    ]);
    assert.equal(calls.filter((c) => c === 'POST /api/auth/login').length, 1, calls.join(', '));
  });
});
