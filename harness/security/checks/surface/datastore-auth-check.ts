import type { CheckContext, CheckOutcome, Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { applicable, isNonEmpty, notApplicable, Verdicts } from '../../toolkit/index.ts';
import { tcpExchange } from './socket-probe.ts';

const REDIS_PING = '*1\r\n$4\r\nPING\r\n';

/** A PostgreSQL StartupMessage (protocol 3.0) for `user`, no password. */
function pgStartup(user: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0${user}\0\0`);
  const msg = Buffer.alloc(8 + params.length);
  msg.writeInt32BE(msg.length, 0);
  msg.writeInt32BE(196_608, 4);
  params.copy(msg, 8);
  return msg;
}

const PG_AUTH = { 0: 'AuthenticationOk', 2: 'Kerberos', 3: 'cleartext password', 5: 'MD5 password', 7: 'GSS', 9: 'SSPI', 10: 'SASL (SCRAM)' } as Record<
  number,
  string
>;

const tcpEvidence = (url: string, sent: string, status: number, answer: string, note: string): Evidence => ({
  method: 'TCP',
  url,
  requestBody: sent,
  status,
  responseExcerpt: answer.slice(0, 200),
  note,
});

export const datastoreAuthCheck = defineCheck({
  id: 'SEC-EXP-02',
  title: 'Internal datastores without authentication',
  owasp: 'API8',
  cwe: [306, 1188],
  cvss: { vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 8.8 },
  attackClass: 'exposure',
  provenBy: ['redis-no-auth'],
  description:
    "For each redis:// and postgres:// URL among the profile's internal endpoints, connects with a raw TCP socket and speaks the protocol without credentials: Redis gets PING, PostgreSQL a startup message as its own database user. Passes when Redis answers NOAUTH (or another refusal) and PostgreSQL asks for a password, or when the port is closed to the harness while the target itself answers. Fails when Redis answers PONG or PostgreSQL lets the session in (AuthenticationOk). A target that does not answer at all is an error.",
  applies: (p) => {
    const datastores = (p.internal ?? []).filter((i) => /^(redis|rediss|postgres|postgresql):\/\//.test(i.url));
    return isNonEmpty(datastores)
      ? applicable({ datastores })
      : notApplicable(['internal'], 'the profile does not give a redis:// or postgres:// URL in profile.internal');
  },
  run,
});

async function run(
  ctx: CheckContext,
  { datastores }: { readonly datastores: readonly { readonly name: string; readonly url: string }[] },
): Promise<CheckOutcome> {
  const v = new Verdicts();
  // A closed datastore port only means "safe" if the target is up: otherwise nothing was tested.
  const alive = await ctx.http.request({ method: 'GET', path: '/' });
  if (alive.status === 0)
    return {
      verdict: 'error',
      summary: `the target does not answer (${ctx.profile.baseUrl}): a closed datastore port proves nothing`,
      evidence: [alive.evidence],
    };

  for (const entry of datastores) {
    const url = new URL(entry.url);
    const port = Number(url.port);
    if (/^rediss?:$/.test(url.protocol)) {
      const x = await tcpExchange(url.hostname, port || 6379, REDIS_PING, { enough: (d) => d.includes('\r\n') });
      const line = x.data.toString('latin1').split('\r\n')[0] ?? '';
      if (!x.connected) v.saw(tcpEvidence(entry.url, 'PING', 0, '', `not reachable from the harness (${x.error ?? 'closed'})`));
      else if (/^\+PONG/.test(line))
        v.finding(`${entry.name} (${entry.url}) answered PING without authentication`, tcpEvidence(entry.url, 'PING', 1, line, 'unauthenticated PONG'));
      else if (/^-(NOAUTH|DENIED|ERR.*protected mode)/i.test(line) || /^-/.test(line))
        v.saw(tcpEvidence(entry.url, 'PING', 1, line, 'refused without credentials'));
      else
        v.doubt(
          `${entry.name} (${entry.url}) answered PING with ${line ? JSON.stringify(line.slice(0, 60)) : 'nothing'}`,
          tcpEvidence(entry.url, 'PING', 1, line, 'unexpected answer'),
        );
    } else if (/^postgres(ql)?:$/.test(url.protocol)) {
      const user = decodeURIComponent(url.username) || 'postgres';
      const x = await tcpExchange(url.hostname, port || 5432, pgStartup(user), { enough: (d) => d.length >= 9 });
      const sent = `StartupMessage user=${user}`;
      if (!x.connected) v.saw(tcpEvidence(entry.url, sent, 0, '', `not reachable from the harness (${x.error ?? 'closed'})`));
      else if (x.data[0] === 0x52 && x.data.length >= 9) {
        const code = x.data.readInt32BE(5);
        const what = PG_AUTH[code] ?? `authentication request ${code}`;
        if (code === 0)
          v.finding(`${entry.name} (${entry.url}) let user ${user} in without a password`, tcpEvidence(entry.url, sent, 1, what, 'no authentication'));
        else v.saw(tcpEvidence(entry.url, sent, 1, what, 'asks for credentials'));
      } else if (x.data[0] === 0x45) v.saw(tcpEvidence(entry.url, sent, 1, x.data.toString('utf8', 5).replace(/\0/g, ' ').trim(), 'refused'));
      else
        v.doubt(
          `${entry.name} (${entry.url}) answered the startup message with ${x.data.length} unexpected bytes`,
          tcpEvidence(entry.url, sent, 1, x.data.toString('latin1'), 'unexpected answer'),
        );
    }
  }
  return v.outcome('every internal datastore refuses a client without credentials');
}
