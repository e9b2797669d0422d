import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Evidence } from '../security-check.ts';
import { noted, Verdicts } from './verdicts.ts';

const ev = (n: number, note?: string): Evidence => ({ method: 'GET', url: `http://t/${n}`, status: 200, ...(note ? { note } : {}) });

describe('Verdicts', () => {
  it('passes with what it saw when nothing was found or doubted', () => {
    const v = new Verdicts();
    v.saw(ev(1), ev(2));
    assert.deepEqual(v.outcome('all refused'), { verdict: 'pass', summary: 'all refused', evidence: [ev(1), ev(2)] });
    assert.equal(v.hasFindings, false);
  });

  it('fails on a finding, even beside a doubt, with the finding evidence only', () => {
    const v = new Verdicts();
    v.saw(ev(1));
    v.doubt('GET /2 got no answer', ev(2));
    v.finding('GET /3 answered 200', ev(3));
    assert.equal(v.hasFindings, true);
    assert.deepEqual(v.outcome('unused'), { verdict: 'fail', summary: 'GET /3 answered 200', evidence: [ev(3)] });
  });

  it('is an error on a doubt alone: the doubtful answers first, then what held, as context', () => {
    const v = new Verdicts();
    v.saw(ev(1));
    v.doubt('GET /2 got no answer', ev(2));
    assert.deepEqual(v.outcome('unused'), { verdict: 'error', summary: 'GET /2 got no answer', evidence: [ev(2), ev(1)] });
  });

  it('keeps a summary to one line: three reasons, the count of the rest, at most 400 characters', () => {
    const v = new Verdicts();
    for (let i = 1; i <= 5; i++) v.finding(`hole ${i}`, ev(i));
    assert.equal(v.outcome('').summary, 'hole 1; hole 2; hole 3 (and 2 more)');
    const long = new Verdicts();
    long.finding('x'.repeat(1000));
    const s = long.outcome('').summary;
    assert.equal(s.length, 400);
    assert.ok(s.endsWith('…'));
  });

  it('keeps the first 24 requests as evidence', () => {
    const v = new Verdicts();
    for (let i = 0; i < 30; i++) v.saw(ev(i));
    assert.deepEqual(
      v.outcome('ok').evidence.map((e) => e.url),
      Array.from({ length: 24 }, (_, i) => `http://t/${i}`),
    );
  });

  it("noted puts the check's reading before a note the client left", () => {
    assert.equal(noted(ev(1), 'refused').note, 'refused');
    assert.equal(noted(ev(1, 'ECONNRESET'), 'no answer').note, 'no answer; ECONNRESET');
  });
});
