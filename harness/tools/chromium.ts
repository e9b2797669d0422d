import { chromium, type Browser } from '@playwright/test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { findTool } from './find-tool.ts';

/**
 * Flags Debian's Chromium needs as root on a closed network (../shared/reference/machine.md):
 * without the background-networking ones it keeps trying to reach Google's hosts.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The system Chromium under Playwright (no browser download: the registry is closed here). */
export async function launchChromium(timeoutMs = 30_000): Promise<Browser> {
  const executablePath = findTool('chromium');
  if (!executablePath)
    throw new CrucibleError('CRUCIBLE_ERR_TOOL_MISSING', 'chromium is not installed, so browser probes cannot run', {
      hint: "Run 'crucible setup' (it installs Debian's chromium package).",
    });
  // The harness owns the signals: Playwright's default SIGINT handler closes the browser and then
  // exits the process with 130, before the run can roll back its faults and stop what it started.
  // Whoever launched the browser closes it (the probes and checks dispose it on every path).
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: timeoutMs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}
