import { randomBytes } from 'node:crypto';
import type { CheckContext, Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { RequestTemplate } from '../../target-profile.ts';
import { Inconclusive, isAccepted, isServerError, noted, profileNeeds, saysNothing, sendTemplate, Verdicts } from '../../toolkit/index.ts';
import { resultCount } from './json-paths.ts';

const MAX_INPUTS = 3;
/** What the database says when a quote broke the statement (PostgreSQL, MySQL, SQLite, SQL Server, Oracle). */
const SQL_ERROR =
  /syntax error at or near|unterminated quoted string|SQLSTATE|invalid input syntax for|column "[^"]*" does not exist|each UNION query must have|You have an error in your SQL syntax|SQLITE_ERROR|unrecognized token|Unclosed quotation mark|ORA-\d{5}|pg_query|PG::\w+Error/i;
/** pg_sleep(SLEEP_S): a delay this much longer than the slowest baseline shows it ran. */
const SLEEP_S = 3;
const DELAY_MS = 1_200;

/**
 * Each probe starts with a word no record holds (a fresh nonce), so the query as data matches
 * nothing and the input as SQL shows as a difference. Pairs put a tautology beside the same text
 * made false: for each context the injection may land in (a plain string, a function argument, a
 * LIKE pattern, with or without what follows commented away).
 */
const BOOLEAN_PAIRS = [
  { context: 'bare string', truthy: "' OR '1'='1", falsy: "' OR '1'='2" },
  { context: 'string', truthy: "{n}' OR '1'='1' OR '1'='", falsy: "{n}' OR '1'='2' OR '1'='" },
  { context: 'function argument', truthy: "{n}') OR ('1'='1", falsy: "{n}') OR ('1'='2" },
  { context: 'commented tail', truthy: "{n}' OR 1=1-- ", falsy: "{n}' OR 1=2-- " },
  { context: 'commented tail in parentheses', truthy: "{n}') OR 1=1-- ", falsy: "{n}') OR 1=2-- " },
] as const;
const QUOTE_BREAKERS = [
  { broken: "{n}'", balanced: "{n}''" },
  { broken: "{n}')", balanced: "{n}'')" },
  { broken: '{n}"', balanced: '{n}""' },
] as const;
const UNION_COLUMNS = 10;
/** Closing a string, and a string inside a function call. */
const UNION_CLOSERS = ["'", "')"] as const;
const SLEEPS = [
  `'; SELECT pg_sleep(${SLEEP_S})-- `,
  `'); SELECT pg_sleep(${SLEEP_S})-- `,
  `{n}' OR (SELECT 1 FROM pg_sleep(${SLEEP_S})) = 1 OR '1'='`,
  `{n}') OR (SELECT 1 FROM pg_sleep(${SLEEP_S})) = 1 OR ('1'='`,
] as const;

export const sqlInjectionCheck = defineCheck({
  id: 'SEC-INJ-01',
  title: 'SQL injection in query inputs',
  owasp: 'API8',
  cwe: [89],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
  attackClass: 'injection',
  provenBy: ['sql-injection'],
  description: `For each injection input, sent as userA: three baselines with a nonsense word (result count and latency), quote breakers beside their balanced twins (', '), "), boolean pairs (' OR '1'='1 beside ' OR '1'='2, in string, function-argument and commented-tail contexts), UNION SELECT probes with 1 to ${UNION_COLUMNS} columns after ' and '), and time-based probes ('; SELECT pg_sleep(${SLEEP_S})-- stacked after ' and '), and in-expression pg_sleep): about 50 requests per input, plus two plain searches after each 5xx. Fails when a tautology answers far more results than its false twin and the nonsense search, a UNION adds rows, a database error shows in an answer, a quote alone makes the server fail where its balanced twin does not, or a sleep probe is slower than every baseline by ${DELAY_MS / 1000} s or more twice in a row. A plain search refused or failing is an error, never a pass.`,
  applies: (p) => profileNeeds(p, { inputs: 'injectionInputs' }, () => 'the profile has no injection inputs (profile.injectionInputs)'),
  run,
});

interface Probe {
  readonly status: number;
  readonly count: number;
  readonly ms: number;
  readonly text: string;
  readonly evidence: Evidence;
}

async function run(ctx: CheckContext, { inputs }: { readonly inputs: readonly RequestTemplate[] }) {
  const obs = new Verdicts();
  // As userA: an input behind a login must be reached to be tested (a public one answers a signed-in user too).
  const userA = await ctx.login('userA');
  for (const input of inputs.slice(0, MAX_INPUTS)) {
    if (ctx.signal.aborted) break;
    await attack(ctx, obs, input, userA.token);
  }
  return obs.outcome('no input behaved like SQL: tautologies matched as little as their false twins, no UNION rows, no database error, no delay');
}

