// SEC-RL-03 shows the control before the verdict: against a login with no limit at all it is not
// applicable (issue 12: it reported "the limit resets with a forged client address" on an API with
// no limit); against a limit keyed on the connection it passes; keyed on X-Forwarded-For it fails.
// A loopback stub limiting logins per key (no window: the test is shorter than any), no platform.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { SecurityCheckRecord } from '../../harness/result/summary-model.ts';
import { forwardedForSpoofCheck } from '../../harness/security/checks/surface/forwarded-for-spoof-check.ts';
import { runChecks } from '../../harness/security/run-checks.ts';
import { bareProfile } from './unreachable-profile.ts';

const LIMIT = 10;

/** The check against a login route limited per `keyOf` request (none: never limited). */
async function againstLimiter(keyOf: ((socket: string, forwarded: string | undefined) => string) | undefined): Promise<SecurityCheckRecord> {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = keyOf?.(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'] as string | undefined);
      const n = key === undefined ? 0 : (seen.get(key) ?? 0) + 1;
      if (key !== undefined) seen.set(key, n);
      const status = n > LIMIT ? 429 : 401;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: status === 429 ? 'slow down' : 'wrong password' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const profile = { ...bareProfile(), baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, rateLimits: { loginPerIp: LIMIT } };
    const [r] = await runChecks([forwardedForSpoofCheck], { profile });
    assert.ok(r);
    return r;
  } finally {
    await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  }
}

describe('SEC-RL-03: controls before verdicts', () => {
  it('is not applicable when there is no login limit at all, saying so', async () => {
    const r = await againstLimiter(undefined);
    assert.equal(r.verdict, 'not-applicable', r.summary);
    assert.match(r.summary, /^not tested: the login limit does not hold even without forged client addresses/);
  });

  it('passes against a limit keyed on the connection', async () => {
    const r = await againstLimiter((socket) => socket);
    assert.equal(r.verdict, 'pass', r.summary);
  });

  it('fails against a limit keyed on X-Forwarded-For, with the control as evidence that the limit exists', async () => {
    const r = await againstLimiter((socket, forwarded) => forwarded ?? socket);
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /the login limit resets with a forged client address: .*; without them it held/);
  });
});
