import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { createdId, isAccepted, isServerError, needsNothing, noted, sendTemplate, Verdicts } from '../../toolkit/index.ts';

/** What debug builds, docs generators and deploys leave behind (nuclei's and ZAP's exposure probes). */
const LEFTOVERS = [
  '/.env',
  '/debug/vars',
  '/debug/pprof/',
  '/graphiql',
  '/playground',
  '/altair',
  '/voyager',
  '/swagger.json',
  '/swagger-ui/',
  '/openapi.json',
  '/api-docs',
  '/.git/config',
  '/.git/HEAD',
  '/config.json',
];
const VERSIONS = ['v0', 'v1', 'beta', 'internal'];
/**
 * API documents: many APIs publish them on purpose, and a document served is no leak by itself
 * (what it describes is still guarded). Served, they are informational, noted in the evidence, never a finding.
 */
const API_DOCUMENTS: ReadonlySet<string> = new Set(['/swagger.json', '/swagger-ui/', '/openapi.json', '/api-docs']);

/** Old and parallel versions of a route: `/api/me` → `/api/v0/me`, `/v0/api/me`. */
function versionsOf(path: string): string[] {
  const [first, ...rest] = path.split('/').filter(Boolean);
  if (!first) return [];
  return VERSIONS.flatMap((v) => [`/${first}/${v}/${rest.join('/')}`.replace(/\/$/, ''), `/${v}${path}`]);
}

/** A real object of userA's (so an unauthenticated old version has something to leak), or undefined when the profile has none. */
async function ownedObjectPath(ctx: CheckContext): Promise<string | undefined> {
  const r = ctx.profile.resources?.find((x) => x.read.method === 'GET');
  if (!r) return undefined;
  const userA = await ctx.login('userA');
  const res = await sendTemplate(ctx, r.create, { token: userA.token });
  const id = createdId(res, r.idField)?.id;
  return isAccepted(res.status) && id !== undefined ? r.read.path.replace('{id}', encodeURIComponent(String(id))) : undefined;
}

export const debugRoutesCheck = defineCheck({
  id: 'SEC-INV-01',
  title: 'Debug routes, leftover files and old API versions',
  owasp: 'API9',
  cwe: [1059, 489, 538],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', score: 7.5 },
  attackClass: 'inventory',
  provenBy: ['debug-routes'],
  description:
    "GETs, without credentials, what debug builds and deploys leave behind (/.env, /debug/vars, /debug/pprof/, GraphQL IDEs, Swagger/OpenAPI documents, /.git/config...), and old or parallel versions (v0, v1, beta, internal) of the protected probe and of the read route of one of userA's objects created for the purpose. Passes when each is absent or refused (401, 403, 404, 405, 410); a Swagger/OpenAPI document served is informational (noted, never a finding: APIs publish them on purpose). Fails on any other 2xx that is not the web UI's own page: secrets, process internals or an unauthenticated old API. No answer is an error.",
  applies: needsNothing,
  run,
});

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const v = new Verdicts();
  // A single-page app may answer every unknown path with its index page: that is not a leak.
  const home = await ctx.http.request({ method: 'GET', path: '/' });
  if (home.status === 0) return { verdict: 'error', summary: `${ctx.profile.baseUrl} does not answer`, evidence: [home.evidence] };

  const routes = [ctx.profile.protectedProbe?.path, await ownedObjectPath(ctx)].filter((p): p is string => p !== undefined);
  const paths = [...LEFTOVERS, ...routes.flatMap(versionsOf)];
  for (const path of paths) {
    const res = await ctx.http.request({ method: 'GET', path });
    if (res.status === 0) v.doubt(`GET ${path} got no answer`, res.evidence);
    else if (isAccepted(res.status) && API_DOCUMENTS.has(path))
      v.saw(noted(res.evidence, 'an API document, served without credentials: informational (publishing it may be on purpose)'));
    else if (isAccepted(res.status) && !(isAccepted(home.status) && res.text === home.text))
      v.finding(`GET ${path} answered ${res.status} without credentials`, noted(res.evidence, 'served'));
    else if (isServerError(res.status)) v.doubt(`GET ${path} answered ${res.status}`, res.evidence);
    else v.saw(noted(res.evidence, `absent or refused (${res.status})`));
  }
  return v.outcome(`none of ${paths.length} debug, documentation, leftover or old-version paths answers without credentials`);
}
