// SEC-INV-01 on an API that publishes its OpenAPI document on purpose: the document is
// informational (noted in the evidence), not a finding; a leftover file on the same server still is.
// A loopback stub, no platform (well under a second).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { debugRoutesCheck } from '../../harness/security/checks/surface/debug-routes-check.ts';
import { runChecks } from '../../harness/security/run-checks.ts';
import type { SecurityCheckRecord } from '../../harness/result/summary-model.ts';
import { bareProfile } from './unreachable-profile.ts';

/** A server answering 200 on `served` (each path its own body), 404 elsewhere; the check's verdict against it. */
async function againstServer(served: readonly string[]): Promise<SecurityCheckRecord> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (served.includes(path)) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ openapi: '3.0.3', path }));
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const profile = { ...bareProfile(), baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    const [r] = await runChecks([debugRoutesCheck], { profile });
    assert.ok(r);
    return r;
  } finally {
    await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  }
}

describe('SEC-INV-01 and published API documents', () => {
  it('an OpenAPI or Swagger document served on purpose is informational: the check passes and notes it', async () => {
    const r = await againstServer(['/openapi.json', '/swagger.json', '/api-docs']);
    assert.equal(r.verdict, 'pass', r.summary);
    const noted = r.evidence.filter((e) => e.note?.includes('informational'));
    assert.deepEqual(noted.map((e) => new URL(e.url).pathname).sort(), ['/api-docs', '/openapi.json', '/swagger.json']);
  });

  it('a leftover file beside it is still a finding', async () => {
    const r = await againstServer(['/openapi.json', '/.env']);
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /GET \/\.env answered 200 without credentials/);
    assert.doesNotMatch(r.summary, /openapi/);
  });
});
