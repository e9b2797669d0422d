import { randomBytes } from 'node:crypto';
import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { isAccepted, loginPath, needsNothing, noted, Verdicts } from '../../toolkit/index.ts';

/** Methods no API needs: TRACE/TRACK echo the request (cross-site tracing), the others probe for handlers nobody meant to expose. */
const METHODS = ['TRACE', 'TRACK', 'DEBUG', 'PROPFIND', 'CRUCIBLE'];

export const httpMethodsCheck = defineCheck({
  id: 'SEC-CFG-04',
  title: 'TRACE, TRACK and unknown HTTP methods',
  owasp: 'API8',
  cwe: [16, 693],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 5.3 },
  attackClass: 'misconfiguration',
  provenBy: ['allow-trace'],
  description:
    "Sends TRACE, TRACK, DEBUG, PROPFIND and a made-up method to the root and to the protected probe's path, each with a random canary in a header and a cookie (a bad Authorization would be refused before any method handler, hiding an echo). Passes when every one is refused (4xx or 501) and no answer echoes the canary. Fails on a 2xx or an echo (TRACE reflects cookies, credentials and the headers a proxy added to whoever can read the answer). No answer is an error.",
  applies: needsNothing,
  run,
});

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const canary = `crucible-${randomBytes(8).toString('hex')}`;
  const paths = [...new Set(['/', ctx.profile.protectedProbe?.path ?? loginPath(ctx.profile)])];
  const v = new Verdicts();
  for (const path of paths) {
    for (const method of METHODS) {
      const res = await ctx.http.request({ method, path, headers: { 'x-crucible-canary': canary, cookie: `session=${canary}` } });
      if (res.status === 0) v.doubt(`${method} ${path} got no answer`, res.evidence);
      else if (res.text.includes(canary)) v.finding(`${method} ${path} echoed the request (${res.status})`, noted(res.evidence, 'request echoed'));
      else if (isAccepted(res.status)) v.finding(`${method} ${path} was answered ${res.status}`, noted(res.evidence, 'method served'));
      else v.saw(noted(res.evidence, `refused (${res.status})`));
    }
  }
  return v.outcome(`${METHODS.join(', ')} are refused on ${paths.join(' and ')}, never echoed`);
}
