import type { CheckMeta } from '../../security-check.ts';

/**
 * What the GraphQL resource-limit checks (depth, aliases, batches, cost, amplification) share: one
 * unauthenticated request that makes the server do unbounded work, which the reference platform's
 * graphql-no-limits switch allows.
 */
export const GRAPHQL_LIMIT_META = {
  owasp: 'API4',
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
  attackClass: 'graphql',
  provenBy: ['graphql-no-limits'],
} as const satisfies Pick<CheckMeta, 'owasp' | 'cvss' | 'attackClass' | 'provenBy'>;
