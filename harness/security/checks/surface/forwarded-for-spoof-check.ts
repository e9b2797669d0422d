import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { loginPath, Verdicts } from '../../toolkit/index.ts';
import { limitBroken, LOGIN_LIMIT_CHECK, loginBurst, type LoginLimitNeeds } from './login-attempts.ts';
import { freshLoopbackSource, pinnedHttp } from './pinned-http.ts';
import { describeTally, tallyEvidence } from './request-burst.ts';

const CONCURRENCY = 8;

/** A different address per request, from the documentation ranges (RFC 5737): never a real client. */
function spoofedIp(k: number): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[Math.floor(k / 254) % nets.length]}.${(k % 254) + 1}`;
}

/** Every header a proxy chain (or a naive limiter) may take the client's address from. */
function spoofHeaders(ip: string): Record<string, string> {
  return {
    'x-forwarded-for': ip,
    'x-real-ip': ip,
    forwarded: `for=${ip}`,
    'true-client-ip': ip,
    'x-client-ip': ip,
    'cf-connecting-ip': ip,
  };
}

export const forwardedForSpoofCheck = defineCheck({
  id: 'SEC-RL-03',
  title: 'Login limit keyed on a spoofable client-IP header',
  owasp: 'API4',
  cwe: [290, 348, 307],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
  provenBy: ['trust-forwarded-for'],
  description:
    'First the control: the login limit + 10 % + 10 logins for unknown usernames from one client (a fresh loopback source address on a local target) must meet 429s, or there is no limit to bypass and the check is not applicable (a limit that does not hold is not reported as a bypass of it). Then the same burst from another client, each login claiming a different client address in X-Forwarded-For, X-Real-IP, Forwarded, True-Client-IP, X-Client-IP and CF-Connecting-IP. Passes when 429s come after no more than the per-IP login limit + 10 % were evaluated; fails when more were, or more than the limit without a single 429 (the limit is keyed on what the client says). Nothing evaluated is an error.',
  ...LOGIN_LIMIT_CHECK,
  run,
});

async function run(ctx: CheckContext, { limit }: LoginLimitNeeds): Promise<CheckOutcome> {
  const { profile } = ctx;
  const route = `POST ${loginPath(profile)}`;
  // Controls before verdicts: a bypass shows only where the limit holds without it. From a source of
  // its own (a remote target sees one address whatever we do: then the forged burst comes after
  // this client's budget is spent, and a limit keyed on the connection answers it 429 at once).
  const controlSource = await freshLoopbackSource(profile.baseUrl);
  const control = await (async () => {
    await using http = pinnedHttp(profile.baseUrl, 'SEC-RL-03', controlSource);
    return await loginBurst(http, profile, limit, { concurrency: CONCURRENCY, signal: ctx.signal });
  })();
  const controlWhat = `${route} without forged addresses (the control): ${describeTally(control)} (limit ${limit}/min per IP)`;
  ctx.log(`SEC-RL-03: ${controlWhat}`);
  if (limitBroken(control, limit))
    return {
      verdict: 'not-applicable',
      summary: `not tested: the login limit does not hold even without forged client addresses, so no bypass of it can be shown (${controlWhat})`,
      evidence: tallyEvidence(control),
    };
  if (control.limited === 0)
    return {
      verdict: 'error',
      summary: `the control burst was neither limited nor let through, so the limit cannot be shown to hold: ${controlWhat}`,
      evidence: tallyEvidence(control),
    };
  const source = await freshLoopbackSource(profile.baseUrl);
  const sharedSource = source === undefined || controlSource === undefined;
  await using http = pinnedHttp(profile.baseUrl, 'SEC-RL-03', source);
  const tally = await loginBurst(http, profile, limit, { concurrency: CONCURRENCY, signal: ctx.signal, headers: (k) => spoofHeaders(spoofedIp(k)) });
  const what = `${route} with a new client address in the forwarding headers each time: ${describeTally(tally)} (limit ${limit}/min per IP)`;
  ctx.log(`SEC-RL-03: ${what}`);
  const v = new Verdicts();
  const evidence = [...tallyEvidence(tally), ...tallyEvidence(control).slice(0, 2)];
  if (limitBroken(tally, limit))
    v.finding(`the login limit resets with a forged client address: ${what}; without them it held (${describeTally(control)})`, ...evidence);
  else if (tally.allowed === 0 && !(sharedSource && tally.limited > 0))
    v.doubt(`no login was evaluated (${what}): this client's budget was already spent or the login route is wrong`, ...evidence);
  else if (tally.limited === 0) v.doubt(`no 429 came although the burst was not fully evaluated: ${what}`, ...evidence);
  if (tally.noAnswer > 0) v.doubt(`${tally.noAnswer} requests got no answer`, ...evidence);
  v.saw(...evidence);
  return v.outcome(`still limited: ${what}`);
}
