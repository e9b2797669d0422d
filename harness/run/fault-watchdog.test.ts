import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'crucible-watchdog-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Pids of the processes whose command line mentions `text`. */
function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('fault watchdog', () => {
  it('disposal stops it and waits for its exit, keeping the harness alive meanwhile', async () => {
    const journal = join(dir, 'faults.jsonl');
    const script = `
      import { startFaultWatchdog } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'fault-watchdog.ts')).href)};
      const watchdog = startFaultWatchdog(${JSON.stringify(journal)});
      console.log('started');
      // Nothing else keeps this process alive: the wait for the watchdog's exit must.
      await watchdog[Symbol.asyncDispose]();
      console.log('disposed');
    `;
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { timeout: 30_000 }, (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    assert.equal(code, 0, stdout);
    assert.deepEqual(stdout.trim().split('\n'), ['started', 'disposed']);
    assert.deepEqual(processesWith(journal), [], 'the watchdog is gone once disposal returns');
  });
});
