import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { invalid, zodProblems } from '../config/definition-errors.ts';
import { importDefault } from '../config/load-definition.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { profileSchema } from './profile-schema.ts';
import type { TargetProfile } from './target-profile.ts';

/** A user's profile file (`export default defineProfile({...})`), validated before anything is sent. */
export async function loadProfile(ref: string): Promise<{ readonly file: string; readonly profile: TargetProfile }> {
  const file = resolve(ref);
  if (!existsSync(file)) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--profile: no file at ${file}`);
  const value = await importDefault(file);
  const parsed = profileSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw invalid(file, 'profile', zodProblems(parsed.error));
  return { file, profile: value as TargetProfile };
}
