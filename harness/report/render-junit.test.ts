import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostileChaosSummary, hostilePentestSummary, hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
import { escapeXml, renderJunit, renderSuiteJunit } from './render-junit.ts';
import { judgeRun } from '../result/verdict.ts';

interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITY: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

function decode(raw: string, where: string): string {
  if (!XML_CHAR.test(raw)) throw new Error(`character not allowed in XML in ${where}`);
  return raw.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (ENTITY[ref]) return ENTITY[ref];
    const code = /^#x([0-9a-f]+)$/i.test(ref) ? parseInt(ref.slice(2), 16) : /^#(\d+)$/.test(ref) ? Number(ref.slice(1)) : NaN;
    const ch = Number.isNaN(code) ? '' : String.fromCodePoint(code);
    if (!ch || !XML_CHAR.test(ch)) throw new Error(`bad reference &${ref}; in ${where}`);
    return ch;
  });
}

/**
 * A strict well-formedness check for what renderJunit writes (no DTD, CDATA or processing
 * instructions but the declaration): balanced tags, quoted unique attributes, no raw < or bare &,
 * only XML 1.0 characters. Returns the root element.
 */
function parseXml(xml: string): XmlElement {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('missing XML declaration');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/gy;
  let pos = decl[0].length;
  while (pos < xml.length) {
    token.lastIndex = pos;
    const m = token.exec(xml);
    if (!m) throw new Error(`malformed markup at ${pos}: ${JSON.stringify(xml.slice(pos, pos + 40))}`);
    pos = token.lastIndex;
    const [, close, name, attrText, selfClose, text] = m;
    if (text !== undefined) {
      const t = decode(text, 'text');
      if (stack.length === 0) {
        if (t.trim()) throw new Error('text outside the root element');
      } else stack[stack.length - 1]!.text += t;
      continue;
    }
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      attrs[a[1]!] = decode(a[2] ?? a[3] ?? '', `${name}@${a[1]}`);
    }
    const el: XmlElement = { name: name!, attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    if (!selfClose) stack.push(el);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

describe('renderJunit', () => {
  it('the checker itself rejects what is not well-formed', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>&</a>', '<a>1 < 2</a>', '<a x="<"/>', '<a>&bogus;</a>', '<a>\u0001</a>', '<a/><b/>', '<a>'])
      assert.throws(() => parseXml(head + bad), Error, bad);
    assert.equal(parseXml(`${head}<a x="&lt;&#38;">t&amp;</a>`).attrs['x'], '<&');
  });

  it('one testsuite per scenario, one testcase per threshold and SLO, with counts that add up', () => {
    const s = sampleSummary({ kind: 'fail' });
    const root = parseXml(renderJunit(s));
    assert.equal(root.name, 'testsuites');
    const [suite, ...more] = all(root, 'testsuite');
    assert.equal(more.length, 0);
    assert.equal(suite!.attrs['name'], 'storefront-baseline');
    const cases = all(suite!, 'testcase');
    assert.equal(cases.length, s.thresholds.length + s.slos.length);
    const failures = cases.filter((c) => c.children.some((x) => x.name === 'failure')).length;
    assert.equal(Number(suite!.attrs['tests']), cases.length);
    assert.equal(Number(suite!.attrs['failures']), failures);
    assert.equal(failures, s.thresholds.filter((t) => !t.ok).length + s.slos.filter((o) => !o.ok && o.actual !== null).length);
    assert.equal(suite!.attrs['time'], (s.run.durationMs / 1000).toFixed(3), 'seconds');
    assert.equal(suite!.attrs['timestamp'], '2026-03-02T09:30:00');
  });

  it('a failed threshold says actual vs expected', () => {
    const root = parseXml(renderJunit(sampleSummary({ kind: 'fail' })));
    const p95 = all(root, 'testcase').find((c) => c.attrs['name'] === 'http_req_duration p(95)<200')!;
    const failure = p95.children.find((c) => c.name === 'failure')!;
    assert.equal(failure.attrs['message'], 'actual 325.631 ms, expected p(95)<200');
    assert.equal(failure.attrs['type'], 'threshold');
    const slo = all(root, 'testcase').find((c) => c.attrs['name'] === 'p95-latency: p95 < 200 ms')!;
    assert.match(slo.children[0]!.attrs['message']!, /^actual 359\.4 ms, expected p95 < 200 ms \(source: client\)$/);
  });

  it('an SLO that could not be measured is skipped, and an aborted run gets an errored testcase', () => {
    // No cached route read and no Prometheus: the cache hit rate cannot be measured (evaluateSlos' words).
    const aborted = sampleSummary({ kind: 'aborted' });
    const unmeasured = 'not measured: the run read no cached route and Prometheus had no cache counters';
    const root = parseXml(
      renderJunit({ ...aborted, slos: aborted.slos.map((o) => (o.id === 'cache-hit-rate' ? { ...o, actual: null, ok: true, note: unmeasured } : o)) }),
    );
    const cache = all(root, 'testcase').find((c) => c.attrs['name']!.startsWith('cache-hit-rate'))!;
    assert.equal(cache.children[0]!.name, 'skipped');
    assert.match(cache.children[0]!.attrs['message']!, /the run read no cached route/);
    const run = all(root, 'testcase').find((c) => c.attrs['name'] === 'run completed')!;
    assert.equal(run.children[0]!.name, 'error');
    assert.match(run.children[0]!.attrs['message']!, /^aborted: signal/);
    const suite = all(root, 'testsuite')[0]!;
    assert.equal(Number(suite.attrs['errors']), 1);
    assert.equal(Number(suite.attrs['skipped']), 1);
  });

  it('carries the run id and more as properties', () => {
    const s = sampleSummary({ kind: 'stress' });
    const props = Object.fromEntries(all(parseXml(renderJunit(s)), 'property').map((p) => [p.attrs['name'], p.attrs['value']]));
    assert.equal(props['crucible.run.id'], s.run.id);
    assert.equal(props['crucible.schema'], 'crucible.summary/v2');
    assert.equal(props['crucible.stress.breakingPointRps'], '300');
  });

  it('stays well-formed with hostile names, and keeps them readable', () => {
    const s = hostileSummary();
    const root = parseXml(renderJunit(s));
    assert.equal(all(root, 'testsuite')[0]!.attrs['name'], s.run.scenario.name);
    const names = all(root, 'testcase').map((c) => c.attrs['name']);
    assert.ok(names.includes(`http_req_duration{name:</script><img src=x onerror=alert(1)>} p(95)<&<>"'`));
    assert.equal(escapeXml('a\u0000b\uD800c'), 'a\uFFFDb\uFFFDc', 'characters XML cannot carry become U+FFFD');
  });
});

describe('renderJunit: chaos runs', () => {
  const s = sampleSummary({ kind: 'chaos' });
  const cls = 'crucible.storefront-game-day';
  const byClass = (root: XmlElement, suffix: string): XmlElement[] => all(root, 'testcase').filter((c) => c.attrs['classname'] === `${cls}.${suffix}`);
  const outcome = (c: XmlElement): string => c.children.find((x) => ['failure', 'error', 'skipped'].includes(x.name))?.name ?? 'pass';

  it('a testcase per steady-state check, per fault, for availability, the ledger and the rollback, with counts that add up', () => {
    const root = parseXml(renderJunit(s));
    const suite = all(root, 'testsuite')[0]!;
    const cases = all(suite, 'testcase');
    assert.equal(cases.length, 2 + 3 + 5 + 1 + 1 + 1, 'thresholds, steady state, faults, availability, ledger, rollback');
    assert.deepEqual([suite.attrs['tests'], suite.attrs['failures'], suite.attrs['errors'], suite.attrs['skipped']], ['13', '3', '0', '0']);
    assert.deepEqual(
      byClass(root, 'steady-state').map((c) => [c.attrs['name'], outcome(c)]),
      [
        ['steady state before', 'pass'],
        // Disturbed while the faults were in, as expected, and every fault recovered.
        ['steady state during', 'pass'],
        ['steady state after', 'pass'],
      ],
    );
    assert.deepEqual(
      byClass(root, 'faults').map((c) => [c.attrs['name'], outcome(c)]),
      [
        ['Redis latency 300 ms (0.0)', 'pass'],
        ['gateway replica kill (1.0)', 'pass'],
        ['gateway replica kill (1.1)', 'pass'],
        ['gateway replica kill (1.2)', 'pass'],
        ['PostgreSQL stop (2.0)', 'failure'],
      ],
    );
    assert.deepEqual(byClass(root, 'availability').map(outcome), ['failure']);
    assert.deepEqual(byClass(root, 'data-loss').map(outcome), ['failure']);
    assert.deepEqual(byClass(root, 'rollback').map(outcome), ['pass']);
  });

  it('failures say why: the reasons of the fault, the steady-state note, the lost writes', () => {
    const root = parseXml(renderJunit(s));
    const pg = byClass(root, 'faults')[4]!.children[0]!;
    assert.equal(pg.attrs['message'], 'MTTR 36.0 s > 30.0 s');
    assert.equal(pg.attrs['type'], 'fault');
    assert.match(pg.text, /^alert: CrucibleCircuitOpen at 194\.0 s \(time to alert 4\.0 s\)$/m);
    // A fault that never recovered leaves 'during' bad: reported with its note, not judged.
    const during = { ...s.chaos!, steadyState: s.chaos!.steadyState.map((x) => (x.phase === 'during' ? { ...x, ok: false } : x)) };
    assert.match(
      byClass(parseXml(renderJunit({ ...s, chaos: during })), 'steady-state')[1]!.children[0]!.attrs['message']!,
      /^not judged \(the hypothesis is judged before and after the faults\): probe edge-ready failed in 6 of 186 windows/,
    );
    const loss = byClass(root, 'data-loss')[0]!.children[0]!;
    assert.equal(loss.attrs['message'], '1 acknowledged write LOST, 0 DUPLICATED, of 1,036 acknowledged (allowed lost: 0)');
    assert.match(loss.text, new RegExp(`^lost \\(1\\): ${s.chaos!.ledger!.lost[0]}$`, 'm'));
    assert.equal(byClass(root, 'availability')[0]!.attrs['name'], 'availability >= 99.0 %');
    const props = Object.fromEntries(all(root, 'property').map((p) => [p.attrs['name'], p.attrs['value']]));
    assert.equal(props['crucible.chaos.lostWrites'], '1');
    assert.equal(props['crucible.chaos.resilienceScore'], String(s.chaos!.resilienceScore));
  });

  it('a clean ledger passes; an incomplete rollback and an abort condition are errors', () => {
    const c = s.chaos!;
    const chaos = {
      ...c,
      ledger: { ...c.ledger!, lost: [], lostCount: 0 },
      rollback: { complete: false, problems: ['postgres still stopped'] },
      abortedBy: { probe: 'edge-ready', atMs: 201_000, reason: 'bad for 30 s' },
    };
    const broken = { ...s, chaos, verdict: judgeRun({ ...s, chaos }, { kind: 'completed' }) };
    const root = parseXml(renderJunit(broken));
    assert.deepEqual(byClass(root, 'data-loss').map(outcome), ['pass']);
    const rollback = byClass(root, 'rollback')[0]!.children[0]!;
    assert.equal(rollback.name, 'error');
    assert.equal(rollback.attrs['message'], 'rollback incomplete: postgres still stopped');
    const run = all(root, 'testcase').find((t) => t.attrs['name'] === 'run completed')!;
    assert.equal(run.children[0]!.name, 'error');
    assert.equal(run.children[0]!.attrs['message'], 'experiment aborted by probe edge-ready at 3:21: bad for 30 s; results after it are missing');
    assert.equal(all(root, 'testsuite')[0]!.attrs['errors'], '2');
    assert.deepEqual(byClass(parseXml(renderJunit({ ...s, chaos: { ...c, ledger: null } })), 'data-loss'), [], 'no ledger, no testcase');
  });

  it('has no chaos testcases for a run without chaos', () => {
    const names = all(parseXml(renderJunit(sampleSummary({ kind: 'fail' }))), 'testcase').map((c) => c.attrs['classname']!);
    assert.ok(
      names.every((n) => /\.(thresholds|slos)$/.test(n)),
      names.join(', '),
    );
  });

  it('stays well-formed with hostile chaos names, and keeps them readable', () => {
    const h = hostileChaosSummary();
    const root = parseXml(renderJunit(h));
    const faults = all(root, 'testcase').filter((c) => c.attrs['classname']!.endsWith('.faults'));
    assert.equal(faults[0]!.attrs['name'], `${h.chaos!.faults[0]!.name} (0.0)`);
    assert.match(faults[0]!.children[0]!.attrs['message']!, /revert failed: nul\uFFFDbell\uFFFD/);
    assert.match(
      all(root, 'testcase').find((c) => c.attrs['classname']!.endsWith('.data-loss'))!.children[0]!.text,
      /<\/script><img src=x onerror=alert\(1\)>/,
    );
  });
});

describe('renderJunit: penetration runs', () => {
  const v = samplePentestSummary('vulnerable');
  const outcome = (c: XmlElement): string => c.children.find((x) => ['failure', 'error', 'skipped'].includes(x.name))?.name ?? 'pass';
  const counts = (el: XmlElement): string[] => ['tests', 'failures', 'errors', 'skipped'].map((k) => el.attrs[k]!);
  const caseProps = (c: XmlElement): Record<string, string> => Object.fromEntries(all(c, 'property').map((p) => [p.attrs['name']!, p.attrs['value']!]));

  it('the run suite with detection per attack class, then a testsuite per OWASP category, with exact counts', () => {
    const root = parseXml(renderJunit(v));
    const suites = all(root, 'testsuite');
    const sec = v.security!;
    const n = (cat: string, verdict: string): number => sec.checks.filter((c) => c.owasp === cat && c.verdict === verdict).length;
    const categories = [...new Set(sec.checks.map((c) => c.owasp))].sort();
    assert.deepEqual(
      suites.map((x) => [x.attrs['name'], ...counts(x)]),
      [
        ['pentest', String(sec.detection.length), String(sec.detection.filter((d) => !d.ok).length), '0', '0'],
        ...categories.map((cat) => [
          `owasp-api-2023.${cat}`,
          String(sec.checks.filter((c) => c.owasp === cat).length),
          String(n(cat, 'fail')),
          String(n(cat, 'error')),
          String(n(cat, 'not-applicable')),
        ]),
      ],
    );
    assert.deepEqual(categories, ['API1', 'API2', 'API3', 'API4', 'API5', 'API7', 'API8', 'API9'], "the catalogue's categories");
    const { counts: c } = sec;
    assert.deepEqual(
      counts(root),
      [sec.checks.length + sec.detection.length, c.fail + sec.detection.filter((d) => !d.ok).length, c.error, c.notApplicable].map(String),
      'the root adds up the checks and the attack classes',
    );
    assert.equal(all(root, 'testcase').filter((x) => x.attrs['name'] === 'run completed').length, 0, 'a failed pentest completed');
    const clean = samplePentestSummary('clean');
    const cleanSec = clean.security!;
    assert.deepEqual(
      counts(parseXml(renderJunit(clean))),
      [cleanSec.checks.length + cleanSec.detection.length, 0, 0, cleanSec.counts.notApplicable].map(String),
    );
  });

  it('a testcase per check: classname = id, name = title, properties; a vulnerability fails with its CWE, severity, CVSS and summary', () => {
    const root = parseXml(renderJunit(v));
    const check = v.security!.checks.find((c) => c.id === 'SEC-JWT-01')!;
    const jwt = all(root, 'testcase').find((c) => c.attrs['classname'] === 'SEC-JWT-01')!;
    assert.equal(jwt.attrs['name'], 'Unsigned token accepted (alg none, any case)');
    assert.equal(jwt.attrs['time'], ((check.endedMs - check.startedMs) / 1000).toFixed(3));
    assert.deepEqual(caseProps(jwt), {
      ruleId: 'SEC-JWT-01',
      owasp: 'API2:2023 Broken Authentication',
      cwe: 'CWE-347',
      cvss: '9.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
      severity: 'critical',
      attackClass: 'authentication',
    });
    const failure = jwt.children.find((x) => x.name === 'failure')!;
    assert.equal(failure.attrs['type'], 'CWE-347');
    assert.equal(failure.attrs['message'], `critical, CVSS 9.1: ${check.summary}`);
    assert.match(check.summary, /^GET \/api\/me accepted alg=none/);
    assert.match(
      failure.text,
      /^> GET http:\/\/127\.0\.0\.1:7300\/api\/me\n {2}x-crucible-check: SEC-JWT-01\n {2}authorization: Bearer eyJhbGciOiJub25lIiwia2lkI/m,
    );
    assert.match(failure.text, /^< 200\n {2}\{"id":"[^"]+","username":"alice","role":"user"\}$/m);
    const sql = all(root, 'testcase').find((c) => c.attrs['classname'] === 'SEC-INJ-01')!;
    assert.equal(sql.children.find((x) => x.name === 'failure')!.attrs['type'], 'CWE-89');
  });

  it('a check that could not run is an error (never a pass); a not-applicable one is skipped with its reason', () => {
    const root = parseXml(renderJunit(v));
    const byId = (id: string): XmlElement => all(root, 'testcase').find((c) => c.attrs['classname'] === id)!;
    const errored = v.security!.checks.find((c) => c.verdict === 'error')!;
    const error = byId(errored.id).children.find((x) => x.name === 'error')!;
    assert.equal(error.attrs['type'], 'check-error');
    assert.equal(error.attrs['message'], errored.summary);
    const notApplicable = v.security!.checks.find((c) => c.verdict === 'not-applicable')!;
    const na = byId(notApplicable.id).children.find((x) => x.name === 'skipped')!;
    assert.equal(na.attrs['message'], `not applicable: ${notApplicable.summary}`);
    assert.match(notApplicable.summary, /^the profile has no auth\.signingKeyFile/);
    assert.equal(outcome(byId('SEC-AUTH-01')), 'pass');
  });

  it('detection: a testcase per attack class, failed when not alerted on within the budget', () => {
    const root = parseXml(renderJunit(v));
    const det = all(root, 'testcase').filter((c) => c.attrs['classname'] === 'crucible.pentest.detection');
    assert.deepEqual(
      det.map((c) => [c.attrs['name'], outcome(c)]),
      v.security!.detection.map((d) => [`${d.attackClass} attacks detected`, d.ok ? 'pass' : 'failure']),
    );
    assert.ok(det.some((c) => outcome(c) === 'pass') && det.some((c) => outcome(c) === 'failure'), 'the sample has both');
    const ssrf = det.find((c) => c.attrs['name'] === 'ssrf attacks detected')!.children.find((x) => x.name === 'failure')!;
    assert.equal(ssrf.attrs['message'], 'ssrf: not detected (no audit line, no alert) within the 1 min 00 s budget');
    assert.match(ssrf.text, /^time to detect: not detected \(budget 1 min 00 s\)$/m);
    const authz = det.find((c) => c.attrs['name'] === 'authorization attacks detected')!.children.find((x) => x.name === 'failure')!;
    assert.equal(authz.attrs['message'], 'authorization: no alert (audit lines only) within the 1 min 00 s budget');
  });

  it('detection not measured (no alert source) is skipped, not failed; a run in which no check applied has an error testcase', () => {
    const sec = v.security!;
    const security = {
      ...sec,
      checks: sec.checks.map((c) => ({ ...c, verdict: 'not-applicable' as const })),
      detection: sec.detection.map((d) => ({ ...d, notMeasured: 'no alert source' })),
    };
    const s = { ...v, security, verdict: judgeRun({ ...v, security }, { kind: 'completed' }) };
    const root = parseXml(renderJunit(s));
    const det = all(root, 'testcase').filter((c) => c.attrs['classname'] === 'crucible.pentest.detection');
    assert.deepEqual(new Set(det.map(outcome)), new Set(['skipped']));
    assert.equal(det[0]!.children.find((x) => x.name === 'skipped')!.attrs['message'], 'not measured: no alert source');
    const applied = all(root, 'testcase').find((c) => c.attrs['name'] === 'checks applied')!;
    assert.equal(outcome(applied), 'error');
    assert.match(applied.children.find((x) => x.name === 'error')!.attrs['message']!, /^no check applied/);
  });

  it('detection later than the budget fails with how late it was', () => {
    const sec = v.security!;
    const late = sec.detection.map((d) => (d.attackClass === 'graphql' ? { ...d, alertMs: d.firstAttackMs + 71_000, timeToDetectMs: 71_000, ok: false } : d));
    const s = { ...v, security: { ...sec, detection: late } };
    const root = parseXml(renderJunit({ ...s, verdict: judgeRun(s, { kind: 'completed' }) }));
    const graphql = all(root, 'testcase').find((c) => c.attrs['name'] === 'graphql attacks detected')!;
    assert.equal(graphql.children.find((x) => x.name === 'failure')!.attrs['message'], 'graphql: +1 min 11 s, over the 1 min 00 s budget');
  });

  it('a pentest that is an error only because checks could not run has no extra "run completed" error', () => {
    const sec = v.security!;
    const security = { ...sec, checks: sec.checks.map((c) => (c.verdict === 'fail' ? { ...c, verdict: 'pass' as const } : c)) };
    const errOnly = { ...v, security, verdict: judgeRun({ ...v, security }, { kind: 'completed' }) };
    assert.equal(errOnly.verdict.status, 'error');
    const root = parseXml(renderJunit(errOnly));
    assert.equal(all(root, 'testcase').filter((c) => c.attrs['name'] === 'run completed').length, 0);
    assert.equal(root.attrs['errors'], '1');
    const reason = 'signal: interrupted';
    const aborted = parseXml(renderJunit({ ...v, run: { ...v.run, abortReason: reason }, verdict: judgeRun(v, { kind: 'interrupted', reason }) }));
    assert.equal(all(aborted, 'testcase').filter((c) => c.attrs['name'] === 'run completed').length, 1);
  });

  it('carries the security counts as run properties', () => {
    const suite = all(parseXml(renderJunit(v)), 'testsuite')[0]!;
    const props = Object.fromEntries(suite.children.find((c) => c.name === 'properties')!.children.map((p) => [p.attrs['name'], p.attrs['value']]));
    assert.equal(props['crucible.security.critical'], String(v.security!.counts.critical));
    assert.equal(v.security!.counts.critical, 2, 'SEC-INJ-01 and SEC-JWT-01');
    assert.equal(props['crucible.security.verdictCoverage'], String(v.security!.verdictCoverage));
    assert.equal(props['crucible.security.vulnerableSwitches'], v.security!.vulnerableSwitches.join(', '));
    assert.ok(v.security!.vulnerableSwitches.includes('jwt-alg-none'));
  });

  it('stays well-formed with hostile security fields, and keeps them readable', () => {
    const h = hostilePentestSummary();
    const root = parseXml(renderJunit(h));
    const first = h.security!.checks[0]!;
    const tc = all(root, 'testcase').find((c) => c.attrs['classname'] === first.id)!;
    assert.equal(tc.attrs['name'], first.title);
    assert.ok(all(root, 'testsuite').some((x) => x.attrs['name'] === `owasp-api-2023.${HOSTILE0}`));
  });
});

const HOSTILE0 = '</script><img src=x onerror=alert(1)>';

describe('renderSuiteJunit', () => {
  it("a suite's junit.xml holds every run's testsuites, named after the suite, with totals that add up", () => {
    const runs = [sampleSummary({ kind: 'pass' }), sampleSummary({ kind: 'fail' }), samplePentestSummary('vulnerable')];
    const root = parseXml(renderSuiteJunit('nightly <&">', runs));
    assert.equal(root.name, 'testsuites');
    assert.equal(root.attrs['name'], 'nightly <&">');
    const alone = runs.map((s) => parseXml(renderJunit(s)));
    assert.deepEqual(
      all(root, 'testsuite').map((x) => x.attrs['name']),
      alone.flatMap((r) => all(r, 'testsuite').map((x) => x.attrs['name'])),
      'the same testsuites as each run alone, in order',
    );
    for (const k of ['tests', 'failures', 'errors', 'skipped'])
      assert.equal(
        Number(root.attrs[k]),
        alone.reduce((n, r) => n + Number(r.attrs[k]), 0),
        k,
      );
    assert.equal(Number(root.attrs['time']), Number(alone.reduce((n, r) => n + Number(r.attrs['time']), 0).toFixed(3)));
  });
});
