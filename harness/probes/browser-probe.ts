import type { Browser } from '@playwright/test';
import { parseDuration } from '../config/duration.ts';
import { launchChromium } from '../tools/chromium.ts';
import type { ProbeCheck, ProbeTargetInfo } from './probe-check.ts';
import { failureReason } from './probe-check.ts';
import type { ProbeSpec } from './probe-spec.ts';

type BrowserProbeSpec = Extract<ProbeSpec, { type: 'browser' }>;

/**
 * The shop journey a user makes in the web UI (log in, open a product, order one), in Chromium:
 * user-perceived availability. One browser for the run, a fresh context (no cookies, no cache) per
 * sample. The steps use the UI's data-testid hooks, as the web UI test does.
 */
export function createBrowserProbe(spec: BrowserProbeSpec, target: ProbeTargetInfo): ProbeCheck {
  const timeoutMs = parseDuration(spec.timeout ?? '15s');
  let browser: Promise<Browser> | undefined;
  return {
    name: spec.name,
    type: 'browser',
    everyMs: parseDuration(spec.every ?? '5s'),
    timeoutMs,
    async run(signal) {
      const user = target.browserUser;
      if (!user) return { ok: false, error: 'no user for the browser journey' };
      let context;
      try {
        browser ??= launchChromium();
        context = await (await browser).newContext();
        const page = await context.newPage();
        page.setDefaultTimeout(timeoutMs);
        const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
        const step = async <T>(p: Promise<T>): Promise<T> => {
          deadline.throwIfAborted();
          return p;
        };
        await step(page.goto(target.baseUrl));
        await step(page.getByTestId('login-username').fill(user.username));
        await step(page.getByTestId('login-password').fill(user.password));
        await step(page.getByTestId('login-submit').click());
        await step(page.getByTestId('user-name').filter({ hasText: user.username }).waitFor());
        await step(page.getByTestId('product-item').first().click());
        await step(page.getByTestId('product-detail').waitFor());
        await step(page.getByTestId('order-quantity').fill('1'));
        await step(page.getByTestId('order-submit').click());
        await step(page.getByTestId('order-confirmation').waitFor());
        return { ok: true };
      } catch (err) {
        return { ok: false, error: failureReason(err) };
      } finally {
        await context?.close().catch(() => {});
      }
    },
    async close() {
      if (browser) await (await browser.catch(() => undefined))?.close();
    },
  };
}
