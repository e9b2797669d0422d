import type { VulnerableSwitch } from '../../platform/services/shared/vulnerable-switches.ts';
import type { FaultEnvironment } from '../faults/fault.ts';
import type { CheckVerdict, SecurityEvidence, SecuritySeverity } from '../result/summary-model.ts';
import type { TargetProfile } from './target-profile.ts';

/** OWASP API Security Top 10, 2023. */
export type OwaspCategory = 'API1' | 'API2' | 'API3' | 'API4' | 'API5' | 'API6' | 'API7' | 'API8' | 'API9' | 'API10';

export type Severity = SecuritySeverity;

export function severityOf(score: number): Severity {
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score > 0 ? 'low' : 'none';
}

/** What detection is measured for: one time to detect per class. */
export type AttackClass =
  'authentication' | 'authorization' | 'rate-limiting' | 'graphql' | 'injection' | 'ssrf' | 'misconfiguration' | 'exposure' | 'inventory';

export interface CheckMeta {
  /** Stable rule id (SARIF ruleId), e.g. 'SEC-JWT-01'. Never reused for another check. */
  readonly id: string;
  readonly title: string;
  readonly owasp: OwaspCategory;
  readonly cwe: readonly number[];
  /** CVSS 3.1 vector and base score of the vulnerability the check looks for. */
  readonly cvss: { readonly vector: string; readonly score: number };
  readonly attackClass: AttackClass;
  /** The vulnerable switch(es) of the reference platform that make this check fail (its proof): at least one. */
  readonly provenBy: readonly [VulnerableSwitch, ...VulnerableSwitch[]];
  /** One paragraph: what is sent, what passes, what fails. */
  readonly description: string;
  /**
   * A root cause this check's attack cannot be told from: when `check` failed earlier in the run,
   * whatever this check sends would succeed for `cause` (a forged token is accepted because no
   * signature is verified at all), not for what this check looks for. It is then not tested and
   * says so, naming the cause and the check that found it, instead of a finding naming the wrong
   * cause. `check` runs before it in the catalogue.
   */
  readonly consequenceOf?: { readonly check: Pick<CheckMeta, 'id'>; readonly cause: string };
}

export type Evidence = SecurityEvidence;
export type { CheckVerdict };

export interface CheckOutcome {
  readonly verdict: CheckVerdict;
  /** One line: why this verdict ('GET /api/me accepted alg=nOnE and answered 200'). */
  readonly summary: string;
  /** The requests that decide the verdict (for a fail: the ones that prove it). */
  readonly evidence: readonly Evidence[];
}

/** A logged-in identity of the profile. */
export interface Identity {
  readonly name: 'userA' | 'userB' | 'admin';
  /** Its credential (a token, a session cookie's value, an API key): what `token` of a request takes. */
  readonly token: string;
}

/** The HTTP client of the checks: every request tagged (x-crucible-check) and captured as evidence. */
export interface SecurityHttp {
  request(r: {
    readonly method: string;
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: unknown;
    /** Raw body (not JSON-encoded), e.g. malformed JSON. */
    readonly rawBody?: string;
    /** A credential (a token, a session, an API key), sent where the profile's auth.credential says. */
    readonly token?: string;
    /** Another base URL than the profile's (a replica, an internal service). */
    readonly baseUrl?: string;
    readonly timeoutMs?: number;
  }): Promise<{
    readonly status: number;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly text: string;
    json<T = unknown>(): T | undefined;
    readonly evidence: Evidence;
  }>;
}

export interface CheckContext {
  readonly profile: TargetProfile;
  readonly http: SecurityHttp;
  /** Logs in (cached per run) as one of the profile's users. */
  login(who: Identity['name']): Promise<Identity>;
  /** Faults on the target, when the target is the local platform (fail-closed checks need them). */
  readonly faults?: FaultEnvironment;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

/** What a check found in the profile before sending anything: the fields it needs, typed, or why it cannot run. */
export type Applicability<N> =
  | { readonly ok: true; readonly needs: N }
  | {
      readonly ok: false;
      /** The profile fields (dot paths) that are missing. */
      readonly missing: readonly string[];
      /** The not-applicable reason, naming them. */
      readonly reason: string;
    };

/**
 * One penetration check. `applies` finds, before anything is sent, the profile fields the check
 * needs (toolkit's profileNeeds), or says why it cannot run: it is then reported not applicable,
 * never passed. `run` gets exactly what `applies` found, so it never checks or asserts them again.
 * `run` never throws for a finding: a vulnerability is `fail`; a check that could not reach a
 * verdict is `error` (or throws Inconclusive).
 */
export interface SecurityCheck<N = unknown> extends CheckMeta {
  applies(profile: TargetProfile): Applicability<N>;
  // A method, so that the catalogue can hold checks of any needs: the runner only ever passes a
  // check what its own `applies` returned.
  run(ctx: CheckContext, needs: N): Promise<CheckOutcome>;
}

/** Declares a check; its needs' type is inferred from `applies`. */
export const defineCheck = <N>(check: SecurityCheck<N>): SecurityCheck<N> => check;
