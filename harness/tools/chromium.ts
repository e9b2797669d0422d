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
      hint: "Run 'npm run setup' (it installs Debian's chromium package).",
    });
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: timeoutMs });
}
