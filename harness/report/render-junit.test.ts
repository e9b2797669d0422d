import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { escapeXml, renderJunit } from './render-junit.ts';

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
    assert.equal(suite!.attrs['time'], '120.000', 'seconds');
    assert.equal(suite!.attrs['timestamp'], '2026-03-02T09:30:00');
  });

  it('a failed threshold says actual vs expected', () => {
    const root = parseXml(renderJunit(sampleSummary({ kind: 'fail' })));
    const p95 = all(root, 'testcase').find((c) => c.attrs['name'] === 'http_req_duration p(95)<200')!;
    const failure = p95.children.find((c) => c.name === 'failure')!;
    assert.equal(failure.attrs['message'], 'actual 238.13 ms, expected p(95)<200');
    assert.equal(failure.attrs['type'], 'threshold');
    const slo = all(root, 'testcase').find((c) => c.attrs['name'] === 'p95-latency: p95 < 200 ms')!;
    assert.match(slo.children[0]!.attrs['message']!, /^actual 238\.1 ms, expected p95 < 200 ms \(source: client\)$/);
  });

  it('an SLO that could not be measured is skipped, and an aborted run gets an errored testcase', () => {
    const root = parseXml(renderJunit(sampleSummary({ kind: 'aborted' })));
    const cache = all(root, 'testcase').find((c) => c.attrs['name']!.startsWith('cache-hit-rate'))!;
    assert.equal(cache.children[0]!.name, 'skipped');
    assert.match(cache.children[0]!.attrs['message']!, /Prometheus was unreachable/);
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
    assert.equal(props['crucible.schema'], 'crucible.summary/v1');
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
