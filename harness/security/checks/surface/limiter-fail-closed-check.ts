import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createFault,
  FaultJournal,
  faultJournalPath,
  injectFault,
  pendingFaults,
  readJournal,
  type FaultEnvironment,
  type FaultSpec,
} from '../../../faults/index.ts';
import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { burstSize, limitBroken, LOGIN_LIMIT_CHECK, loginEvaluated, type LoginLimitNeeds, pinnedLogin, strangerLogins } from './login-attempts.ts';
import { freshLoopbackSource, pinnedHttp, type PinnedHttp } from './pinned-http.ts';
import { burst, describeTally, median, tallyEvidence } from './request-burst.ts';
import { loginPath, Verdicts } from '../../toolkit/index.ts';

const CONCURRENCY = 16;
/** Far over the platform's 250 ms limiter budget: every limiter call times out and takes its failure path. */
const REDIS_LATENCY_MS = 1_000;
/** Toxiproxy applies a toxic to live connections at once; a moment more lets in-flight commands feel it. */
const SETTLE_MS = 300;
/** The dead-man's switch: however the burst goes, the fault does not outlive this. */
const MAX_FAULT_MS = 20_000;
/** A limiter that waited for the slow store answers slower than this; faster means the fault missed it. */
const SLOWED_MS = 200;

export const limiterFailClosedCheck = defineCheck({
  id: 'SEC-RL-05',
  title: "Login limit holds while the limiter's Redis is failing",
  owasp: 'API4',
  cwe: [636, 307],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 5.9 },
  provenBy: ['rate-limit-fail-open'],
  description:
    'Local target only (it needs the fault layer). Puts a 1 s latency toxic on every gateway-redis-* mesh edge (journaled in a temporary folder first, reverted in every case, and after 20 s at the latest), then sends the login limit + 10 % + 10 logins for unknown usernames from one fresh client address through the base URL. Passes when no more than the per-IP login limit + 10 % were evaluated, the rest throttled (429) or refused (503): the limiter failed closed or fell back to a local limit. Fails when more got through, or more than the limit without a single 429 (it failed open). If the logins were not slowed, the fault missed the limiter and the check is an error.',
  ...LOGIN_LIMIT_CHECK,
  run,
});

async function run(ctx: CheckContext, { limit }: LoginLimitNeeds): Promise<CheckOutcome> {
  const { profile, faults } = ctx;
  if (!faults) return { verdict: 'not-applicable', summary: 'needs faults on the target (ctx.faults: the local target only)', evidence: [] };
  const folder = mkdtempSync(join(tmpdir(), 'crucible-sec-rl-05-'));
  // The journal names the target, so `crucible recover` can act on it.
  const journal = new FaultJournal(faultJournalPath(folder), faults.target);
  const leftBehind = (): boolean => existsSync(journal.file) && pendingFaults(readJournal(journal.file)).length > 0;
  // Disposed last, once the fault has been reverted (or has failed to be): the journal is kept only
  // while it is needed, when something may still be left on the target.
  using _journalFolder = {
    [Symbol.dispose]: () => {
      if (leftBehind()) ctx.log(`SEC-RL-05: the Redis fault may still be in place: run crucible recover on ${folder}`);
      else rmSync(folder, { recursive: true, force: true });
    },
  };
  await using http = pinnedHttp(profile.baseUrl, 'SEC-RL-05', await freshLoopbackSource(profile.baseUrl), 15_000);
  try {
    return await loginsWhileRedisIsSlow(ctx, faults, journal, http, limit);
  } catch (err) {
    // The fault's own failure (injection refused, revert failed) is no verdict on the target. When the
    // attack and the revert both failed, the attack's error says what went wrong first.
    const cause = err instanceof SuppressedError ? err.suppressed : err;
    const left = leftBehind() ? `; the fault may still be in place: crucible recover ${folder}` : '';
    return { verdict: 'error', summary: `the Redis fault could not be run: ${(cause as Error).message}${left}`, evidence: [] };
  }
}

/** The burst with the limiter's Redis slowed; the fault is reverted on the way out, and a failed revert throws. */
async function loginsWhileRedisIsSlow(
  ctx: CheckContext,
  faults: FaultEnvironment,
  journal: FaultJournal,
  http: PinnedHttp,
  limit: number,
): Promise<CheckOutcome> {
  const { profile } = ctx;
  const spec: FaultSpec = { type: 'toxic', proxy: 'gateway-redis-*', toxic: 'latency', attributes: { latency: REDIS_LATENCY_MS } };
  await using fault = await injectFault(createFault(spec, faults), {
    id: 'sec-rl-05',
    name: `SEC-RL-05 Redis latency ${REDIS_LATENCY_MS} ms`,
    journal,
    maxDurationMs: MAX_FAULT_MS,
  });
  ctx.log(`SEC-RL-05: ${fault.targets} slowed by ${REDIS_LATENCY_MS} ms (journal ${journal.file})`);
  await sleep(SETTLE_MS);
  const login = strangerLogins(profile);
  const tally = await burst({
    count: burstSize(limit),
    concurrency: CONCURRENCY,
    signal: ctx.signal,
    allowed: loginEvaluated,
    send: (k) => http.request(pinnedLogin(login(k))),
  });
  const slowMs = Math.round(median(tally.latenciesMs));
  const what = `POST ${loginPath(profile)} with Redis ${REDIS_LATENCY_MS} ms slow on ${fault.targets}: ${describeTally(tally)}, median ${slowMs} ms (limit ${limit}/min per IP)`;
  ctx.log(`SEC-RL-05: ${what}`);
  const evidence = tallyEvidence(tally);
  const v = new Verdicts();
  if (limitBroken(tally, limit)) v.finding(`the login limit failed open: ${what}`, ...evidence);
  else if (slowMs < SLOWED_MS)
    v.doubt(`the logins were not slowed (median ${slowMs} ms): the fault did not reach the limiter, nothing can be judged (${what})`, ...evidence);
  else if (tally.limited + tally.unavailable === 0)
    v.doubt(`nothing was throttled or refused although the burst was not fully evaluated: ${what}`, ...evidence);
  if (tally.noAnswer > 0) v.doubt(`${tally.noAnswer} requests got no answer`, ...evidence);
  v.saw(...evidence);
  return v.outcome(`the limit held during the fault (${tally.limited} throttled, ${tally.unavailable} refused): ${what}`);
}
