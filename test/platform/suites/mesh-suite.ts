import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, type PlatformFixture } from '../platform-fixture.ts';

export function meshSuite(p: () => PlatformFixture): void {
  describe('mesh (mutual TLS between services)', () => {
    const endpoints = (): { name: 'auth' | 'catalog'; direct: string; viaMesh: string }[] => {
      const base = p().state.portBase;
      return [
        { name: 'auth', direct: p().state.endpoints.auth, viaMesh: `https://127.0.0.1:${base + 70}` },
        { name: 'catalog', direct: p().state.endpoints.catalog, viaMesh: `https://127.0.0.1:${base + 71}` },
      ];
    };

    it('refuses a caller without a client certificate, directly and through the mesh proxy', async () => {
      for (const e of endpoints()) {
        for (const url of [e.direct, e.viaMesh]) {
          await assert.rejects(
            call(`${url}/healthz`, 'GET', { dispatcher: p().tlsAgent(e.name, 'none') }),
            `${e.name} at ${url} must refuse a caller without a certificate`,
          );
        }
      }
    });

    it('refuses plaintext HTTP', async () => {
      for (const e of endpoints()) {
        await assert.rejects(call(`${e.direct.replace('https:', 'http:')}/healthz`), `${e.name} must not answer plaintext`);
      }
    });

    it('serves callers the policy allows and answers 403 to a verified identity it does not', async () => {
      for (const e of endpoints()) {
        const ok = await call(`${e.viaMesh}/healthz`, 'GET', { dispatcher: p().tlsAgent(e.name, 'gateway') });
        assert.equal(ok.status, 200, `${e.name} serves the gateway`);
        const other = e.name === 'auth' ? 'catalog' : 'auth';
        const denied = await call(`${e.direct}/healthz`, 'GET', { dispatcher: p().tlsAgent(e.name, other) });
        assert.equal(denied.status, 403, `${e.name} refuses the ${other} identity`);
      }
    });

    it('does not expose metrics through the edge', async () => {
      assert.equal((await call(`${p().edge}/metrics`)).status, 403);
    });
  });
}
