import { createBrowserProbe } from './browser-probe.ts';
import { createDatastoreProbe } from './datastore-probe.ts';
import { createHttpProbe } from './http-probe.ts';
import type { ProbeCheck, ProbeTargetInfo } from './probe-check.ts';
import { createPromqlProbe } from './promql-probe.ts';
import type { ResolvedProbe } from '../config/resolved-scenario.ts';

/** A probe from its resolved spec (intervals and timeouts in ms, resolved with the scenario). */
export function createProbe(spec: ResolvedProbe, target: ProbeTargetInfo): ProbeCheck {
  const check = createCheck(spec, target);
  return !spec.availability
    ? { ...check, availability: false, run: check.run.bind(check), [Symbol.asyncDispose]: check[Symbol.asyncDispose].bind(check) }
    : check;
}

function createCheck(spec: ResolvedProbe, target: ProbeTargetInfo): ProbeCheck {
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
