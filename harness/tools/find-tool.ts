import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { toolSpec, type ToolId } from './tool-catalog.ts';
import { toolsBinDir } from './tools-dir.ts';

/** The project's own tools folder comes first so a tool built by setup wins over an older system one. */
export function searchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return [toolsBinDir(), ...fromEnv];
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the tool's executable, or undefined when it is not installed. */
export function findTool(id: ToolId, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const spec = toolSpec(id);
  const dirs = [...searchPath(env), ...(spec.extraDirs ?? [])];
  for (const name of spec.names) {
    for (const dir of dirs) {
      const file = join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}
