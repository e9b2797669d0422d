import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { credentialPlacement, needsNothing, noted, Verdicts } from '../../toolkit/index.ts';

const FOREIGN = 'https://evil.example';

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export const corsOriginCheck = defineCheck({
  id: 'SEC-CFG-02',
  title: 'CORS with a foreign origin',
  owasp: 'API8',
  cwe: [942],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N', score: 6.5 },
  attackClass: 'misconfiguration',
  provenBy: ['permissive-cors'],
  description:
    "Sends the protected probe's preflight (OPTIONS with Origin https://evil.example, its method and the Authorization header) and the request itself with that Origin, then the same with Origin: null (sandboxed pages send it). Fails when an answer allows the foreign or null origin with credentials (Access-Control-Allow-Origin naming it, Access-Control-Allow-Credentials: true): any page could then read the API as its visitor. Reflection without credentials is recorded, not failed. No answer is an error.",
  applies: needsNothing,
  run,
});

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const probe = ctx.profile.protectedProbe ?? { method: 'GET' as const, path: '/' };
  // The header a credential travels in: a preflight asks whether it may be sent cross-origin.
  const placement = credentialPlacement(ctx.profile);
  const credentialHeader = placement.in === 'header' ? placement.name.toLowerCase() : 'authorization';
  const v = new Verdicts();
  for (const origin of [FOREIGN, 'null']) {
    const requests: { method: string; path: string; headers: Record<string, string> }[] = [
      {
        method: 'OPTIONS',
        path: probe.path,
        headers: { origin, 'access-control-request-method': probe.method, 'access-control-request-headers': credentialHeader },
      },
      { method: probe.method, path: probe.path, headers: { origin } },
    ];
    for (const r of requests) {
      const res = await ctx.http.request(r);
      if (res.status === 0) {
        v.doubt(`${r.method} ${r.path} got no answer`, res.evidence);
        continue;
      }
      const acao = one(res.headers['access-control-allow-origin']);
      const creds = one(res.headers['access-control-allow-credentials'])?.trim().toLowerCase() === 'true';
      const allowed = acao === origin || acao === '*';
      if (allowed && creds)
        v.finding(
          `${r.method} ${r.path} allows Origin ${origin} with credentials (Access-Control-Allow-Origin: ${acao})`,
          noted(res.evidence, 'foreign origin allowed with credentials'),
        );
      else if (allowed) v.saw(noted(res.evidence, `Access-Control-Allow-Origin: ${acao} without credentials (recorded)`));
      else v.saw(noted(res.evidence, `no Access-Control-Allow-Origin for ${origin}`));
    }
  }
  return v.outcome(`neither ${FOREIGN} nor null is allowed with credentials on ${probe.method} ${probe.path}`);
}