async function attack(ctx: CheckContext, obs: Verdicts, input: RequestTemplate, token: string): Promise<void> {
  const where = `${input.method} ${input.path}`;
  const probe = async (payload: string, timeoutMs = 10_000): Promise<Probe> => {
    const started = performance.now();
    const res = await sendTemplate(ctx, input, { values: { payload: payload.replaceAll('{n}', nonce()) }, timeoutMs, token });
    const ms = performance.now() - started;
    // Circuit breakers count consecutive failures per replica: two successes after each failure
    // reach both replicas of a round-robin pair, so no probe (and no later check) meets an open circuit.
    if (isServerError(res.status)) for (let i = 0; i < 2; i++) await sendTemplate(ctx, input, { values: { payload: nonce() }, token });
    return { status: res.status, count: resultCount(res.json()), ms, text: res.text, evidence: res.evidence };
  };
  const leaks = (p: Probe, payload: string): boolean => {
    const m = SQL_ERROR.exec(p.text);
    if (m) obs.finding(`${where} with ${JSON.stringify(payload)} leaked a database error ("${m[0]}")`, noted(p.evidence, 'database error in the answer'));
    return m !== null;
  };

  const baselines: Probe[] = [];
  for (let i = 0; i < 3; i++) baselines.push(await probe('{n}'));
  const base = baselines[0] as Probe;
  if (baselines.some((b) => b.status === 0))
    throw new Inconclusive(
      `${where} did not answer a plain search`,
      baselines.map((b) => b.evidence),
    );
  if (baselines.some((b) => isServerError(b.status)))
    throw new Inconclusive(
      `${where} fails (${base.status}) on a plain search: nothing to compare with`,
      baselines.map((b) => b.evidence),
    );
  // A refused plain search makes every probe a refusal too: that is no sign of safety.
  if (baselines.some((b) => !isAccepted(b.status)))
    throw new Inconclusive(
      `${where} refused a plain search as userA (${base.status}): nothing to compare with (the profile's input or its route is wrong)`,
      baselines.map((b) => b.evidence),
    );
  obs.saw(noted(base.evidence, `baseline: ${base.count} result(s)`));
  let slowest = Math.max(...baselines.map((b) => b.ms));

  for (const q of QUOTE_BREAKERS) {
    const broken = await probe(q.broken);
    const balanced = await probe(q.balanced);
    if (leaks(broken, q.broken) || leaks(balanced, q.balanced)) continue;
    if (isServerError(broken.status) && !saysNothing(balanced.status)) {
      obs.finding(
        `${where}: a lone quote (${JSON.stringify(q.broken)}) makes it fail with ${broken.status}, the balanced ${JSON.stringify(q.balanced)} answers ${balanced.status}`,
        noted(broken.evidence, 'quote breaks the statement'),
        noted(balanced.evidence, 'balanced twin'),
      );
    } else obs.saw(noted(broken.evidence, `quote breaker: ${broken.status}`));
  }

  for (const pair of BOOLEAN_PAIRS) {
    const t = await probe(pair.truthy);
    const f = await probe(pair.falsy);
    if (leaks(t, pair.truthy) || leaks(f, pair.falsy)) continue;
    // "Far more": a tautology matches everything, so at least twice what the false twin and the nonsense search match.
    if (t.count > 0 && t.count > 2 * Math.max(f.count, base.count, 0)) {
      obs.finding(
        `${where}: the tautology ${JSON.stringify(pair.truthy)} (${pair.context}) answered ${t.count} result(s), its false twin ${f.count}, a nonsense search ${base.count}`,
        noted(t.evidence, 'tautology'),
        noted(f.evidence, 'false twin'),
        noted(base.evidence, 'baseline'),
      );
    } else obs.saw(noted(t.evidence, `tautology: ${t.count} result(s) (${t.status})`));
  }

  union: for (const close of UNION_CLOSERS) {
    for (let cols = 1; cols <= UNION_COLUMNS && !ctx.signal.aborted; cols++) {
      const payload = `{n}${close} UNION SELECT ${Array(cols).fill('NULL').join(',')}-- `;
      const u = await probe(payload);
      if (leaks(u, payload)) break union;
      if (isAccepted(u.status) && u.count > Math.max(base.count, 0)) {
        obs.finding(
          `${where}: ${JSON.stringify(payload)} added rows (${u.count} against ${base.count})`,
          noted(u.evidence, 'UNION rows'),
          noted(base.evidence, 'baseline'),
        );
        break union;
      }
    }
  }

  for (const payload of SLEEPS) {
    if (ctx.signal.aborted) break;
    const first = await probe(payload, (SLEEP_S + 5) * 1000);
    leaks(first, payload);
    // A fresh baseline between sleeps: a successful answer keeps the target's circuit breakers closed, and a busy machine shows up in it.
    const fresh = await probe('{n}');
    slowest = Math.max(slowest, fresh.ms);
    if (first.ms - slowest < DELAY_MS) continue;
    const second = await probe(payload, (SLEEP_S + 5) * 1000);
    const again = await probe('{n}');
    if (second.ms - Math.max(slowest, again.ms) >= DELAY_MS) {
      obs.finding(
        `${where}: ${JSON.stringify(payload)} took ${Math.round(first.ms)} ms and ${Math.round(second.ms)} ms, a plain search at most ${Math.round(Math.max(slowest, again.ms))} ms`,
        noted(first.evidence, `${Math.round(first.ms)} ms`),
        noted(second.evidence, `${Math.round(second.ms)} ms`),
        noted(again.evidence, `baseline ${Math.round(again.ms)} ms`),
      );
      break;
    }
  }
}

const nonce = (): string => `zq${randomBytes(5).toString('hex')}`;
