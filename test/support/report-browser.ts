// Test support for the report tests that open report.html in the system Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { launchChromium } from '../../harness/tools/chromium.ts';
import type { RunSummary } from '../../harness/result/summary-model.ts';
import { writeRunReports } from '../../harness/report/write-run-reports.ts';

export interface OpenedReport {
  readonly page: Page;
  /** Console errors and warnings, uncaught exceptions, dialogs (alert() from injected markup). */
  readonly problems: string[];
  /** Every URL the page asked for. */
  readonly requests: string[];
}

export interface ReportBrowser {
  readonly dir: string;
  start(): Promise<void>;
  /** Writes the run's reports into dir/name and opens its report.html from disk, once its script has run. */
  open(name: string, summary: RunSummary, viewport?: { width: number; height: number }): Promise<OpenedReport>;
  /** A blank page, to parse the other report files in the browser. */
  newPage(): Promise<Page>;
  stop(): Promise<void>;
}

export function reportBrowser(prefix: string): ReportBrowser {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let browser: Browser | undefined;
  return {
    dir,
    async start() {
      browser = await launchChromium();
    },
    async newPage() {
      if (!browser) throw new Error('reportBrowser: start() first');
      return browser.newPage();
    },
    async open(name, summary, viewport = { width: 1280, height: 900 }) {
      if (!browser) throw new Error('reportBrowser: start() first');
      const runDir = join(dir, name);
      await writeRunReports(runDir, summary);
      const page = await browser.newPage({ viewport });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(join(runDir, 'report.html')).href);
      // The page script ran (it sets this even with no chart to draw).
      await page.waitForFunction(() => (window as unknown as { crucibleCharts?: unknown[] }).crucibleCharts !== undefined, undefined, { timeout: 30_000 });
      return { page, problems, requests };
    },
    async stop() {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
