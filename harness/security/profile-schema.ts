import { z } from 'zod';
import type { Assert, SameShape } from '../config/same-shape.ts';
import { closestName } from '../util/closest-name.ts';
import type { TargetProfile } from './target-profile.ts';

/** `unknown field 'tokenFeild' (did you mean 'tokenField'?)`: the words for fields an object does not have. */
export function unknownFieldsMessage(keys: readonly string[], known: readonly string[]): string {
  const each = keys.map((k) => {
    const near = closestName(k, known);
    return `'${k}'${near ? ` (did you mean '${near}'?)` : ''}`;
  });
  return `unknown field${keys.length > 1 ? 's' : ''} ${each.join(', ')}; this object takes ${known.join(', ')}`;
}

/** A strict object: a field it does not have is an error naming the field, with the nearest known one. */
function strict<S extends z.core.$ZodLooseShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  const known = Object.keys(shape);
  return z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? unknownFieldsMessage(iss.keys, known) : undefined) });
}

const text = z.string().min(1);
const count = z.int().positive();
/** A place in a JSON document: `id`, `data.session.token` (toolkit/dot-path.ts). */
const dotPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'expected a dot path such as id or data.session.token');
const url = z.url({ protocol: /^https?$/ });
const path = z.string().startsWith('/', 'expected a path starting with /');
const creds = strict({ username: text, password: text });
/** A user: a username and password, or a static credential (a bearer token, an API key). */
const user = z.union([creds, strict({ credential: text })], { error: 'expected { username, password } or { credential }' });
const formFields = { path, usernameField: dotPath.optional(), passwordField: dotPath.optional(), tokenField: dotPath.optional() };
/** The login's kind chooses its fields; left out, it is 'json' (the shape profiles had before kinds). */
const login = z.discriminatedUnion('kind', [
  strict({ kind: z.literal('json').optional(), ...formFields }),
  strict({ kind: z.literal('form'), ...formFields }),
  strict({ kind: z.literal('graphql'), path: path.optional(), mutation: text, tokenField: dotPath }),
]);
const request = strict({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path,
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/**
 * Every field of a target profile, strict at every level: a misspelt field is an error naming it
 * (with the nearest known field), never ignored. Tied to TargetProfile at compile time below.
 */
const profileFields = {
  name: text,
  baseUrl: url,
  auth: strict({
    login,
    credential: strict({ in: z.enum(['header', 'cookie', 'query']), name: text, scheme: text.optional() }).optional(),
    logout: request.optional(),
    jwksPath: path.optional(),
    jwt: strict({ issuer: text, audience: text }).optional(),
    users: strict({ userA: user, userB: user, admin: user }),
    lockoutVictim: creds.optional(),
    maxLoginAttempts: count.optional(),
    signingKeyFile: text.optional(),
  }),
  protectedProbe: request.optional(),
  resources: z
    .array(
      strict({
        name: text,
        create: request,
        idField: dotPath.optional(),
        read: request,
        list: request.optional(),
        update: request.optional(),
        delete: request.optional(),
        graphqlRead: text.optional(),
        forbiddenFields: z.array(text).optional(),
      }),
    )
    .optional(),
  adminOperations: z.array(request).optional(),
  self: strict({ read: request, forbiddenFields: z.array(text) }).optional(),
  massAssignment: z
    .array(strict({ name: text, create: request, idField: dotPath.optional(), readBack: request, field: dotPath, injected: z.unknown() }))
    .optional(),
  graphql: strict({
    path,
    limits: strict({ depth: count.optional(), aliases: count.optional(), batch: count.optional() }).optional(),
    loginMutation: text.optional(),
    amplification: strict({ query: text, maxItems: count }).optional(),
    deepQuery: strict({ prefix: text, level: text, suffix: text }).optional(),
    pageQuery: strict({ query: text, max: count }).optional(),
  }).optional(),
  redirectProbe: request.optional(),
  urlInputs: z.array(request).optional(),
  injectionInputs: z.array(request).optional(),
  rateLimits: strict({
    perIdentity: count.optional(),
    loginPerIp: count.optional(),
    replicas: z.array(url).optional(),
    identities: z.array(creds).optional(),
  }).optional(),
  internal: z.array(strict({ name: text, url: z.string().min(1) })).optional(),
  mesh: z.array(strict({ name: text, httpsUrl: url, plaintextUrl: url.optional(), path })).optional(),
  detection: strict({ prometheus: url.optional(), auditDir: text.optional(), budgetMs: count.optional() }).optional(),
};

/** A profile file's default export: the fields, made with defineProfile. */
export const profileSchema = strict({
  __crucible: z.literal('profile', { error: 'expected export default defineProfile({...})' }),
  ...profileFields,
});

type _ProfileTie = Assert<SameShape<TargetProfile, Omit<z.input<typeof profileSchema>, '__crucible'>>>;
