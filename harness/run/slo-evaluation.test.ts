import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseThresholds } from '../config/threshold-parser.ts';
import { k6MetricsView } from '../load/k6/k6-metrics-view.ts';
import { convertK6Summary } from '../load/k6/k6-summary.ts';
import { judgeRun } from '../result/verdict.ts';
import { projectRoot } from '../util/project-root.ts';
import { evaluateSlos } from './slo-evaluation.ts';

const dir = join(projectRoot(), 'fixtures', 'k6');

describe('evaluateSlos() on a k6 run without http_req_failed (k6 before 0.31)', () => {
  it('the error-rate SLO is not measured (not met, not failed) while the threshold on it fails the run', () => {
    const json: unknown = JSON.parse(readFileSync(join(dir, 'old-versions', 'summary-export-v0.29.json'), 'utf8'));
    const r = convertK6Summary(json, { thresholds: parseThresholds({ http_req_failed: ['rate<0.01'] }) });
    const slos = evaluateSlos({
      view: k6MetricsView(r.metrics),
      slos: { p95Ms: 500, errorRate: 0.01, cacheHitRate: 0.5 },
      openModel: false,
      droppedIterations: 0,
    });
    const errors = slos.find((o) => o.id === 'error-rate');
    assert.equal(errors?.actual, null);
    assert.match(errors?.note ?? '', /^not measured: .*no http_req_failed \(k6 before v0\.31/);
    assert.equal(judgeRun({ thresholds: [], slos }, { kind: 'completed' }).status, 'passed', 'an unmeasured SLO fails nothing');
    const verdict = judgeRun({ thresholds: r.thresholds, slos }, { kind: 'completed' });
    assert.equal(verdict.status, 'failed');
    assert.deepEqual(
      verdict.failures.map((f) => f.subject),
      ['http_req_failed rate<0.01'],
    );
  });
});
