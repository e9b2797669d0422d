import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { pingPinned } from './routes/webhook-routes.ts';
import { checkWebhookUrl, isForbiddenAddress, type Resolve } from './webhook-url-policy.ts';

/** A resolver with fixed answers: no DNS in unit tests. */
const dns =
  (answers: Record<string, string[]>): Resolve =>
  async (host) => {
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('webhook URL policy', () => {
  test('forbidden addresses: loopback, private, link-local/metadata, CGNAT, multicast, their IPv6 forms', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.100.100.200',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fd00:ec2::254',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::7f00:1',
      'not-an-ip',
    ])
      assert.equal(isForbiddenAddress(a), true, a);
    for (const a of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::6810:84e5', '::ffff:8.8.8.8']) assert.equal(isForbiddenAddress(a), false, a);
  });

  test('an https URL whose every address is public is allowed, pinned to the first address', async () => {
    const verdict = await checkWebhookUrl('https://hooks.example.com/orders?x=1', dns({ 'hooks.example.com': ['93.184.215.14', '2606:4700::6810:84e5'] }));
    assert.ok(verdict.allowed);
    assert.equal(verdict.address, '93.184.215.14');
    assert.equal(verdict.family, 4);
    assert.equal(verdict.url.pathname, '/orders');
  });

  test('refusals name their reason', async () => {
    const resolve = dns({
      'public.example.com': ['93.184.215.14'],
      'rebind.example.com': ['93.184.215.14', '127.0.0.1'],
      'metadata.example.com': ['169.254.169.254'],
    });
    const cases: [string, string][] = [
      ['http://public.example.com/', 'scheme_not_https'],
      ['ftp://public.example.com/', 'scheme_not_https'],
      ['https://user:secret@public.example.com/', 'credentials_in_url'],
      ['https://localhost/', 'internal_host_name'],
      ['https://api.localhost/', 'internal_host_name'],
      ['https://metadata.google.internal/', 'internal_host_name'],
      ['https://rebind.example.com/', 'forbidden_address'],
      ['https://metadata.example.com/', 'forbidden_address'],
      ['https://127.0.0.1:6379/', 'forbidden_address'],
      ['https://0x7f.1/', 'forbidden_address'],
      ['https://017700000001/', 'forbidden_address'],
      ['https://[::1]/', 'forbidden_address'],
      ['https://nowhere.example.com/', 'unresolvable_host'],
      ['::not a url', 'not_a_url'],
    ];
    for (const [url, reason] of cases) assert.deepEqual(await checkWebhookUrl(url, resolve), { allowed: false, reason }, url);
  });

  test('the ping connects to the address that was checked, never to a fresh DNS answer', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      // The name does not resolve at all: reaching the server proves the pinned address was used.
      const result = await pingPinned(new URL(`https://hooks.invalid:${port}/ping`), '127.0.0.1', 4, 'test-id');
      assert.equal(result.status, null);
      assert.equal(connections, 1);
    } finally {
      server.close();
    }
  });
});
