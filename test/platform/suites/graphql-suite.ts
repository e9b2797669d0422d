import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, type PlatformFixture } from '../platform-fixture.ts';

interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
}

export function graphqlSuite(p: () => PlatformFixture): void {
  describe('GraphQL', () => {
    it('answers a batch of operations in one request, with one catalog call for the products', async () => {
      const { accessToken } = await p().login('frank', 'frank-pass-0001');
      const ids = [8_101, 8_102, 8_103].map((n) => n + Math.floor(Math.random() * 800));
      const batch = [
        { query: `query { product(id: "${ids[0]}") { id name } }` },
        { query: `query { a: product(id: "${ids[1]}") { id } b: product(id: "${ids[2]}") { id } }` },
        { query: 'query { me { username role } }' },
      ];
      const before = await p().catalogMetric('http_server_request_duration_seconds_count', { route: '/products' });
      const r = await call(`${p().edge}/graphql`, 'POST', { token: accessToken, body: batch });
      const after = await p().catalogMetric('http_server_request_duration_seconds_count', { route: '/products' });
      assert.equal(r.status, 200, r.text);
      const results = r.body as GqlResult[];
      assert.equal(results.length, 3);
      assert.ok(
        results.every((x) => !x.errors),
        JSON.stringify(results),
      );
      assert.equal((results[0]!.data!['product'] as { id: string }).id, String(ids[0]));
      assert.equal((results[2]!.data!['me'] as { username: string }).username, 'frank');
      assert.ok(after - before <= 1, `product lookups were batched into at most one catalog list call (saw ${after - before})`);
    });

    it('runs a nested query within the depth limit and rejects one beyond it before running it', async () => {
      const nest = (levels: number): string => {
        let selection = 'id name';
        for (let i = 0; i < levels; i++) selection = `id related(limit: 2) { ${selection} }`;
        return `query { product(id: "1") { ${selection} } }`;
      };
      const within = await call(`${p().edge}/graphql`, 'POST', { body: { query: nest(3) } });
      const ok = within.body as GqlResult;
      assert.equal(ok.errors, undefined, within.text.slice(0, 300));
      const related = (ok.data!['product'] as { related: { related: unknown[] }[] }).related;
      assert.equal(related.length, 2, 'related products resolved');
      assert.ok(related[0]!.related.length > 0, 'and their related products');

      const r = await call(`${p().edge}/graphql`, 'POST', { body: { query: nest(12) } });
      const out = r.body as GqlResult;
      assert.ok(out.errors && out.errors.length > 0, `expected an error, got ${r.text.slice(0, 300)}`);
      assert.match(JSON.stringify(out.errors), /depth/i);
      assert.doesNotMatch(JSON.stringify(out.errors), /Cannot query field/, 'refused for its depth, not for an unknown field');
      assert.ok(!out.data || !out.data['product'], 'nothing was resolved');
    });

    it('rejects too many aliases and refuses introspection in production mode', async () => {
      const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: product(id: "${i + 1}") { id }`).join(' ');
      const many = await call(`${p().edge}/graphql`, 'POST', { body: { query: `query { ${aliases} }` } });
      assert.match(JSON.stringify((many.body as GqlResult).errors ?? []), /alias/i);
      const intro = await call(`${p().edge}/graphql`, 'POST', { body: { query: '{ __schema { types { name } } }' } });
      assert.ok((intro.body as GqlResult).errors?.length, 'introspection refused');
    });
  });
}
