import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { isAccepted, isServerError, needsNothing, noted, Verdicts } from '../../toolkit/index.ts';

/** Operational endpoints of common stacks (metrics, state, admin consoles, the platform's own proxies and supervisor APIs). */
const INTERNAL_PATHS = [
  '/metrics',
  '/internal/state',
  '/internal',
  '/admin',
  '/admin/',
  '/stats',
  '/server-status',
  '/actuator/env',
  '/actuator/metrics',
  '/proxies',
  '/api/v1/targets',
  '/api/v1/status/config',
  '/state',
];

export const internalRoutesCheck = defineCheck({
  id: 'SEC-EXP-01',
  title: 'Internal endpoints reachable through the public entry point',
  owasp: 'API8',
  cwe: [200, 497],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 5.3 },
  attackClass: 'exposure',
  provenBy: ['expose-internals'],
  description:
    "GETs, through the base URL and without credentials, the operational endpoints a deployment may leak: /metrics, /internal/state, /internal, /admin, /stats, /server-status, Spring actuators, a fault proxy's /proxies, a Prometheus API, a supervisor's /state. Passes when each is refused or absent (401, 403, 404, 405, 410). Fails on a 2xx: metrics, configuration or state served to the outside. No answer is an error.",
  applies: needsNothing,
  run,
});

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const v = new Verdicts();
  for (const path of INTERNAL_PATHS) {
    const res = await ctx.http.request({ method: 'GET', path });
    if (res.status === 0) v.doubt(`GET ${path} got no answer`, res.evidence);
    else if (isAccepted(res.status))
      v.finding(`GET ${path} answered ${res.status} through the public entry point`, noted(res.evidence, 'internal endpoint served'));
    else if (isServerError(res.status)) v.doubt(`GET ${path} answered ${res.status}`, res.evidence);
    else v.saw(noted(res.evidence, `refused (${res.status})`));
  }
  return v.outcome(`none of ${INTERNAL_PATHS.length} internal endpoints answers through ${ctx.profile.baseUrl}`);
}
