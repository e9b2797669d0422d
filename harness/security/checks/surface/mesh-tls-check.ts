import type { CheckContext, CheckOutcome, Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { isAccepted, noted, profileNeeds, Verdicts, type NeedsOf } from '../../toolkit/index.ts';
import { httpRequestBytes, httpStatusOf, tcpExchange, tlsExchange, type Exchange } from './socket-probe.ts';

/** Everything before TLS 1.2; OpenSSL 3 only offers these at security level 0. */
const LEGACY_TLS = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' } as const;
const VERSION_REFUSED = /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION/;
const CLIENT_CANNOT = /NO_PROTOCOLS_AVAILABLE|NO_CIPHERS_AVAILABLE/;
/** Errors that say nothing about TLS: the service is not there to ask. */
const UNREACHABLE = /^(ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND)$/;

const httpDone = (d: Buffer): boolean => httpStatusOf(d) > 0 && d.includes('\r\n\r\n');

function evidenceOf(method: string, url: string, x: Exchange, note: string): Evidence {
  const status = httpStatusOf(x.data);
  return {
    method,
    url,
    status,
    ...(x.data.length > 0 ? { responseExcerpt: x.data.toString('latin1').slice(0, 300) } : {}),
    note: `${note}${x.error ? ` (${x.error})` : ''}${x.protocol ? ` [${x.protocol}]` : ''}`,
  };
}

const NEEDS = { mesh: 'mesh' } as const;

export const meshTlsCheck = defineCheck({
  id: 'SEC-CFG-05',
  title: 'Mutual TLS on internal services',
  owasp: 'API8',
  cwe: [319, 295, 306],
  cvss: { vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', score: 8.1 },
  attackClass: 'misconfiguration',
  provenBy: ['mesh-plaintext'],
  description:
    "For each internal service of the profile's mesh (node:tls and raw sockets, no mesh identity): plain HTTP to its TLS port and to its plaintext port when the profile names one; a TLS handshake without a client certificate followed by a GET of its path; a handshake offering only TLS 1.0-1.1. Passes when plaintext gets no HTTP success (refused, or not HTTP), the certificate-less client is refused (handshake alert, no answer), and the old protocols are refused with a protocol-version alert. Fails when any of them is served, or an old protocol is negotiated. A service whose TLS port does not answer at all is an error.",
  applies: (p) => profileNeeds(p, NEEDS),
  run,
});

async function run(ctx: CheckContext, { mesh }: NeedsOf<typeof NEEDS>): Promise<CheckOutcome> {
  const v = new Verdicts();
  for (const svc of mesh) {
    const url = new URL(svc.httpsUrl);
    const [host, port] = [url.hostname, Number(url.port) || 443];
    const target = `${svc.httpsUrl}${svc.path}`;
    const request = httpRequestBytes(svc.path, url.host, 'SEC-CFG-05');

    const noCert = await tlsExchange(host, port, request, {}, { enough: httpDone });
    if (UNREACHABLE.test(noCert.error ?? '')) {
      v.doubt(`${svc.name}: ${svc.httpsUrl} does not answer`, evidenceOf('TLS', target, noCert, 'no TLS service'));
      continue;
    }
    const noCertStatus = httpStatusOf(noCert.data);
    if (isAccepted(noCertStatus))
      v.finding(`${svc.name} served a TLS client without a certificate (${noCertStatus})`, evidenceOf('TLS', target, noCert, 'no client certificate, served'));
    else if (noCertStatus > 0) v.saw(evidenceOf('TLS', target, noCert, `no client certificate: answered ${noCertStatus}`));
    else v.saw(evidenceOf('TLS', target, noCert, 'no client certificate: refused'));

    const plain = await tcpExchange(host, port, request, { enough: httpDone });
    const plainStatus = httpStatusOf(plain.data);
    if (isAccepted(plainStatus))
      v.finding(
        `${svc.name} answered plain HTTP on its TLS port (${plainStatus})`,
        evidenceOf('HTTP', `http://${url.host}${svc.path}`, plain, 'plaintext served'),
      );
    else v.saw(evidenceOf('HTTP', `http://${url.host}${svc.path}`, plain, plainStatus ? `plaintext answered ${plainStatus}` : 'plaintext refused'));

    if (svc.plaintextUrl) {
      const res = await ctx.http.request({ method: 'GET', path: `${svc.plaintextUrl.replace(/\/$/, '')}${svc.path}` });
      if (isAccepted(res.status))
        v.finding(
          `${svc.name} serves plaintext HTTP without a client identity at ${svc.plaintextUrl} (${res.status})`,
          noted(res.evidence, 'plaintext served'),
        );
      else v.saw(noted(res.evidence, res.status ? `plaintext answered ${res.status}` : 'plaintext port refused'));
    }

    const legacy = await tlsExchange(host, port, request, LEGACY_TLS, { enough: httpDone });
    if (VERSION_REFUSED.test(legacy.error ?? '')) v.saw(evidenceOf('TLS', target, legacy, 'TLS 1.0-1.1 refused'));
    else if (CLIENT_CANNOT.test(legacy.error ?? '')) v.saw(evidenceOf('TLS', target, legacy, 'TLS 1.0-1.1 could not be offered by this OpenSSL: not tried'));
    else if (/^(ECONNRESET|EPIPE)$/.test(legacy.error ?? '') && !legacy.connected)
      v.doubt(`${svc.name}: the TLS 1.0-1.1 handshake was cut without an alert`, evidenceOf('TLS', target, legacy, 'connection reset'));
    else v.finding(`${svc.name} accepted a TLS 1.0-1.1 handshake`, evidenceOf('TLS', target, legacy, 'legacy protocol negotiated'));
  }
  return v.outcome('every mesh service refuses plaintext, clients without a certificate, and TLS before 1.2');
}
