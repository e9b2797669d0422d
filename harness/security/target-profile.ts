/**
 * What the penetration checks know about a target: where it is, how to log in as whom, which
 * objects belong to whom, what only admins may do, which inputs take URLs, what must stay
 * internal. Checks are driven by this, never by hard-coded routes; a check whose input is missing
 * from the profile is reported not applicable, naming the field.
 */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/**
 * An identity that never logs in: its credential (a bearer token, an API key) is given, and sent
 * where `auth.credential` says.
 */
export interface StaticCredential {
  readonly credential: string;
}

/** One of the profile's users: a username and password to log in with, or a static credential. */
export type ProfileUser = Credentials | StaticCredential;

/**
 * How the profile's users log in. Each kind reads the credential from the answer at `tokenField`
 * (a dot path); with `auth.credential.in: 'cookie'` and no tokenField, the credential is the
 * cookie of that name the answer sets (a cookie session).
 */
export type LoginRoute =
  /** POST with a JSON body { [usernameField]: ..., [passwordField]: ... }. `kind` may be left out. */
  | {
      readonly kind?: 'json';
      readonly path: string;
      /** @default 'username' */
      readonly usernameField?: string;
      /** @default 'password' */
      readonly passwordField?: string;
      /** @default 'accessToken' (none with a cookie credential: the session cookie) */
      readonly tokenField?: string;
    }
  /** POST application/x-www-form-urlencoded (`usernameField`, `passwordField` are the form's field names). */
  | {
      readonly kind: 'form';
      readonly path: string;
      /** @default 'username' */
      readonly usernameField?: string;
      /** @default 'password' */
      readonly passwordField?: string;
      /** @default 'accessToken' (none with a cookie credential: the session cookie) */
      readonly tokenField?: string;
    }
  /**
   * A GraphQL mutation taking the variables $u (username) and $p (password), posted to `path`
   * (@default graphql.path); the credential is read at `tokenField`, a dot path into `data`
   * (`login.accessToken`). An answer with errors or without that field is a refused login.
   */
  | { readonly kind: 'graphql'; readonly path?: string; readonly mutation: string; readonly tokenField: string };

/**
 * Where a request carries its credential. `header`: `name: [scheme ]value` (scheme: 'Bearer');
 * `cookie`: `Cookie: name=value`; `query`: `?name=value` on the URL.
 */
export interface CredentialPlacement {
  readonly in: 'header' | 'cookie' | 'query';
  readonly name: string;
  /** Before the value in a header: `Bearer`. */
  readonly scheme?: string;
}

