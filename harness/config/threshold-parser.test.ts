import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSelector, parseThreshold, parseThresholds, ThresholdSyntaxError } from './threshold-parser.ts';

const fails = (fn: () => unknown, path: RegExp, message: RegExp): void => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ThresholdSyntaxError, `a ThresholdSyntaxError, got ${String(err)}`);
    assert.match(err.path, path);
    assert.match(err.message, message);
    return;
  }
  assert.fail('expected a ThresholdSyntaxError');
};

describe('threshold parsing', () => {
  it('parses k6 expressions on each metric type', () => {
    const dur = parseSelector('http_req_duration', 'x');
    assert.deepEqual(
      { ...parseThreshold(dur, 'p(95)<200', 'x'), selector: undefined },
      {
        selector: undefined,
        expression: 'p(95)<200',
        aggregation: 'p',
        percentile: 95,
        operator: '<',
        value: 200,
        abortOnFail: false,
        delayAbortEvalMs: 0,
      },
    );
    assert.equal(parseThreshold(dur, 'p(99.9) <= 1e3', 'x').value, 1000);
    assert.equal(parseThreshold(dur, 'avg<100', 'x').aggregation, 'avg');
    assert.equal(parseThreshold(parseSelector('http_req_failed', 'x'), 'rate<0.01', 'x').operator, '<');
    assert.equal(parseThreshold(parseSelector('dropped_iterations', 'x'), 'count==0', 'x').operator, '==');
    assert.equal(parseThreshold(parseSelector('dropped_iterations', 'x'), 'count===0', 'x').operator, '==');
    assert.equal(parseThreshold(parseSelector('vus', 'x'), 'value<=200', 'x').aggregation, 'value');
  });

  it('parses tag-filtered sub-metrics and the object form with abortOnFail', () => {
    const sel = parseSelector('http_req_duration{name:login, scenario:steady}', 'x');
    assert.deepEqual(sel.filter, { name: 'login', scenario: 'steady' });
    const t = parseThreshold(sel, { threshold: 'p(95)<300', abortOnFail: true, delayAbortEval: '30s' }, 'x');
    assert.equal(t.abortOnFail, true);
    assert.equal(t.delayAbortEvalMs, 30_000);
  });

  it('rejects unknown metrics, with a suggestion and the path', () => {
    fails(() => parseThresholds({ http_req_duraton: ['p(95)<200'] }), /^thresholds\["http_req_duraton"\]$/, /did you mean http_req_duration/);
  });

  it('rejects an aggregation that does not fit the metric type', () => {
    fails(() => parseThresholds({ http_req_failed: ['p(95)<1'] }), /\[0\]$/, /does not apply to http_req_failed \(a rate\)/);
    fails(() => parseThresholds({ http_req_duration: ['rate<0.1'] }), /\[0\]$/, /does not apply/);
  });

  it('rejects malformed expressions, percentiles out of range and bad filters', () => {
    fails(() => parseThresholds({ http_req_duration: ['p(95)<200', 'p95<200'] }), /\[1\]$/, /not <aggregation> <operator> <number>/);
    fails(() => parseThresholds({ http_req_duration: ['p(101)<200'] }), /\[0\]$/, /outside 0\.\.100/);
    fails(() => parseThresholds({ http_req_duration: ['p(95)<'] }), /\[0\]$/, /not <aggregation>/);
    fails(() => parseThresholds({ 'http_req_duration{name}': ['p(95)<200'] }), /\]$/, /must be tag:value/);
    fails(() => parseThresholds({ http_req_duration: 'p(95)<200' as unknown as string[] }), /\]$/, /must be an array/);
    fails(() => parseThresholds({ http_req_duration: [{ threshold: 'p(95)<200', delayAbortEval: 'soon' as '1s' }] }), /\[0\]$/, /not a duration/);
  });
});
