import type { SecurityCheck } from '../../security-check.ts';
import { corsOriginCheck } from './cors-origin-check.ts';
import { datastoreAuthCheck } from './datastore-auth-check.ts';
import { debugRoutesCheck } from './debug-routes-check.ts';
import { forwardedForSpoofCheck } from './forwarded-for-spoof-check.ts';
import { graphqlAliasCheck } from './graphql-alias-check.ts';
import { graphqlAmplificationCheck } from './graphql-amplification-check.ts';
import { graphqlBatchCheck } from './graphql-batch-check.ts';
import { graphqlCostCheck } from './graphql-cost-check.ts';
import { graphqlDepthCheck } from './graphql-depth-check.ts';
import { graphqlHardeningCheck } from './graphql-hardening-check.ts';
import { httpMethodsCheck } from './http-methods-check.ts';
import { identityThrottleCheck } from './identity-throttle-check.ts';
import { internalRoutesCheck } from './internal-routes-check.ts';
import { limiterFailClosedCheck } from './limiter-fail-closed-check.ts';
import { loginPathVariantsCheck } from './login-path-variants-check.ts';
import { meshTlsCheck } from './mesh-tls-check.ts';
import { replicaSpreadCheck } from './replica-spread-check.ts';
import { securityHeadersCheck } from './security-headers-check.ts';
import { verboseErrorsCheck } from './verbose-errors-check.ts';

/**
 * The surface checks, in the order they run: the few-request probes of configuration, exposure and
 * inventory first, then GraphQL, then the rate limits (they spend budgets, each from its own
 * identity or source address), and last the one that puts a fault on the target's Redis.
 */
export const surfaceChecks: readonly SecurityCheck[] = [
  securityHeadersCheck,
  corsOriginCheck,
  verboseErrorsCheck,
  httpMethodsCheck,
  internalRoutesCheck,
  datastoreAuthCheck,
  debugRoutesCheck,
  meshTlsCheck,
  graphqlHardeningCheck,
  graphqlDepthCheck,
  graphqlAliasCheck,
  graphqlBatchCheck,
  graphqlCostCheck,
  graphqlAmplificationCheck,
  identityThrottleCheck,
  replicaSpreadCheck,
  forwardedForSpoofCheck,
  loginPathVariantsCheck,
  limiterFailClosedCheck,
];
