import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { launchChromium } from '../../../harness/tools/chromium.ts';
import { call, type PlatformFixture } from '../platform-fixture.ts';

export function webUiSuite(p: () => PlatformFixture): void {
  describe('web UI in Chromium', () => {
    it('logs in, browses the catalog and places an order through the edge, with no CSP violation', async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(p().edge);
        await page.getByTestId('login-username').fill('ivan');
        await page.getByTestId('login-password').fill('ivan-pass-0001');
        await page.getByTestId('login-submit').click();
        await page.getByTestId('user-name').filter({ hasText: 'ivan' }).waitFor({ timeout: 10_000 });
        const first = page.getByTestId('product-item').first();
        await first.waitFor({ timeout: 10_000 });
        assert.ok((await page.getByTestId('product-item').count()) >= 10, 'a page of products is listed');
        await first.click();
        await page.getByTestId('product-detail').waitFor();
        await page.getByTestId('order-quantity').fill('1');
        await page.getByTestId('order-submit').click();
        await page.getByTestId('order-confirmation').waitFor({ timeout: 10_000 });
        const orderId = (await page.getByTestId('order-id').innerText()).trim();
        assert.match(orderId, /^\d+$/);
        assert.deepEqual(problems, []);

        const { accessToken } = await p().login('ivan', 'ivan-pass-0001');
        const order = await call(`${p().edge}/api/orders/${orderId}`, 'GET', { token: accessToken });
        assert.equal(order.status, 200, 'the order the browser placed is in the system of record');
      } finally {
        await browser.close();
      }
    });
  });
}
