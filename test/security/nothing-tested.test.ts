// `crucible pentest` on a profile none of the selected checks applies to: nothing was tested, so
// the run is no pass. It exits 3 and says why, and summary.json's verdict carries the coverage
// failure. No platform, nothing sent (the selected check is not applicable), a few seconds.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunSummary } from '../../harness/result/summary-model.ts';
import { projectRoot } from '../../harness/util/project-root.ts';

const MAIN = join(projectRoot(), 'harness', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'crucible-nothing-tested-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A profile outside the checkout with no logout route and no Prometheus: SEC-JWT-11 cannot apply. */
const PROFILE = `import { defineProfile } from 'crucible';
export default defineProfile({
  name: 'no-logout',
  baseUrl: 'http://127.0.0.1:9',
  auth: {
    login: { path: '/login' },
    users: { userA: { username: 'a', password: 'a' }, userB: { username: 'b', password: 'b' }, admin: { username: 'c', password: 'c' } },
  },
  protectedProbe: { method: 'GET', path: '/me' },
});
`;

describe('crucible pentest when no check applies', () => {
  it('exits 3 with the reason, never PASSED at 0 % coverage', async () => {
    const profile = join(dir, 'no-logout.profile.ts');
    writeFileSync(profile, PROFILE);
    const reports = join(dir, 'reports');
    const run = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', MAIN, 'pentest', '--profile', profile, '--checks', 'SEC-JWT-11', '--reports-dir', reports],
        { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      );
    });
    assert.equal(run.code, 3, run.out);
    assert.match(run.out, /ERROR {2}pentest of http:\/\/127\.0\.0\.1:9: 0 passed, 0 failed .* 1 not applicable; verdict coverage none \(no check applied\)/);
    assert.match(run.out, /no check applied \(1 check not applicable\): nothing was tested, which is not a pass/);
    assert.doesNotMatch(run.out, /PASSED/);
    const [runDir] = readdirSync(reports);
    const summary = JSON.parse(readFileSync(join(reports, runDir ?? '', 'summary.json'), 'utf8')) as RunSummary;
    assert.deepEqual([summary.verdict.status, summary.verdict.exitCode], ['error', 3]);
    assert.deepEqual(
      summary.verdict.failures.map((f) => [f.kind, f.subject]),
      [['coverage', 'checks']],
    );
  });
});
