import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFault, FaultJournal, faultJournalPath, type AppliedFault, type FaultSpec, type JournalTarget } from '../../../faults/index.ts';
import type { CheckContext, CheckOutcome, SecurityCheck } from '../../security-check.ts';
import { burstSize, limitBroken, loginEvaluated, strangerLogins } from './login-attempts.ts';
import { freshLoopbackSource, pinnedHttp } from './pinned-http.ts';
import { burst, describeTally, median, tallyEvidence } from './request-burst.ts';
import { missingFields, Verdicts } from '../../toolkit/index.ts';

const CONCURRENCY = 16;
/** Far over the platform's 250 ms limiter budget: every limiter call times out and takes its failure path. */
const REDIS_LATENCY_MS = 1_000;
/** Toxiproxy applies a toxic to live connections at once; a moment more lets in-flight commands feel it. */
const SETTLE_MS = 300;
/** The dead-man's switch: however the burst goes, the fault does not outlive this. */
const MAX_FAULT_MS = 20_000;
/** A limiter that waited for the slow store answers slower than this; faster means the fault missed it. */
const SLOWED_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const limiterFailClosedCheck: SecurityCheck = {
  id: 'SEC-RL-05',
  title: "Login limit holds while the limiter's Redis is failing",
  owasp: 'API4',
  cwe: [636, 307],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 5.9 },
  attackClass: 'rate-limiting',
  provenBy: ['rate-limit-fail-open'],
  description:
    'Local target only (it needs the fault layer). Puts a 1 s latency toxic on every gateway-redis-* mesh edge (journaled in a temporary folder first, reverted in every case, and after 20 s at the latest), then sends the login limit + 10 % + 10 logins for unknown usernames from one fresh client address through the base URL. Passes when no more than the per-IP login limit + 10 % were evaluated, the rest throttled (429) or refused (503): the limiter failed closed or fell back to a local limit. Fails when more got through, or more than the limit without a single 429 (it failed open). If the logins were not slowed, the fault missed the limiter and the check is an error.',
  applies: (p) => missingFields({ 'rateLimits.loginPerIp': p.rateLimits?.loginPerIp }),
  run,
};

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const { profile, faults } = ctx;
  if (!faults) return { verdict: 'not-applicable', summary: 'needs faults on the target (ctx.faults: the local target only)', evidence: [] };
  const limit = profile.rateLimits!.loginPerIp!;
  const folder = mkdtempSync(join(tmpdir(), 'crucible-sec-rl-05-'));
  // The local environment knows its port base; with it the journal is one `crucible recover` can act on.
  const portBase = (faults as { portBase?: unknown }).portBase;
  const target: JournalTarget | undefined = typeof portBase === 'number' ? { kind: 'local', portBase } : undefined;
  const journal = new FaultJournal(faultJournalPath(folder), target);
  const spec: FaultSpec = { type: 'toxic', proxy: 'gateway-redis-*', toxic: 'latency', attributes: { latency: REDIS_LATENCY_MS } };
  const fault = createFault(spec, faults);
  const http = pinnedHttp(profile.baseUrl, 'SEC-RL-05', await freshLoopbackSource(profile.baseUrl), 15_000);
  const login = strangerLogins(profile);
  const v = new Verdicts();

  let applied: AppliedFault | undefined;
  let reverting: Promise<void> | undefined;
  const revert = (): Promise<void> => {
    if (!applied) return Promise.resolve();
    const a = applied;
    reverting ??= fault.revert(a).then(
      () => journal.revert(a.id, true),
      async (err: unknown) => {
        await journal.revert(a.id, false, (err as Error).message);
        throw err;
      },
    );
    return reverting;
  };
  const deadMan = setTimeout(() => void revert().catch(() => {}), MAX_FAULT_MS);
  try {
    applied = await fault.inject('sec-rl-05', `SEC-RL-05 Redis latency ${REDIS_LATENCY_MS} ms`, journal.inject);
    ctx.log(`SEC-RL-05: ${applied.targets} slowed by ${REDIS_LATENCY_MS} ms (journal ${journal.file})`);
    await sleep(SETTLE_MS);
    const tally = await burst({
      count: burstSize(limit),
      concurrency: CONCURRENCY,
      signal: ctx.signal,
      allowed: loginEvaluated,
      send: (k) => http.request({ method: 'POST', path: profile.auth.login.path, body: login(k) }),
    });
    const slowMs = Math.round(median(tally.latenciesMs));
    const what = `POST ${profile.auth.login.path} with Redis ${REDIS_LATENCY_MS} ms slow on ${applied.targets}: ${describeTally(tally)}, median ${slowMs} ms (limit ${limit}/min per IP)`;
    ctx.log(`SEC-RL-05: ${what}`);
    const evidence = tallyEvidence(tally);
    if (limitBroken(tally, limit)) v.finding(`the login limit failed open: ${what}`, ...evidence);
    else if (slowMs < SLOWED_MS)
      v.doubt(`the logins were not slowed (median ${slowMs} ms): the fault did not reach the limiter, nothing can be judged (${what})`, ...evidence);
    else if (tally.limited + tally.unavailable === 0)
      v.doubt(`nothing was throttled or refused although the burst was not fully evaluated: ${what}`, ...evidence);
    if (tally.noAnswer > 0) v.doubt(`${tally.noAnswer} requests got no answer`, ...evidence);
    v.saw(...evidence);
    const outcome = v.outcome(`the limit held during the fault (${tally.limited} throttled, ${tally.unavailable} refused): ${what}`);
    await revert();
    return outcome;
  } catch (err) {
    // The fault's own failure (injection refused, revert failed) is no verdict on the target.
    const left = applied
      ? await revert().then(
          () => '',
          () => `; the fault may still be in place: crucible recover ${folder}`,
        )
      : '';
    return { verdict: 'error', summary: `the Redis fault could not be run: ${(err as Error).message}${left}`, evidence: [] };
  } finally {
    clearTimeout(deadMan);
    const reverted = await revert().then(
      () => true,
      (err: unknown) => (ctx.log(`SEC-RL-05: reverting the fault failed: ${(err as Error).message}; run crucible recover on ${folder}`), false),
    );
    // The journal is kept only while it is needed: when something may still be left on the target.
    if (reverted) rmSync(folder, { recursive: true, force: true });
    await http.close();
  }
}
