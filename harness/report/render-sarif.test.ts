import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostilePentestSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
import { sarifSchemaErrors } from '../../fixtures/sarif/validate-sarif.ts';
import { FINGERPRINT_KEY, findingFingerprint, renderSarif, routeOf, sarifUri, type SarifResult } from './render-sarif.ts';
import type { RunSummary } from '../result/summary-model.ts';

const vulnerable = samplePentestSummary('vulnerable');
const clean = samplePentestSummary('clean');
const DOCS = 'https://github.com/acme/crucible/blob/20775c0d41f3a0b9e7c2d5a8f1b6e3c9d0a4b7e2/';

type Json = Record<string, unknown>;
const run0 = (s: RunSummary, docsBaseUri?: string): Json => renderSarif(s, docsBaseUri ? { docsBaseUri } : {}).runs[0] as unknown as Json;
const results = (s: RunSummary): (SarifResult & Json)[] => run0(s)['results'] as (SarifResult & Json)[];
const rules = (s: RunSummary): Json[] => ((run0(s)['tool'] as Json)['driver'] as Json)['rules'] as Json[];

describe('renderSarif: valid SARIF 2.1.0 (the official schema, ajv with formats)', () => {
  it('the validator itself rejects what is not SARIF 2.1.0', () => {
    const log = renderSarif(vulnerable) as unknown as Json;
    assert.deepEqual(sarifSchemaErrors(log), []);
    const runs = log['runs'] as Json[];
    const bad = (change: (r: Json) => Json): Json => ({ ...log, runs: [change(runs[0]!)] });
    assert.ok(sarifSchemaErrors({ ...log, version: '2.0.0' }).length > 0, 'version');
    assert.ok(
      sarifSchemaErrors(bad((r) => ({ ...r, results: [{ ...(r['results'] as Json[])[0], level: 'critical' }] }))).some((x) => x.includes('level')),
      'level enum',
    );
    const rule = rules(vulnerable)[0]!;
    const driver = (runs[0]!['tool'] as Json)['driver'] as Json;
    assert.ok(
      sarifSchemaErrors(bad((r) => ({ ...r, tool: { driver: { ...driver, rules: [{ ...rule, helpUri: 'docs/security.md#SEC-CFG-06' }] } } }))).some((x) =>
        x.includes('helpUri'),
      ),
      'a relative helpUri is not a URI',
    );
    assert.ok(
      sarifSchemaErrors(bad((r) => ({ ...r, invocations: [{}] }))).some((x) => x.includes('executionSuccessful')),
      'invocation needs executionSuccessful',
    );
  });

  for (const [name, s] of [
    ['with findings', vulnerable],
    ['clean', clean],
    ['hostile', hostilePentestSummary()],
  ] as const) {
    it(`${name}: validates, with and without a docs base URI`, () => {
      assert.deepEqual(sarifSchemaErrors(renderSarif(s)), []);
      assert.deepEqual(sarifSchemaErrors(renderSarif(s, { docsBaseUri: DOCS })), []);
    });
  }

  it('an aborted run and a check without evidence still validate', () => {
    const s = {
      ...vulnerable,
      run: { ...vulnerable.run, status: 'aborted' as const, abortReason: 'signal: interrupted', exitCode: 3 as const },
      security: { ...vulnerable.security!, checks: vulnerable.security!.checks.map((c) => ({ ...c, evidence: [] })) },
    };
    assert.deepEqual(sarifSchemaErrors(renderSarif(s)), []);
    assert.equal((run0(s)['invocations'] as Json[])[0]!['executionSuccessful'], false);
  });
});

