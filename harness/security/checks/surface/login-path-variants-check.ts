import type { CheckContext, CheckOutcome, Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { loginPath, noted, Verdicts } from '../../toolkit/index.ts';
import { LOGIN_LIMIT_CHECK, loginBurst, loginEvaluated, type LoginLimitNeeds, pinnedLogin, strangerLogins } from './login-attempts.ts';
import { freshLoopbackSource, pinnedHttp } from './pinned-http.ts';
import { describeTally, tallyEvidence } from './request-burst.ts';

const CONCURRENCY = 8;
/** 429s in a row that show the bucket is spent (a few: concurrent requests straddle the edge). */
const SPENT_AFTER = 5;

const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Spellings of one route that routers, proxies and limiters disagree about: a limiter keyed on the
 * raw path gives each its own bucket, while the router may still send it to the login.
 */
function pathVariants(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  const head = `/${segments.slice(0, -1).join('/')}`;
  const first = segments[0] ?? '';
  const variants = [
    `${path}/`,
    `/${first.toUpperCase()}/${segments.slice(1).join('/')}`,
    `${head}//${last}`,
    `${head}%2F${last}`,
    `${head}/./${last}`,
    `${path};x`,
    `${path}?x=1`,
    `/${hex(first[0] ?? 'a')}${first.slice(1)}/${segments.slice(1).join('/')}`,
    `${head}/${hex(last[0] ?? 'l')}${last.slice(1)}`,
    `${path}%20`,
    `${path}.json`,
  ];
  return [...new Set(variants)].filter((v) => v !== path);
}

export const loginPathVariantsCheck = defineCheck({
  id: 'SEC-RL-04',
  title: 'Login limit across spellings of the login path',
  owasp: 'API4',
  cwe: [770, 307],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
  provenBy: ['no-login-throttle'],
  description:
    'From one client (a fresh loopback source address on a local target), spends the per-IP login budget on the login path with logins for unknown usernames until 429s come, then sends one login to each spelling of the path: trailing slash, upper case, doubled slash, %2F, /./, ;x, a query string, percent-encoded letters, %20, .json. Passes when each is throttled (429, the same bucket) or is no route at all (400, 403, 404, 405, 414, 501). Fails when a spelling reaches the login (2xx, 401, 423) after the budget was spent, or when the login path itself was never throttled. No answer or a 5xx is an error.',
  ...LOGIN_LIMIT_CHECK,
  run,
});

const NOT_A_ROUTE = new Set([400, 403, 404, 405, 414, 501]);

async function run(ctx: CheckContext, { limit }: LoginLimitNeeds): Promise<CheckOutcome> {
  const { profile } = ctx;
  const path = loginPath(profile);
  await using http = pinnedHttp(profile.baseUrl, 'SEC-RL-04', await freshLoopbackSource(profile.baseUrl));
  const login = strangerLogins(profile);
  const v = new Verdicts();
  const spend = await loginBurst(http, profile, limit, { concurrency: CONCURRENCY, signal: ctx.signal, login, stop: (t) => t.limited >= SPENT_AFTER });
  const spent = `spending the budget on POST ${path}: ${describeTally(spend)}`;
  ctx.log(`SEC-RL-04: ${spent}`);
  if (spend.limited === 0) {
    if (spend.allowed > 0) v.finding(`the login path itself was never throttled (${spent}, limit ${limit}/min)`, ...tallyEvidence(spend));
    else v.doubt(`no login was evaluated or throttled (${spent})`, ...tallyEvidence(spend));
    return v.outcome('');
  }
  v.saw(...tallyEvidence(spend));

  let k = spend.sent;
  const outcomes: Evidence[] = [];
  for (const variant of pathVariants(path)) {
    if (ctx.signal.aborted) break;
    const res = await http.request({ ...pinnedLogin(login(k++)), path: variant });
    if (res.status === 429) outcomes.push(noted(res.evidence, 'same bucket (429)'));
    else if (NOT_A_ROUTE.has(res.status)) outcomes.push(noted(res.evidence, 'not the login route'));
    else if (loginEvaluated(res.status))
      v.finding(
        `POST ${variant} reached the login (${res.status}) after the budget was spent: a bucket of its own`,
        noted(res.evidence, 'evaluated after the budget was spent'),
      );
    else v.doubt(`POST ${variant} answered ${res.status || 'nothing'}`, res.evidence);
  }
  v.saw(...outcomes);
  return v.outcome(`every spelling of ${path} was throttled with the login (same bucket) or is no route (${spent})`);
}
