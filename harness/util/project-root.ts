import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The checkout's root folder (where package.json lives). */
export function projectRoot(): string {
  return ROOT;
}
