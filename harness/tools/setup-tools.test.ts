import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../util/project-root.ts';

describe('crucible setup', () => {
  it('on a machine without apt-get, fails naming each missing tool and the packages to install', async () => {
    // With an empty PATH nothing from /usr/bin is found, and there is no apt-get to install it with.
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', join(projectRoot(), 'harness', 'cli', 'main.ts'), 'setup'],
        { env: { PATH: '/nonexistent' }, timeout: 30_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /setup: error: .*redis-server.*apt-get is not available/);
    assert.match(result.stderr, /Install the Debian packages .*redis-server/);
    assert.match(result.stdout, /toxiproxy-server\s+found/, 'tools that are present are reported as found');
  });
});
