import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { invalid, zodProblems } from '../config/definition-errors.ts';
import { importDefault } from '../config/load-definition.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import type { TargetProfile } from './target-profile.ts';

const creds = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });
const request = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().startsWith('/', 'expected a path starting with /'),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/**
 * What every profile must have (the rest is optional: a check whose input is missing reports
 * not applicable, naming the field). Objects are strict so a misspelt field is an error.
 */
const profileSchema = z.looseObject({
  __crucible: z.literal('profile', { error: 'expected export default defineProfile({...})' }),
  name: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }),
  auth: z.looseObject({
    login: z.strictObject({
      path: z.string().startsWith('/'),
      usernameField: z.string().optional(),
      passwordField: z.string().optional(),
      tokenField: z.string().optional(),
    }),
    logout: request.optional(),
    users: z.strictObject({ userA: creds, userB: creds, admin: creds }),
    lockoutVictim: creds.optional(),
  }),
  protectedProbe: request.optional(),
  adminOperations: z.array(request).optional(),
  urlInputs: z.array(request).optional(),
  injectionInputs: z.array(request).optional(),
});

/** A user's profile file (`export default defineProfile({...})`), validated before anything is sent. */
export async function loadProfile(ref: string): Promise<{ readonly file: string; readonly profile: TargetProfile }> {
  const file = resolve(ref);
  if (!existsSync(file)) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--profile: no file at ${file}`);
  const value = await importDefault(file);
  const parsed = profileSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw invalid(file, 'profile', zodProblems(parsed.error));
  return { file, profile: value as TargetProfile };
}
