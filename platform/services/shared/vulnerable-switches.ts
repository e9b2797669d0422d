/**
 * Deliberately vulnerable switches: each turns one defence of the reference platform off, so the
 * penetration checks can be seen failing (a check never seen failing does not count). Off by
 * default; refused unless the platform runs in mode 'test' (by the local target before anything
 * starts, and again by each service at start). `services` says which processes read the switch.
 */
export const VULNERABLE_SWITCHES = {
  // Authentication and JWT (gateway's verifier; auth for login throttling)
  'anonymous-access': { services: ['gateway'], what: 'routes for signed-in users also serve callers without a token (as a guest user)' },
  'jwt-alg-none': { services: ['gateway'], what: 'accept unsigned tokens with alg none (any case)' },
  'jwt-skip-signature': { services: ['gateway'], what: 'decode tokens without checking the signature (stripped or tampered tokens pass)' },
  'jwt-key-confusion': { services: ['gateway'], what: "accept HS256 tokens whose HMAC key is the RSA public key's PEM" },
  'jwt-embedded-jwk': { services: ['gateway'], what: "verify with the key embedded in the token's jwk header" },
  'jwt-follow-jku': { services: ['gateway'], what: "fetch the verification key from the token's jku URL" },
  'jwt-kid-path': { services: ['gateway'], what: 'read an HMAC key from the file the kid header names (kid=/dev/null gives an empty key)' },
  'jwt-ignore-time': { services: ['gateway'], what: 'ignore exp and nbf' },
  'jwt-ignore-audience': { services: ['gateway'], what: 'ignore iss and aud' },
  'jwt-ignore-revocation': { services: ['gateway'], what: 'skip the revocation (logout) check' },
  'jwt-weak-secret': { services: ['gateway'], what: "also accept HS256 tokens signed with the secret 'secret'" },
  'no-login-throttle': { services: ['gateway', 'auth'], what: 'no login rate limit and no account lockout' },
  'nosql-injection': { services: ['gateway', 'auth'], what: 'login accepts operator objects ({"$ne": null}) as username and password' },
  // Authorization and data exposure
  'no-ownership-check': { services: ['gateway', 'catalog'], what: "any user reads another user's orders (REST and GraphQL)" },
  'no-admin-check': { services: ['gateway'], what: 'any authenticated user may call admin operations' },
  'mass-assignment': { services: ['gateway', 'catalog'], what: 'order items take a client-supplied unitPrice' },
  'excessive-exposure': { services: ['gateway', 'auth'], what: "GET /api/me returns the user's password hash and internal fields" },
  // Rate limiting
  'no-rate-limit': { services: ['gateway'], what: 'no per-IP or per-identity rate limit' },
  'trust-forwarded-for': { services: ['gateway'], what: 'the client IP (rate-limit key) comes from X-Forwarded-For' },
  'replica-local-limits': { services: ['gateway'], what: 'each replica counts limits on its own (spreading over replicas multiplies them)' },
  'rate-limit-fail-open': { services: ['gateway'], what: 'when Redis fails, requests pass unlimited' },
  // Injection and SSRF
  'sql-injection': { services: ['gateway', 'catalog'], what: 'product search concatenates q into SQL' },
  'header-injection': { services: ['gateway'], what: 'redirects are built from X-Forwarded-Host' },
  'path-traversal': { services: ['gateway'], what: 'static files are served from a naively joined path' },
  'ssrf-open': { services: ['gateway'], what: 'the order webhook URL is fetched whatever it points at (loopback, metadata)' },
  // GraphQL
  'graphql-introspection': { services: ['gateway'], what: 'introspection and field suggestions on' },
  'graphql-no-limits': { services: ['gateway'], what: 'no depth, complexity, alias or batch limits' },
  // Misconfiguration, exposure, inventory
  'verbose-errors': { services: ['gateway'], what: 'errors carry stack traces and internals' },
  'permissive-cors': { services: ['gateway'], what: 'CORS reflects any origin, with credentials' },
  'no-security-headers': { services: ['gateway'], what: 'no security headers (CSP, HSTS, nosniff...)' },
  'allow-trace': { services: ['gateway'], what: 'TRACE is answered and echoes the request' },
  'expose-internals': { services: ['gateway'], what: '/metrics and /internal/state are served through the edge' },
  'debug-routes': { services: ['gateway'], what: '/debug/vars, /.env, /graphiql and an unauthenticated /api/v0 are served' },
  'mesh-plaintext': { services: ['auth', 'catalog'], what: 'internal services also accept plaintext HTTP, without client certificates' },
  'redis-no-auth': { services: ['redis'], what: 'Redis accepts commands without a password' },
} as const satisfies Record<string, { readonly services: readonly ('gateway' | 'auth' | 'catalog' | 'redis')[]; readonly what: string }>;

export type VulnerableSwitch = keyof typeof VULNERABLE_SWITCHES;

const isVulnerableSwitch = (s: string): s is VulnerableSwitch => Object.hasOwn(VULNERABLE_SWITCHES, s);

/** Why a set of switches may not run, or undefined when it may: only in mode 'test', only known names. */
export function vulnerableSwitchProblem(mode: string, switches: readonly string[]): string | undefined {
  const unknown = switches.filter((s) => !isVulnerableSwitch(s));
  if (unknown.length > 0) return `unknown vulnerable switch(es): ${unknown.join(', ')} (known: ${Object.keys(VULNERABLE_SWITCHES).join(', ')})`;
  if (switches.length > 0 && mode !== 'test') return `vulnerable switches (${switches.join(', ')}) are refused outside mode 'test' (mode is '${mode}')`;
  return undefined;
}

/** The switches a service reads, from the platform's list. */
export function switchesFor(service: 'gateway' | 'auth' | 'catalog' | 'redis', switches: readonly VulnerableSwitch[]): VulnerableSwitch[] {
  return switches.filter((s) => (VULNERABLE_SWITCHES[s].services as readonly string[]).includes(service));
}