/** A request the checks may send, relative to the base URL; `{id}` in the path is replaced. */
export interface RequestTemplate {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TargetProfile {
  readonly name: string;
  readonly baseUrl: string;
  readonly auth: {
    /**
     * How users log in (LoginRoute): JSON (the default), a form, or a GraphQL mutation. Its fields
     * naming places in a document are dot paths (`user.name`, `data.session.token`), like every
     * such field of a profile.
     */
    readonly login: LoginRoute;
    /**
     * How a request carries a credential (a login's, or a user's static one).
     * @default { in: 'header', name: 'authorization', scheme: 'Bearer' }
     */
    readonly credential?: CredentialPlacement;
    /** Revokes the token it is called with (the revocation checks need it). */
    readonly logout?: RequestTemplate;
    /** The JWKS the target publishes (key-confusion and jku checks read it). */
    readonly jwksPath?: string;
    /** What a token must carry, for the claim checks. */
    readonly jwt?: { readonly issuer: string; readonly audience: string };
    /** Two ordinary users (different owners) and an admin: each logs in, or carries a static credential. */
    readonly users: { readonly userA: ProfileUser; readonly userB: ProfileUser; readonly admin: ProfileUser };
    /** An account the brute-force checks may lock out (never one of the three above). */
    readonly lockoutVictim?: Credentials;
    /** Attempts after which the account must be locked or the client throttled. */
    readonly maxLoginAttempts?: number;
    /**
     * The target's own token signing key (a PKCS#8 PEM file), for the claim checks (expiry,
     * audience): only a validly signed token shows whether its claims are checked, and nobody but
     * the operator can make one. Leave it out and those checks are not applicable.
     */
    readonly signingKeyFile?: string;
  };
  /**
   * A route that needs a credential, answers 200 with one and 401 without (the token checks'
   * oracle). A probe whose body carries a GraphQL `query` is read as GraphQL: an answer with errors
   * or with null data counts as refused.
   */
  readonly protectedProbe?: RequestTemplate;
  /** Objects owned by a user: created as userB, then attacked as userA. */
  readonly resources?: readonly {
    readonly name: string;
    readonly create: RequestTemplate;
    /**
     * Where the create answer holds the id, a dot path (`id`, `data.order.id`). Left out: `id`,
     * or when the answer has none, the last segment of its Location header (`/api/notes/17`).
     */
    readonly idField?: string;
    readonly read: RequestTemplate;
    /**
     * The owner's objects (`GET /api/notes`), for creates whose answer carries no id (neither at
     * idField nor in a Location header): the created object is the one holding a value its create
     * body minted (`{uuid}`), its id read at idField (@default 'id').
     */
    readonly list?: RequestTemplate;
    readonly update?: RequestTemplate;
    readonly delete?: RequestTemplate;
    /** GraphQL query reading it by id: variables { id }; data must be null for another user. */
    readonly graphqlRead?: string;
    /** Fields that must never appear in its representations. */
    readonly forbiddenFields?: readonly string[];
  }[];
  /** Operations only admins may perform (tried with userA's token and with method swaps). */
  readonly adminOperations?: readonly RequestTemplate[];
  /** The user's own representation (excessive data exposure: forbiddenFields must not appear). */
  readonly self?: { readonly read: RequestTemplate; readonly forbiddenFields: readonly string[] };
  /**
   * Mass assignment: a create request whose body carries a field the client must not set; the
   * created object is read back (as the same user) and `field` (a dot path) must not hold `injected`.
   */
  readonly massAssignment?: readonly {
    readonly name: string;
    readonly create: RequestTemplate;
    /** Where the create answer holds the id, a dot path. Left out: `id`, else the Location header's last segment. */
    readonly idField?: string;
    readonly readBack: RequestTemplate;
    readonly field: string;
    readonly injected: unknown;
  }[];
  readonly graphql?: {
    readonly path: string;
    /** The limits the target claims: the checks try exactly at and just past them. */
    readonly limits?: { readonly depth?: number; readonly aliases?: number; readonly batch?: number };
    /** A login mutation: `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`. */
    readonly loginMutation?: string;
    /** A query of a few fields whose nested lists multiply, and the most items an answer to it may hold. */
    readonly amplification?: { readonly query: string; readonly maxItems: number };
    /** A query that nests to any depth, with `{depth}` repeated: e.g. product { related { ... } }. */
    readonly deepQuery?: { readonly prefix: string; readonly level: string; readonly suffix: string };
    /**
     * A list query taking a page size, `{amount}` in it replaced: e.g. `{ products(limit: {amount}) { items { id } } }`.
     * Past `max` items the target must refuse it or cap the list at `max`.
     */
    readonly pageQuery?: { readonly query: string; readonly max: number };
  };
  /**
   * A route that answers a redirect the target builds itself (Host, X-Forwarded-Host must not choose
   * where it points: header injection, open redirect). `{payload}` in its path, when present, marks a
   * parameter reflected into a response header (CRLF injection).
   */
  readonly redirectProbe?: RequestTemplate;
  /** Inputs that take a URL the server fetches (SSRF). `{url}` in the body is replaced. */
  readonly urlInputs?: readonly RequestTemplate[];
  /** Inputs that reach a query (SQL/NoSQL injection), with `{payload}` in the path or body. */
  readonly injectionInputs?: readonly RequestTemplate[];
  /** Rate limits the target enforces. */
  readonly rateLimits?: {
    /** Requests per minute per identity on protectedProbe. */
    readonly perIdentity?: number;
    /** Login attempts per minute per client IP. */
    readonly loginPerIp?: number;
    /** Base URLs of the replicas behind the edge, to spread a burst over (shared-limit check). */
    readonly replicas?: readonly string[];
    /**
     * Accounts the rate-limit checks may exhaust (never the three users above, whose budgets the
     * other checks need): each check that spends a per-identity budget takes the next one.
     */
    readonly identities?: readonly Credentials[];
  };
  /** URLs that must not answer from outside (through the base URL or directly): metrics, datastores, fault proxy. */
  readonly internal?: readonly { readonly name: string; readonly url: string }[];
  /** Internal services behind mutual TLS: plaintext must be refused, and a client without a certificate. */
  readonly mesh?: readonly { readonly name: string; readonly httpsUrl: string; readonly plaintextUrl?: string; readonly path: string }[];
  /** Where detection is read: Prometheus (alerts, audit metrics) and the audit log folder (local). */
  readonly detection?: { readonly prometheus?: string; readonly auditDir?: string; readonly budgetMs?: number };
}

/** Declares a target profile file: `export default defineProfile({...})`. */
export function defineProfile(profile: TargetProfile): TargetProfile & { readonly __crucible: 'profile' } {
  return { ...profile, __crucible: 'profile' };
}
