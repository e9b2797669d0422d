import type { Browser, BrowserContext, Page } from '@playwright/test';
import { launchChromium } from '../tools/chromium.ts';
import type { ProbeCheck, ProbeOutcome, ProbeTargetInfo } from './probe-check.ts';
import { failureReason } from './probe-check.ts';
import type { ResolvedProbe } from '../config/resolved-scenario.ts';

type BrowserProbeSpec = Extract<ResolvedProbe, { type: 'browser' }>;

/**
 * The shop journey a user makes in the web UI (log in, open a product, order one), in Chromium:
 * user-perceived availability. One browser for the run, a fresh context (no cookies, no cache) per
 * sample. The steps use the UI's data-testid hooks, as the web UI test does.
 */
export function createBrowserProbe(spec: BrowserProbeSpec, target: ProbeTargetInfo): ProbeCheck {
  const { timeoutMs } = spec;
  let browser: Promise<Browser> | undefined;
  return {
    name: spec.name,
    type: 'browser',
    everyMs: spec.everyMs,
    timeoutMs,
    async run(signal) {
      const user = target.browserUser;
      if (!user) return { ok: false, error: 'no user for the browser journey' };
      let context: BrowserContext | undefined;
      try {
        browser ??= launchChromium();
        context = await (await browser).newContext();
        const page = await context.newPage();
        page.setDefaultTimeout(timeoutMs);
        // Closing the context is what stops a journey in flight: every pending step then rejects,
        // and the journey's promise (handled below) settles with it.
        const journey = shop(page, target.baseUrl, user);
        const stop = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
        const stopped = new Promise<ProbeOutcome>((resolve) => {
          const onStop = (): void => resolve({ ok: false, error: 'timeout' });
          if (stop.aborted) onStop();
          else stop.addEventListener('abort', onStop, { once: true });
        });
        return await Promise.race([
          journey.then(
            () => ({ ok: true }),
            (err: unknown) => ({ ok: false, error: failureReason(err) }),
          ),
          stopped,
        ]);
      } catch (err) {
        return { ok: false, error: failureReason(err) };
      } finally {
        await context?.close().catch(() => {});
      }
    },
    async [Symbol.asyncDispose]() {
      if (browser) await (await browser.catch(() => undefined))?.close();
    },
  };
}

/**
 * Log in, open a product of the first page at random, order one. A sold-out product answers "not
 * enough stock": that is the platform working, so it completes the journey too (the probe measures
 * availability; repeated journeys would otherwise empty one product's stock and "fail" forever).
 */
async function shop(page: Page, baseUrl: string, user: { readonly username: string; readonly password: string }): Promise<void> {
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').filter({ hasText: user.username }).waitFor();
  const items = page.getByTestId('product-item');
  await items.first().waitFor();
  await items.nth(Math.floor(Math.random() * (await items.count()))).click();
  await page.getByTestId('product-detail').waitFor();
  await page.getByTestId('order-quantity').fill('1');
  await page.getByTestId('order-submit').click();
  // Either answer may already be on the page when the other appears: the first visible one decides.
  await page
    .getByTestId('order-confirmation')
    .or(page.getByTestId('order-error').filter({ hasText: /not enough stock/i }))
    .first()
    .waitFor();
}
