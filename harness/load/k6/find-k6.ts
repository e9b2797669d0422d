import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { toolVersion } from '../../tools/tool-version.ts';

/**
 * k6 is not part of crucible's tool catalogue: it is AGPL-licensed and not installed by setup. A user
 * who has it puts it on PATH or points K6_BINARY at it.
 */

export interface K6Binary {
  readonly path: string;
  /** `1.2.0` from `k6 v1.2.0 (commit/..., go1.24.6, linux/amd64)`; undefined when it could not be read. */
  readonly version: string | undefined;
  /** The line `k6 version` printed. */
  readonly versionLine: string;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** K6_BINARY when set (and executable), else the first `k6` on PATH; undefined when neither. */
export function findK6Path(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env['K6_BINARY'];
  if (explicit) {
    const file = isAbsolute(explicit) ? explicit : resolve(explicit);
    return isExecutableFile(file) ? file : undefined;
  }
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, 'k6');
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

export function parseK6Version(line: string): string | undefined {
  return /\bk6\s+v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(line)?.[1];
}

/** The k6 binary and its version, or undefined when k6 is not installed. */
export async function findK6(env: NodeJS.ProcessEnv = process.env): Promise<K6Binary | undefined> {
  const path = findK6Path(env);
  if (!path) return undefined;
  const versionLine = await toolVersion(path, ['version']);
  return { path, version: parseK6Version(versionLine), versionLine };
}

/** What `--engine k6` reports when there is no k6. */
export function k6NotInstalledError(env: NodeJS.ProcessEnv = process.env): CrucibleError {
  const where = env['K6_BINARY'] ? `K6_BINARY=${env['K6_BINARY']} is not an executable file` : 'no k6 on PATH and K6_BINARY is not set';
  return new CrucibleError('CRUCIBLE_ERR_TOOL_MISSING', `k6 is not installed (${where}); the built-in engine is the default and needs no k6`, {
    hint: 'Run the scenario without the k6 engine, or install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) and put it on PATH or set K6_BINARY.',
  });
}

/** Compares dotted versions numerically (pre-release suffixes ignored); undefined sorts as newest. */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
  if (version === undefined) return true;
  const a = version.split('-')[0]!.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}
