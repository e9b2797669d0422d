import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { userProjectRoot } from '../util/user-project.ts';
import { invalid, zodProblems } from './definition-errors.ts';
import { importDefault } from './load-definition.ts';
import { configSchema } from './scenario-schema.ts';
import type { ConfigOptions } from './scenario-types.ts';

const CONFIG_FILE = 'crucible.config.ts';

export interface LoadedConfig {
  /** Absolute path, or undefined when there is no config file (built-in defaults). */
  readonly file: string | undefined;
  readonly config: ConfigOptions;
}

/**
 * The project's crucible.config.ts: `explicit` when given (it must exist), else the one in the
 * user's project (the nearest folder up from the working directory with crucible.config.ts or
 * package.json), else crucible's own (its checkout's: the package does not ship one); none at all
 * means the built-in defaults.
 * Validated whole like a scenario (exit 2 naming the file and the field).
 */
export async function loadConfig(explicit?: string, cwd = process.cwd()): Promise<LoadedConfig> {
  let file: string | undefined;
  if (explicit !== undefined) {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--config: no file at ${file}`);
  } else file = [join(userProjectRoot(cwd), CONFIG_FILE), join(projectRoot(), CONFIG_FILE)].find((f) => existsSync(f));
  if (file === undefined) return { file, config: {} };
  const value = await importDefault(file);
  const parsed = configSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const tagged = (value as { __crucible?: unknown } | undefined)?.__crucible === 'config';
    throw invalid(file, 'config', tagged ? zodProblems(parsed.error) : ['(the default export): expected export default defineConfig({...})']);
  }
  const { __crucible: _tag, ...config } = parsed.data;
  return { file, config };
}
