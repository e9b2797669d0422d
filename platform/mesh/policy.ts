/**
 * The mesh policy: who may call whom, and the resilience policy of every service-to-service edge.
 * One place, so the local target (services enforce it in-process: mutual TLS + cockatiel) and the
 * kind target (rendered into Istio AuthorizationPolicy / DestinationRule / VirtualService) apply the
 * same numbers and can be compared.
 */
export type ServiceName = 'gateway' | 'auth' | 'catalog';
/** Identities that hold a certificate from the local CA: the services, plus scrapers and the harness. */
export type Identity = ServiceName | 'prometheus' | 'harness';

export interface EdgePolicy {
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
  readonly retry: {
    /** Retries after the first attempt. */
    readonly maxRetries: number;
    /** First backoff; doubles per retry, with full jitter. */
    readonly backoffMs: number;
    /** Retries may add at most this fraction of the edge's recent request volume (a retry budget). */
    readonly budgetRatio: number;
    /** Retries always allowed per second regardless of the budget, so low traffic can still retry. */
    readonly minRetriesPerSec: number;
  };
  readonly circuitBreaker: {
    /** Consecutive failures that open the circuit. */
    readonly consecutiveFailures: number;
    /** How long the circuit stays open before a half-open trial call. */
    readonly halfOpenAfterMs: number;
  };
}

export interface MeshPolicy {
  /** Callers each service accepts, by the CN of their client certificate. */
  readonly allowedCallers: Readonly<Record<Exclude<ServiceName, 'gateway'>, readonly Identity[]>>;
  readonly edges: Readonly<Record<'gateway->auth' | 'gateway->catalog', EdgePolicy>>;
}

export const MESH_POLICY: MeshPolicy = {
  allowedCallers: {
    auth: ['gateway', 'prometheus', 'harness'],
    catalog: ['gateway', 'prometheus', 'harness'],
  },
  edges: {
    'gateway->auth': {
      timeoutMs: 2_000,
      retry: { maxRetries: 2, backoffMs: 25, budgetRatio: 0.2, minRetriesPerSec: 5 },
      circuitBreaker: { consecutiveFailures: 10, halfOpenAfterMs: 3_000 },
    },
    'gateway->catalog': {
      timeoutMs: 1_500,
      retry: { maxRetries: 2, backoffMs: 25, budgetRatio: 0.2, minRetriesPerSec: 5 },
      circuitBreaker: { consecutiveFailures: 10, halfOpenAfterMs: 3_000 },
    },
  },
};
