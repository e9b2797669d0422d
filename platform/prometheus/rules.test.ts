import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { findTool } from '../../harness/tools/find-tool.ts';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('.', import.meta.url));

describe('alerting rules', () => {
  it('are valid, and fire (or stay quiet) as rules.test.yml says, under promtool', async () => {
    const prometheus = findTool('prometheus');
    assert.ok(prometheus, 'prometheus is installed (npm run setup); promtool comes with it');
    const promtool = prometheus.replace(/prometheus$/, 'promtool');
    const check = await run(promtool, ['check', 'rules', 'rules.yml'], { cwd: dir });
    assert.match(check.stdout, /SUCCESS: \d+ rules found/);
    const test = await run(promtool, ['test', 'rules', 'rules.test.yml'], { cwd: dir }).catch((err: { stdout?: string; stderr?: string }) =>
      assert.fail(`promtool test rules failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`),
    );
    assert.match(test.stdout, /SUCCESS/);
  });
});
