import { defineCheck } from '../../security-check.ts';
import { credentialPlacement, noted, placementName } from '../../toolkit/index.ts';
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
    "Sends the profile's protected probe with no credential, and again with an empty one where the profile's " +
    "credential goes (an empty 'Authorization: Bearer' by default). Passes when both are refused (4xx, not 429; " +
    'over GraphQL, errors or null data); fails when either is served.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const oracle = new TokenOracle(ctx, probe);
    const bare = await oracle.send(undefined);
    const empty = await oracle.send('');
    const where = placementName(credentialPlacement(ctx.profile));
    const answers = [
      { what: 'no credential', status: bare.status, read: oracle.read(bare), evidence: bare.evidence },
      { what: `an empty credential in ${where}`, status: empty.status, read: oracle.read(empty), evidence: empty.evidence },
    ];
    const { route } = oracle;
    const evidence = answers.map((a) => noted(a.evidence, a.what));
    const accepted = answers.find((a) => a.read === 'accepted');
    if (accepted) return { verdict: 'fail', summary: `${route} answered ${accepted.status} to a request with ${accepted.what}`, evidence };
    const unclear = answers.find((a) => a.read === 'unclear');
    if (unclear)
      return {
        verdict: 'error',
        summary: `${route} answered ${unclear.status || 'nothing'} to a request with ${unclear.what}: neither served nor refused`,
        evidence,
      };
    return { verdict: 'pass', summary: `${route} refused requests without a credential (${answers.map((a) => a.status).join(', ')})`, evidence };
  },
});
