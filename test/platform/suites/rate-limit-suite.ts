import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, type PlatformFixture } from '../platform-fixture.ts';

const PER_IDENTITY_PER_MIN = 1_200;

export function rateLimitSuite(p: () => PlatformFixture): void {
  describe('rate limiting', () => {
    it('shares the per-identity limit across gateway replicas and answers 429 with Retry-After', async () => {
      const { accessToken } = await p().login('ratelimit-1', 'ratelimit-pass-0001');
      const total = PER_IDENTITY_PER_MIN + 60;
      const statuses: { status: number; replica: number; retryAfter: string | undefined }[] = [];
      let next = 0;
      // 20 workers, requests alternating between the replicas (directly, so both are certainly used).
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < total) {
            const i = next++;
            const replica = i % p().gateways.length;
            const r = await call(`${p().gateways[replica]}/api/me`, 'GET', { token: accessToken });
            statuses.push({ status: r.status, replica, retryAfter: r.headers['retry-after'] as string | undefined });
          }
        }),
      );
      const ok = statuses.filter((s) => s.status === 200);
      const limited = statuses.filter((s) => s.status === 429);
      assert.equal(ok.length + limited.length, total, `only 200 and 429: ${[...new Set(statuses.map((s) => s.status))].join(',')}`);
      assert.equal(ok.length, PER_IDENTITY_PER_MIN, 'exactly the limit passes, summed over both replicas');
      assert.ok(new Set(limited.map((s) => s.replica)).size === p().gateways.length, 'every replica enforces the shared count');
      assert.ok(
        limited.every((s) => Number(s.retryAfter) > 0),
        'every 429 says when to retry',
      );
      const counted = await p().gatewayMetric('gateway_rate_limited_total', { scope: 'identity' });
      assert.ok(counted >= limited.length, `rejections are counted (${counted} >= ${limited.length})`);
    });

    it('does not limit another identity', async () => {
      const { accessToken } = await p().login('ratelimit-2', 'ratelimit-pass-0002');
      assert.equal((await call(`${p().edge}/api/me`, 'GET', { token: accessToken })).status, 200);
    });
  });
}
