import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { isAccepted, profileNeeds, Verdicts, type NeedsOf } from '../../toolkit/index.ts';
import { burstSize, limitBroken, loginWith } from './login-attempts.ts';
import { burst, describeTally, tallyEvidence } from './request-burst.ts';

const CONCURRENCY = 16;

const NEEDS = { probe: 'protectedProbe', limit: 'rateLimits.perIdentity', identities: 'rateLimits.identities' } as const;

export const identityThrottleCheck = defineCheck({
  id: 'SEC-RL-01',
  title: 'Per-identity rate limit on a protected route',
  owasp: 'API4',
  cwe: [770, 799],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', score: 6.5 },
  attackClass: 'rate-limiting',
  provenBy: ['no-rate-limit'],
  description:
    "Logs in as the profile's first rate-limit identity and sends the limit + 10 % + 10 requests to the protected probe through the base URL, 16 at a time. Passes when 429s come once about the per-identity limit was allowed (no more than the limit + 10 %) and every 429 carries Retry-After. Fails when more than that are allowed (or more than the limit without a single 429), when a 429 comes without Retry-After, or when the burst is answered with 5xx instead. An identity whose budget was already spent (nothing allowed) makes the check an error.",
  applies: (p) => profileNeeds(p, NEEDS),
  run,
});

async function run(ctx: CheckContext, { probe, limit, identities }: NeedsOf<typeof NEEDS>): Promise<CheckOutcome> {
  const [who] = identities;
  const token = await loginWith(ctx.http, ctx.profile, who);
  const tally = await burst({
    count: burstSize(limit),
    concurrency: CONCURRENCY,
    signal: ctx.signal,
    allowed: isAccepted,
    send: () => ctx.http.request({ method: probe.method, path: probe.path, token }),
  });
  ctx.log(`SEC-RL-01: ${describeTally(tally)}`);

  const v = new Verdicts();
  const what = `${probe.method} ${probe.path} as ${who.username}: ${describeTally(tally)}`;
  if (limitBroken(tally, limit)) v.finding(`no per-identity limit: ${what} (limit ${limit}/min)`, ...tallyEvidence(tally));
  else if (tally.allowed === 0)
    v.doubt(`nothing was allowed (${what}): the identity's budget was already spent or the probe does not work`, ...tallyEvidence(tally));
  else if (tally.limited === 0) v.doubt(`no 429 came although the burst was not fully allowed: ${what}`, ...tallyEvidence(tally));
  if (tally.limitedWithoutRetryAfter > 0)
    v.finding(`${tally.limitedWithoutRetryAfter} of ${tally.limited} 429s came without Retry-After`, ...tallyEvidence(tally));
  const serverErrors = [...tally.byStatus.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  if (serverErrors > 0) v.finding(`the burst got ${serverErrors} server errors instead of 429s`, ...tallyEvidence(tally));
  if (tally.noAnswer > 0) v.doubt(`${tally.noAnswer} requests got no answer`, ...tallyEvidence(tally));
  v.saw(...tallyEvidence(tally));
  return v.outcome(`throttled after about the limit: ${what} (limit ${limit}/min)`);
}
