import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultedSpec, httpFault } from './istio-route-fault.ts';

describe('istio-delay and istio-abort', () => {
  it("write Istio's http fault: a fixed delay in ms or an abort status, for a percentage (100 by default)", () => {
    assert.deepEqual(httpFault({ type: 'istio-delay', service: 'auth', delay: '1.5s' }), { delay: { fixedDelay: '1500ms', percentage: { value: 100 } } });
    assert.deepEqual(httpFault({ type: 'istio-abort', service: 'auth', httpStatus: 503, percent: 25 }), {
      abort: { httpStatus: 503, percentage: { value: 25 } },
    });
  });

  it('put the fault on every http route of a VirtualService, keeping the rest of its spec', () => {
    const previous = { hosts: ['auth'], http: [{ route: [{ destination: { host: 'auth' } }], timeout: '6s' }, { route: [{ destination: { host: 'b' } }] }] };
    const spec = faultedSpec(previous, { type: 'istio-abort', service: 'auth', httpStatus: 500 }, 'auth.crucible.svc.cluster.local');
    const fault = { abort: { httpStatus: 500, percentage: { value: 100 } } };
    assert.deepEqual(spec, {
      hosts: ['auth'],
      http: [
        { ...previous.http[0], fault },
        { ...previous.http[1], fault },
      ],
    });
    assert.equal((previous.http[0] as Record<string, unknown>)['fault'], undefined, 'the journaled previous spec is not changed');
  });

  it('make a VirtualService with one route to the service when there is none', () => {
    assert.deepEqual(faultedSpec(null, { type: 'istio-delay', service: 'catalog', delay: 200 }, 'catalog.crucible.svc.cluster.local'), {
      hosts: ['catalog.crucible.svc.cluster.local'],
      http: [
        { fault: { delay: { fixedDelay: '200ms', percentage: { value: 100 } } }, route: [{ destination: { host: 'catalog.crucible.svc.cluster.local' } }] },
      ],
    });
  });
});