describe('renderSarif: mapping', () => {
  it('one run by crucible, one rule per check (ruleId = check id), one result per failed check', () => {
    const log = renderSarif(vulnerable, { docsBaseUri: DOCS });
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'crucible');
    assert.equal(driver['version'], '0.1.0');
    assert.equal(driver['informationUri'], DOCS);
    assert.deepEqual(
      driver.rules.map((r) => r.id),
      vulnerable.security!.checks.map((c) => c.id),
    );
    const failed = vulnerable.security!.checks.filter((c) => c.verdict === 'fail');
    assert.deepEqual(
      log.runs[0]!.results.map((r) => r.ruleId),
      failed.map((c) => c.id),
    );
    assert.deepEqual(results(clean), [], 'a clean run has an empty results array (analysed, nothing found)');
  });

  it('a rule carries the descriptions, the help link, the tags, security-severity and precision', () => {
    const jwt = (renderSarif(vulnerable, { docsBaseUri: DOCS }).runs[0]!.tool.driver.rules as unknown as Json[]).find((r) => r['id'] === 'SEC-JWT-01')!;
    const check = vulnerable.security!.checks.find((c) => c.id === 'SEC-JWT-01')!;
    assert.deepEqual(jwt['shortDescription'], { text: 'Unsigned token accepted (alg none, any case)' });
    assert.deepEqual(jwt['fullDescription'], { text: check.description });
    assert.equal(jwt['helpUri'], `${DOCS}docs/security.md#SEC-JWT-01`);
    assert.match((jwt['help'] as Json)['text'] as string, /CWE-347 · OWASP API2:2023 Broken Authentication · CVSS 9\.1 \(CVSS:3\.1\/AV:N/);
    const props = jwt['properties'] as Json;
    assert.deepEqual(props['tags'], ['security', 'owasp-api-2023:API2', 'external/cwe/cwe-347']);
    assert.equal(props['security-severity'], '9.1');
    assert.equal(props['precision'], 'high');
    assert.deepEqual(jwt['defaultConfiguration'], { level: 'error' });
    const tampered = rules(vulnerable).find((r) => r['id'] === 'SEC-JWT-03')!;
    assert.deepEqual((tampered['properties'] as Json)['tags'], ['security', 'owasp-api-2023:API2', 'external/cwe/cwe-347', 'external/cwe/cwe-345']);
    // Without a base URI there is no absolute link to give: SARIF wants one, so helpUri is left out and the text names the anchor.
    const plain = rules(vulnerable).find((r) => r['id'] === 'SEC-JWT-01')!;
    assert.equal(plain['helpUri'], undefined);
    assert.match((plain['help'] as Json)['text'] as string, /Documentation: docs\/security\.md#SEC-JWT-01$/);
    assert.equal(((run0(vulnerable)['tool'] as Json)['driver'] as Json)['informationUri'], undefined);
  });

  it('levels follow the severity: critical and high error, medium warning, low note', () => {
    const level = { critical: 'error', high: 'error', medium: 'warning', low: 'note' } as const;
    const failed = vulnerable.security!.checks.filter((c) => c.verdict === 'fail');
    assert.deepEqual(
      results(vulnerable).map((r) => [r.ruleId, (r['properties'] as Json)['severity'], r.level]),
      failed.map((c) => [c.id, c.severity, c.severity === 'none' ? 'none' : level[c.severity]]),
    );
    assert.deepEqual(new Set(failed.map((c) => c.severity)), new Set(['critical', 'high', 'medium']), 'the sample has findings of three levels');
    // The catalogue has no low-severity check: a low finding is a note.
    const low = { ...failed[0]!, severity: 'low' as const, cvss: { ...failed[0]!.cvss, score: 3.1 } };
    const lowRun: RunSummary = { ...vulnerable, security: { ...vulnerable.security!, checks: [low] } };
    assert.equal(results(lowRun)[0]!.level, 'note');
  });

  it('a result: the summary as message, the URL as location, the first evidence as webRequest/webResponse, more as related locations', () => {
    const r = results(vulnerable).find((x) => x.ruleId === 'SEC-JWT-01')!;
    const check = vulnerable.security!.checks.find((c) => c.id === 'SEC-JWT-01')!;
    assert.equal(r.message.text, check.summary);
    assert.equal(r['kind'], 'fail');
    assert.equal(r['ruleIndex'], vulnerable.security!.checks.indexOf(check));
    assert.deepEqual(r['locations'], [
      {
        physicalLocation: { artifactLocation: { uri: 'http://127.0.0.1:7300/api/me' } },
        logicalLocations: [{ fullyQualifiedName: 'GET /api/me', kind: 'resource' }],
      },
    ]);
    assert.deepEqual(r['webRequest'], { protocol: 'http', target: 'http://127.0.0.1:7300/api/me', method: 'GET', headers: check.evidence[0]!.requestHeaders });
    assert.deepEqual(r['webResponse'], { statusCode: 200, body: { text: check.evidence[0]!.responseExcerpt } });
    const related = r['relatedLocations'] as Json[];
    assert.equal(related.length, check.evidence.length - 1);
    assert.match((related[0]!['message'] as Json)['text'] as string, /^GET http:\/\/127\.0\.0\.1:7300\/api\/me → 200 \(alg=None with an empty signature\)/);
    const sql = results(vulnerable).find((x) => x.ruleId === 'SEC-INJ-01')!;
    assert.equal((sql['webRequest'] as Json)['target'], "http://127.0.0.1:7300/api/products?q=zq4f1c2a9b07'");
    const body = (r['webRequest'] as Json)['body'];
    assert.equal(body, undefined, 'no body sent, none shown');
    const login = results(vulnerable).find((x) => x.ruleId === 'SEC-RL-03')!;
    assert.deepEqual((login['webRequest'] as Json)['body'], { text: '{"username":"crucible-rl-f6f29a3d-99","password":"not-the-password-0"}' });
  });

  it('no answer is noResponseReceived; a non-HTTP answer keeps its excerpt', () => {
    const base = vulnerable.security!.checks.find((c) => c.id === 'SEC-JWT-01')!;
    const withEvidence = (evidence: typeof base.evidence): RunSummary => ({
      ...vulnerable,
      security: { ...vulnerable.security!, checks: [{ ...base, evidence }] },
    });
    const timeout = results(withEvidence([{ method: 'GET', url: 'http://127.0.0.1:7300/api/me', status: 0, note: 'timeout' }]))[0]!;
    assert.deepEqual(timeout['webResponse'], { noResponseReceived: true });
    const redis = results(withEvidence([{ method: 'PING', url: 'redis://127.0.0.1:7310', status: 0, responseExcerpt: '+PONG' }]))[0]!;
    assert.deepEqual(redis['webResponse'], { body: { text: '+PONG' } });
    assert.equal((redis['webRequest'] as Json)['protocol'], 'redis');
    const none = results(withEvidence([]))[0]!;
    assert.equal(
      ((none['locations'] as Json[])[0]!['physicalLocation'] as Json)['artifactLocation'] !== undefined,
      true,
      'the target URL when there is no evidence',
    );
  });

  it('invocations[0].executionSuccessful is false when a check could not run, true for a clean run; errors and not-applicable checks are notifications', () => {
    const inv = (run0(vulnerable)['invocations'] as Json[])[0]!;
    assert.equal(inv['executionSuccessful'], false);
    assert.equal(inv['exitCode'], 1);
    const errors = inv['toolExecutionNotifications'] as Json[];
    const errored = vulnerable.security!.checks.find((c) => c.verdict === 'error')!;
    assert.deepEqual(
      errors.map((n) => [n['level'], (n['associatedRule'] as Json)['id']]),
      [['error', errored.id]],
    );
    assert.equal((errors[0]!['message'] as Json)['text'], `${errored.id} could not reach a verdict: ${errored.summary}`);
    assert.equal((inv['toolConfigurationNotifications'] as Json[]).length, vulnerable.security!.counts.notApplicable);
    const cleanInv = (run0(clean)['invocations'] as Json[])[0]!;
    assert.equal(cleanInv['executionSuccessful'], true);
    assert.equal(cleanInv['toolExecutionNotifications'], undefined);
  });

  it('the pass results behind 100 % compliance ride in the run properties, not as alerts', () => {
    const p = run0(clean)['properties'] as Json;
    const compliance = p['compliance'] as Json;
    assert.equal(compliance['verdictCoverage'], 1);
    const checks = clean.security!.checks;
    assert.deepEqual(
      compliance['passed'],
      checks.filter((c) => c.verdict === 'pass').map((c) => c.id),
    );
    assert.deepEqual(compliance['failed'], []);
    assert.deepEqual(
      (compliance['notApplicable'] as Json[]).map((x) => x['id']),
      ['SEC-JWT-08', 'SEC-JWT-09'],
    );
    assert.equal((p['detection'] as Json[]).length, 9);
    const v = (run0(vulnerable)['properties'] as Json)['compliance'] as Json;
    const { counts } = vulnerable.security!;
    assert.deepEqual(v['errored'], ['SEC-CFG-05']);
    assert.equal(v['reachedVerdict'], counts.pass + counts.fail);
    assert.deepEqual((run0(vulnerable)['properties'] as Json)['vulnerableSwitches'], vulnerable.security!.vulnerableSwitches);
  });

  it('refuses a summary without a security section', () => {
    assert.throws(() => renderSarif(sampleSummary({ kind: 'pass' })), /has no security section/);
  });
});

describe('renderSarif: stable identities', () => {
  it('ruleIds and rules are the same across two renders and between a clean and a vulnerable run', () => {
    assert.deepEqual(renderSarif(vulnerable), renderSarif(vulnerable));
    assert.deepEqual(rules(vulnerable), rules(clean), 'rules describe checks, not outcomes');
  });

  it('fingerprints: ruleId + method + route; the same across runs (ids, ports, queries differ), different per route', () => {
    const fps = results(vulnerable).map((r) => r.partialFingerprints[FINGERPRINT_KEY]!);
    assert.equal(new Set(fps).size, fps.length, 'one per finding');
    for (const fp of fps) assert.match(fp, /^[0-9a-f]{64}$/);
    const fp = (url: string, method = 'GET', rule = 'SEC-BOLA-01'): string => findingFingerprint(rule, method, url);
    assert.equal(fp('http://127.0.0.1:7300/api/orders/4107'), fp('http://127.0.0.1:7400/api/orders/9?x=1'), 'ids, the port base and the query do not matter');
    assert.equal(fp('http://127.0.0.1:7300/api/orders/4107'), fp('https://shop.example/api/orders/0b6a3c1e-7d43-4f0e-9a55-2f8c1d9e3a10'));
    assert.notEqual(fp('http://127.0.0.1:7300/api/orders/4107'), fp('http://127.0.0.1:7300/api/users/4107'), 'another route');
    assert.notEqual(fp('http://127.0.0.1:7300/api/orders/4107'), fp('http://127.0.0.1:7300/api/orders/4107', 'DELETE'), 'another method');
    assert.notEqual(fp('http://127.0.0.1:7300/api/orders/4107'), fp('http://127.0.0.1:7300/api/orders/4107', 'GET', 'SEC-BOLA-02'), 'another rule');
    // The same finding in a later run (other order ids, other port base) keeps its fingerprint.
    const later: RunSummary = {
      ...vulnerable,
      run: { ...vulnerable.run, id: 'later' },
      security: {
        ...vulnerable.security!,
        checks: vulnerable.security!.checks.map((c) => ({ ...c, evidence: c.evidence.map((x) => ({ ...x, url: x.url.replace(':7300', ':7400') })) })),
      },
    };
    assert.deepEqual(
      results(later).map((r) => r.partialFingerprints),
      results(vulnerable).map((r) => r.partialFingerprints),
    );
  });

  it('routes: ids become {id}; host, port, query and fragment are dropped; a non-HTTP scheme is kept', () => {
    assert.equal(routeOf('http://127.0.0.1:7300/api/orders/4107/items/3?x=1#y'), '/api/orders/{id}/items/{id}');
    assert.equal(routeOf('http://h/api/keys/9f2c4e1a0b3d5c7e9f2c'), '/api/keys/{id}');
    assert.equal(routeOf('http://h/api/me'), '/api/me');
    assert.equal(routeOf('redis://127.0.0.1:7310'), 'redis:');
    assert.equal(routeOf('not a url/123?q'), 'not a url/{id}');
  });

  it('locations are valid URIs whatever the evidence URL holds', () => {
    assert.equal(sarifUri("http://127.0.0.1:7300/api/products?q=' OR '1'='1"), 'http://127.0.0.1:7300/api/products?q=%27%20OR%20%271%27=%271');
    assert.equal(sarifUri('http://user:secret@127.0.0.1:7300/a|b?c={d}#e^f'), 'http://127.0.0.1:7300/a%7Cb?c=%7Bd%7D#e%5Ef', 'credentials dropped');
    assert.equal(sarifUri('</script><img src=x>'), '%3C%2Fscript%3E%3Cimg%20src%3Dx%3E');
    assert.equal(sarifUri('redis://127.0.0.1:7310'), 'redis://127.0.0.1:7310');
    assert.equal(sarifUri('urn:x:y'), 'urn:x:y');
  });
});
