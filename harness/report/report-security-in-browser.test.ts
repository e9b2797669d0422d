import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostilePentestSummary } from '../../fixtures/reports/hostile-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
import { reportBrowser } from '../../test/support/report-browser.ts';

const reports = reportBrowser('crucible-security-report-');
const { dir } = reports;
const open = reports.open;

before(() => reports.start());
after(() => reports.stop());

// A bound on waiting, not on speed: a busy machine makes Chromium several times slower.
describe('pentest report.html in Chromium, opened from disk', { timeout: 120_000 }, () => {
  it('loads with no console error and no request beyond the file; the banner names the findings', async () => {
    const { page, problems, requests } = await open('pentest', samplePentestSummary('vulnerable'));
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [requests[0]], 'only the report itself');
    assert.match(requests[0]!, /^file:/);
    assert.equal(await page.getByTestId('verdict-word').innerText(), '✗ FAILED');
    assert.match(
      await page.getByTestId('verdict').innerText(),
      /2 critical findings: SEC-INJ-01 SQL injection in query inputs, SEC-JWT-01 Unsigned token accepted \(alg none, any case\)/,
    );
    const alert = page.getByTestId('vulnerable-switches-alert');
    assert.ok(await alert.isVisible());
    assert.equal(await alert.getAttribute('role'), 'alert');
    await page.close();
  });

  it('the findings table and the OWASP tables are visible; a failed check opens to its evidence', async () => {
    const s = samplePentestSummary('vulnerable');
    const { page } = await open('pentest-evidence', s);
    const findings = page.getByTestId('findings-table');
    assert.ok(await findings.isVisible());
    const checks = s.security!.checks;
    assert.equal(await findings.locator('tbody tr').count(), s.security!.counts.fail);
    assert.match(await findings.locator('tbody tr').first().innerText(), /CRITICAL 9\.8\s+SEC-INJ-01\s+SQL injection in query inputs/);
    for (const cat of new Set(checks.map((c) => c.owasp))) assert.ok(await page.getByTestId(`owasp-${cat}-table`).isVisible(), cat);
    assert.equal(await page.getByTestId('owasp-API2-table').locator('tbody tr').count(), checks.filter((c) => c.owasp === 'API2').length);

    const evidence = page.getByTestId('evidence-SEC-JWT-01');
    const request = evidence.getByTestId('evidence-request').first();
    assert.equal(await request.isVisible(), false, 'closed until asked for');
    await evidence.locator('summary').click();
    assert.ok(await request.isVisible());
    assert.match(await request.innerText(), /^GET http:\/\/127\.0\.0\.1:7300\/api\/me\nx-crucible-check: SEC-JWT-01\nauthorization: Bearer /);
    const jwt = checks.find((c) => c.id === 'SEC-JWT-01')!;
    assert.equal(await evidence.getByTestId('evidence-response').first().innerText(), `→ HTTP 200\n${jwt.evidence[0]!.responseExcerpt}`);

    const detection = page.getByTestId('detection-table');
    assert.ok(await detection.isVisible());
    assert.match(await detection.locator('tr', { hasText: 'ssrf' }).innerText(), /not detected[\s\S]*✗ FAIL/);
    await page.close();
  });

  it('a clean run: PASSED, no switches alert, nothing to open', async () => {
    const { page, problems, requests } = await open('pentest-clean', samplePentestSummary('clean'));
    assert.deepEqual(problems, []);
    assert.equal(requests.length, 1);
    assert.equal(await page.getByTestId('verdict-word').innerText(), '✓ PASSED');
    assert.equal(await page.getByTestId('vulnerable-switches-alert').count(), 0);
    assert.ok(await page.getByTestId('no-findings').isVisible());
    assert.equal(await page.locator('details').count(), 0);
    await page.close();
  });

  it('hostile checks and evidence neither run nor break anything, and fit a phone screen', async () => {
    const { page, problems, requests } = await open('pentest-hostile', hostilePentestSummary(), { width: 390, height: 800 });
    assert.deepEqual(problems, [], 'no alert, no error, no CSP violation');
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
    );
    assert.equal(await page.locator('img').count(), 0);
    const first = page.locator('details.evidence').first();
    await first.locator('summary').click();
    assert.match(await first.getByTestId('evidence-response').first().innerText(), /<\/pre><\/details><\/td><\/tr><\/table>/, 'shown as text');
    assert.ok(await page.getByTestId('detection-table').isVisible(), 'the page goes on after the evidence');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scrolling of the page');
    await page.close();
  });

  it('junit.xml and findings.sarif of the runs parse in the browser, hostile ones included', async () => {
    const page = await reports.newPage();
    const categories = new Set(samplePentestSummary('clean').security!.checks.map((c) => c.owasp)).size;
    for (const name of ['pentest', 'pentest-clean', 'pentest-hostile']) {
      const xml = readFileSync(join(dir, name, 'junit.xml'), 'utf8');
      const result = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        return { error: doc.getElementsByTagName('parsererror')[0]?.textContent ?? null, suites: doc.getElementsByTagName('testsuite').length };
      }, xml);
      assert.equal(result.error, null, name);
      assert.ok(result.suites >= 1 + categories, `${name}: the run suite and a suite per OWASP category`);
      const sarif = await page.evaluate((text) => (JSON.parse(text) as { version: string }).version, readFileSync(join(dir, name, 'findings.sarif'), 'utf8'));
      assert.equal(sarif, '2.1.0');
    }
    await page.close();
  });
});
