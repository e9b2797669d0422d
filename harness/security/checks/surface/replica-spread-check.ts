import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { applicable, isAccepted, notApplicable, noted, profileNeeds, Verdicts, type NeedsOf } from '../../toolkit/index.ts';
import { allowance, loginWith } from './login-attempts.ts';
import { burst, describeTally, tallyEvidence } from './request-burst.ts';

const CONCURRENCY = 16;
/** Consecutive 429s from every replica after which the aggregate is settled (a shared count refuses on all of them). */
const SETTLED_429S = 10;

const NEEDS = { probe: 'protectedProbe', limit: 'rateLimits.perIdentity', identities: 'rateLimits.identities' } as const;

const atLeastTwo = <T>(xs: readonly T[]): xs is readonly [T, T, ...T[]] => xs.length >= 2;

export const replicaSpreadCheck = defineCheck({
  id: 'SEC-RL-02',
  title: 'Rate limit shared across replicas',
  owasp: 'API4',
  cwe: [770],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', score: 6.5 },
  attackClass: 'rate-limiting',
  provenBy: ['replica-local-limits'],
  description:
    "Logs in as a rate-limit identity (the second, so the first check's spent budget does not hide anything) and sends the protected probe round-robin straight to each replica's base URL, up to limit × replicas + 10 % requests, stopping once every replica has refused 10 in a row or the limit is clearly exceeded. Passes when the replicas together allowed no more than the per-identity limit + 10 %; fails when the aggregate is higher (each replica counting on its own multiplies the limit by the replicas). Nothing allowed, or a replica that does not answer, is an error.",
  applies: (p) => {
    const found = profileNeeds(p, NEEDS);
    if (!found.ok) return found;
    const replicas = p.rateLimits?.replicas ?? [];
    return atLeastTwo(replicas)
      ? applicable({ ...found.needs, replicas })
      : notApplicable(['rateLimits.replicas'], 'the profile does not give two or more profile.rateLimits.replicas');
  },
  run,
});

async function run(ctx: CheckContext, needs: NeedsOf<typeof NEEDS> & { readonly replicas: readonly [string, string, ...string[]] }): Promise<CheckOutcome> {
  const { probe, limit, replicas, identities } = needs;
  const who = identities[1] ?? identities[0];
  const token = await loginWith(ctx.http, ctx.profile, who);
  const streak = new Map(replicas.map((r) => [r, 0]));
  const tally = await burst({
    count: Math.ceil(limit * replicas.length * 1.1),
    concurrency: CONCURRENCY,
    signal: ctx.signal,
    allowed: isAccepted,
    send: async (k) => {
      const target = replicas[k % replicas.length] ?? replicas[0];
      const res = await ctx.http.request({ method: probe.method, path: probe.path, token, baseUrl: target });
      streak.set(target, res.status === 429 ? (streak.get(target) ?? 0) + 1 : 0);
      return { ...res, target };
    },
    stop: (t) => t.allowed > allowance(limit) || [...streak.values()].every((n) => n >= SETTLED_429S),
  });
  const per = replicas.map((r) => `${r}: ${tally.allowedBy.get(r) ?? 0}`).join(', ');
  const what = `${probe.method} ${probe.path} as ${who.username} over ${replicas.length} replicas: ${describeTally(tally)} (allowed per replica: ${per})`;
  ctx.log(`SEC-RL-02: ${what}`);

  const v = new Verdicts();
  const evidence = tallyEvidence(tally);
  if (tally.allowed > allowance(limit)) v.finding(`the replicas together allowed more than the limit of ${limit}/min: ${what}`, ...evidence);
  else if (tally.allowed === 0)
    v.doubt(`nothing was allowed (${what}): the identity's budget was already spent or the replicas do not serve the probe`, ...evidence);
  const silent = replicas.filter((r) => (tally.allowedBy.get(r) ?? 0) === 0 && (streak.get(r) ?? 0) === 0);
  if (silent.length > 0) v.doubt(`replica(s) ${silent.join(', ')} neither allowed nor throttled anything`, ...evidence);
  if (tally.noAnswer > 0) v.doubt(`${tally.noAnswer} requests got no answer`, ...evidence);
  v.saw(...evidence.map((e) => noted(e, per)));
  return v.outcome(`one shared budget: ${what}`);
}
