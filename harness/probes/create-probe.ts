import { createBrowserProbe } from './browser-probe.ts';
import { createDatastoreProbe } from './datastore-probe.ts';
import { createHttpProbe } from './http-probe.ts';
import type { ProbeCheck, ProbeTargetInfo } from './probe-check.ts';
import { createPromqlProbe } from './promql-probe.ts';
import type { ProbeSpec } from '../config/probe-spec.ts';

export function createProbe(spec: ProbeSpec, target: ProbeTargetInfo): ProbeCheck {
  const check = createCheck(spec, target);
  return spec.availability === false ? { ...check, availability: false, run: check.run.bind(check), close: check.close.bind(check) } : check;
}

function createCheck(spec: ProbeSpec, target: ProbeTargetInfo): ProbeCheck {
  switch (spec.type) {
    case 'http':
      return createHttpProbe(spec, target);
    case 'promql':
      return createPromqlProbe(spec, target);
    case 'datastore':
      return createDatastoreProbe(spec, target);
    case 'browser':
      return createBrowserProbe(spec, target);
  }
}
