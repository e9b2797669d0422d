import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { freshLoopbackSource } from './pinned-http.ts';

describe('freshLoopbackSource', () => {
  it('gives a 127.x address of its own only when the target accepts a connection from it', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const source = await freshLoopbackSource(`http://127.0.0.1:${port}`);
      assert.match(source ?? '', /^127\.\d+\.\d+\.\d+$/);
      assert.notEqual(source, '127.0.0.1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // The same port, closed now: nothing answers from any source, so no source of its own is claimed.
    assert.equal(await freshLoopbackSource(`http://127.0.0.1:${port}`), undefined);
    assert.equal(await freshLoopbackSource('http://example.test:80'), undefined, 'not loopback: the machine has one address');
  });
});
