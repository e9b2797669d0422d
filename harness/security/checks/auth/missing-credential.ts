import { defineCheck } from '../../security-check.ts';
import { isAccepted, isRefused, noted } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { TokenOracle } from './token-oracle.ts';

export const missingCredential = defineCheck({
  id: 'SEC-AUTH-01',
  title: 'Protected route answers without a credential',
  owasp: 'API2',
  cwe: [306, 287],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  // No switch of the reference platform drops authentication from a route; the unit test proves the
  // check fails against a target that ignores credentials.
  provenBy: ['anonymous-access'],
  description:
    "Sends the profile's protected probe with no Authorization header, and again with an empty " +
    "'Authorization: Bearer'. Passes when both are refused (4xx, not 429); fails when either is answered 2xx.",
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const oracle = new TokenOracle(ctx, probe);
    const bare = await oracle.send(undefined);
    const empty = await oracle.send(undefined, { headers: { authorization: 'Bearer ' } });
    const answers = [
      { what: 'no Authorization header', status: bare.status, evidence: bare.evidence },
      { what: "an empty 'Bearer' credential", status: empty.status, evidence: empty.evidence },
    ];
    const { route } = oracle;
    const evidence = answers.map((a) => noted(a.evidence, a.what));
    const accepted = answers.find((a) => isAccepted(a.status));
    if (accepted) return { verdict: 'fail', summary: `${route} answered ${accepted.status} to a request with ${accepted.what}`, evidence };
    const unclear = answers.find((a) => !isRefused(a.status, 'credential'));
    if (unclear)
      return {
        verdict: 'error',
        summary: `${route} answered ${unclear.status || 'nothing'} to a request with ${unclear.what}: neither served nor refused`,
        evidence,
      };
    return { verdict: 'pass', summary: `${route} refused requests without a credential (${answers.map((a) => a.status).join(', ')})`, evidence };
  },
});
