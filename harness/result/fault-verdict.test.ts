import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultVerdict, type FaultExpectations, type MeasuredFault } from './fault-verdict.ts';

const expect: FaultExpectations = { mttrMs: 30_000, detectionMs: 5000, availability: 0.999, alert: false };
const healthy: MeasuredFault = { mttrMs: 3000, detectedMs: 12_000, timeToDetectMs: 2000, alertMs: 14_000, availability: 0.9995 };

describe('faultVerdict', () => {
  it('passes a fault that met every expectation', () => {
    assert.deepEqual(faultVerdict(healthy, expect), { verdict: 'passed', reasons: [] });
    assert.deepEqual(faultVerdict({ ...healthy, mttrMs: 30_000, timeToDetectMs: 5000, availability: 0.999 }, expect).reasons, []);
  });

  it('names each missed expectation with its numbers', () => {
    const v = faultVerdict({ mttrMs: 42_000, detectedMs: 16_000, timeToDetectMs: 6000, alertMs: null, availability: 0.975 }, { ...expect, alert: true });
    assert.equal(v.verdict, 'failed');
    assert.deepEqual(v.reasons, [
      'MTTR 42.0 s > 30.0 s',
      'time to detect 6.0 s > 5.0 s',
      'no alert fired although the probes detected it after 6.0 s',
      'availability 97.50 % < 99.90 %',
    ]);
  });

  it('prints enough decimals for a near miss to read as one', () => {
    assert.deepEqual(faultVerdict({ ...healthy, mttrMs: 30_040 }, expect).reasons, ['MTTR 30.04 s > 30.00 s']);
    assert.deepEqual(faultVerdict({ ...healthy, availability: 0.99899 }, expect).reasons, ['availability 99.899 % < 99.900 %']);
  });

  it('fails a fault that never recovered, or whose revert failed', () => {
    assert.deepEqual(faultVerdict({ ...healthy, mttrMs: null }, expect).reasons, ['never recovered before the end of the experiment']);
    assert.deepEqual(faultVerdict({ ...healthy, revertError: 'toxiproxy: 500 Internal Server Error' }, expect).reasons, [
      'revert failed: toxiproxy: 500 Internal Server Error',
    ]);
  });

  it('requires an alert only when the fault was detected and alerts are expected', () => {
    assert.equal(faultVerdict({ ...healthy, alertMs: null }, expect).verdict, 'passed');
    assert.equal(faultVerdict({ ...healthy, alertMs: null, detectedMs: null, timeToDetectMs: null }, { ...expect, alert: true }).verdict, 'passed');
    assert.equal(faultVerdict(healthy, { ...expect, alert: true }).verdict, 'passed');
  });

  it('fails a fault with no probe sample to judge its availability', () => {
    assert.deepEqual(faultVerdict({ ...healthy, availability: null }, expect).reasons, ['no probe sample from the injection to the recovery']);
  });
});
