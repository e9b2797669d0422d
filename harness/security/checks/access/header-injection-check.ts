import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { RequestTemplate } from '../../target-profile.ts';
import { answerKind, expandTemplate, Inconclusive, noted, profileNeeds, saysNothing, Verdicts } from '../../toolkit/index.ts';

type Reply = Awaited<ReturnType<CheckContext['http']['request']>>;

/** Hosts nobody owns (RFC 2606 .example), each with a fresh nonce so only this request can explain them. */
const evilHost = (tag: string): string => `${tag}-${randomBytes(4).toString('hex')}.crucible-evil.example`;

export const headerInjectionCheck = defineCheck({
  id: 'SEC-INJ-02',
  title: 'Host header injection and CRLF in reflected headers',
  owasp: 'API8',
  cwe: [113, 644, 601],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', score: 6.1 },
  attackClass: 'injection',
  provenBy: ['header-injection'],
  description:
    "Sends the profile's redirect route and the home page with a foreign host in X-Forwarded-Host, in Host, and in X-Host / X-Forwarded-Server / X-Original-Host / Forwarded (each a fresh name under .example), then, when the redirect route has a {payload} parameter, CR/LF sequences that would start a Set-Cookie header (raw, LF only, and the UTF-8 forms that some servers fold to CR/LF); about 9 requests. Passes when no foreign host appears in a Location or a body and no injected header shows up; fails otherwise.",
  applies: (p) => profileNeeds(p, { probe: 'redirectProbe' }, () => 'the profile has no redirect route (profile.redirectProbe)'),
  run,
});

async function run(ctx: CheckContext, { probe }: { readonly probe: RequestTemplate }) {
  const obs = new Verdicts();
  const plainPath = expandTemplate(probe, { payload: 'crucible' }).path;

  const control = await ctx.http.request({ method: probe.method, path: plainPath });
  if (control.status === 0) throw new Inconclusive(`the target did not answer ${probe.method} ${plainPath}`, [control.evidence]);
  if (answerKind(control.status) !== 'redirected' || !header(control, 'location')) {
    throw new Inconclusive(`${probe.method} ${plainPath} answered ${control.status} without a Location: the profile's redirectProbe is not a redirect`, [
      control.evidence,
    ]);
  }
  obs.saw(noted(control.evidence, `control: Location ${header(control, 'location')}`));

  const routes = [
    { method: probe.method, path: plainPath },
    { method: 'GET', path: '/' },
  ];
  for (const route of routes) {
    for (const variant of ['x-forwarded-host', 'host', 'others'] as const) {
      if (ctx.signal.aborted) break;
      const hosts: Record<string, string> =
        variant === 'others'
          ? { 'x-host': evilHost('xhost'), 'x-forwarded-server': evilHost('xfs'), 'x-original-host': evilHost('xoh'), forwarded: `host=${evilHost('fwd')}` }
          : { [variant]: evilHost(variant === 'host' ? 'host' : 'xfh') };
      const res = await ctx.http.request({ method: route.method, path: route.path, headers: hosts });
      const names = Object.values(hosts).map((h) => h.replace(/^host=/, ''));
      judgeReflection(obs, `${route.method} ${route.path} with ${Object.keys(hosts).join(', ')}`, res, names);
    }
  }

  await crlf(ctx, obs, probe);
  return obs.outcome('no foreign host came back in a Location or a body, and no CR/LF made a header of its own');
}

function judgeReflection(obs: Verdicts, what: string, res: Reply, names: readonly string[]): void {
  const location = header(res, 'location') ?? '';
  const inLocation = names.filter((n) => location.toLowerCase().includes(n));
  const inBody = names.filter((n) => res.text.toLowerCase().includes(n));
  if (inLocation.length > 0) obs.finding(`${what}: the Location points at ${location}`, noted(res.evidence, `Location: ${location}`));
  else if (inBody.length > 0) obs.finding(`${what}: the body carries ${inBody.join(', ')}`, noted(res.evidence, 'foreign host reflected in the body'));
  else if (saysNothing(res.status)) obs.doubt(`${what} answered ${res.status || 'nothing'}`, res.evidence);
  else obs.saw(noted(res.evidence, `not reflected${location ? ` (Location: ${location})` : ''}`));
}

/**
 * CR/LF only matters where a parameter reaches a response header. Also tried percent-encoded
 * inside X-Forwarded-Host, for a server that decodes the header before reflecting it.
 */
async function crlf(ctx: CheckContext, obs: Verdicts, probe: RequestTemplate): Promise<void> {
  const cookie = `crucible${randomBytes(4).toString('hex')}`;
  const payloads = probe.path.includes('{payload}') ? ['\r\n', '\n', '\u560d\u560a'].map((eol) => `/${eol}Set-Cookie: ${cookie}=1`) : [];
  for (const payload of payloads) {
    const r = expandTemplate(probe, { payload });
    judgeCrlf(obs, `${probe.method} ${r.path}`, await ctx.http.request({ method: r.method, path: r.path }), cookie);
  }
  const encoded = `${evilHost('xfh')}%0d%0aSet-Cookie:%20${cookie}=1`;
  const plain = expandTemplate(probe, { payload: 'crucible' });
  judgeCrlf(
    obs,
    `${probe.method} ${plain.path} with an encoded CR/LF in X-Forwarded-Host`,
    await ctx.http.request({ method: plain.method, path: plain.path, headers: { 'x-forwarded-host': encoded } }),
    cookie,
  );
}

function judgeCrlf(obs: Verdicts, what: string, res: Reply, cookie: string): void {
  const injected = Object.entries(res.headers).filter(([k, v]) => k.toLowerCase() !== 'location' && `${k}: ${String(v)}`.includes(cookie));
  if (injected.length > 0)
    obs.finding(
      `${what}: the answer carries an injected header (${injected.map(([k, v]) => `${k}: ${String(v)}`).join('; ')})`,
      noted(res.evidence, 'header injected through CR/LF'),
    );
  else if (res.status === 0) obs.doubt(`${what} got no answer`, res.evidence);
  else obs.saw(noted(res.evidence, 'no injected header'));
}

function header(res: Reply, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
