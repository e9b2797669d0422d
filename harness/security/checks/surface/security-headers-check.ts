import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { loginPath, needsNothing, noted, Verdicts } from '../../toolkit/index.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;
const get = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/** What each response must carry (or must not), as [what is wrong, test]. */
const RULES: readonly (readonly [string, (h: Headers) => boolean])[] = [
  ['no Content-Security-Policy', (h) => !get(h, 'content-security-policy')],
  [
    'framing allowed (no CSP frame-ancestors, no X-Frame-Options DENY/SAMEORIGIN)',
    (h) => !/frame-ancestors/i.test(get(h, 'content-security-policy') ?? '') && !/^(deny|sameorigin)$/i.test(get(h, 'x-frame-options')?.trim() ?? ''),
  ],
  ['no Strict-Transport-Security', (h) => !/max-age=\s*[1-9]/i.test(get(h, 'strict-transport-security') ?? '')],
  ['no X-Content-Type-Options: nosniff', (h) => (get(h, 'x-content-type-options') ?? '').trim().toLowerCase() !== 'nosniff'],
  ['X-Powered-By present', (h) => get(h, 'x-powered-by') !== undefined],
  ['a version in the Server banner', (h) => /\d+\.\d+/.test(get(h, 'server') ?? '')],
];

export const securityHeadersCheck = defineCheck({
  id: 'SEC-CFG-01',
  title: 'Security headers',
  owasp: 'API8',
  cwe: [693, 1021],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N', score: 4.2 },
  attackClass: 'misconfiguration',
  provenBy: ['no-security-headers'],
  description:
    "GETs the base URL's root (the web UI) and the protected probe without a token (an API error answer). Each answer must carry a Content-Security-Policy, framing protection (CSP frame-ancestors or X-Frame-Options DENY/SAMEORIGIN), Strict-Transport-Security with a max-age, and X-Content-Type-Options: nosniff, and must not carry X-Powered-By or a Server banner with a version. Fails naming what is missing where; no answer is an error.",
  applies: needsNothing,
  run,
});

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const v = new Verdicts();
  const paths = [...new Set(['/', ctx.profile.protectedProbe?.path ?? loginPath(ctx.profile)])];
  for (const path of paths) {
    const res = await ctx.http.request({ method: 'GET', path });
    if (res.status === 0) {
      v.doubt(`GET ${path} got no answer`, res.evidence);
      continue;
    }
    const wrong = RULES.filter(([, bad]) => bad(res.headers)).map(([what]) => what);
    if (wrong.length > 0) v.finding(`GET ${path} (${res.status}): ${wrong.join(', ')}`, noted(res.evidence, wrong.join(', ')));
    else v.saw(noted(res.evidence, 'CSP, frame-ancestors, HSTS, nosniff; no X-Powered-By, no versioned Server'));
  }
  return v.outcome(`every answer (${paths.join(', ')}) carries CSP with frame-ancestors, HSTS and nosniff, and no X-Powered-By or version banner`);
}
