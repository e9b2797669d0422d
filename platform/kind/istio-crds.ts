import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CrucibleError } from '../../harness/errors/crucible-error.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { goModuleDir } from './node-image/go-build.ts';

/**
 * Istio's CustomResourceDefinitions, as Istio generates them into its API module (istio.io/api,
 * kubernetes/customresourcedefinitions.gen.yaml). The Go module proxy is the one source reachable here;
 * go checks the module against the checksum database, and the file is pinned again by its sha256.
 */
export const ISTIO_API_MODULE = 'istio.io/api';
export const ISTIO_API_VERSION = 'v1.32.0';
const CRD_PATH_IN_MODULE = 'kubernetes/customresourcedefinitions.gen.yaml';
const CRD_SHA256 = 'c65d3908ee5eefea7cb5f3baad2622455fd7b483e920ee428500b44da73f2601';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Where setup keeps the CRDs: .tools/istio/<version>/customresourcedefinitions.gen.yaml. */
export function istioCrdFile(root: string = projectRoot()): string {
  return join(root, '.tools', 'istio', ISTIO_API_VERSION, 'customresourcedefinitions.gen.yaml');
}

/**
 * The CRD file, fetched once (`go mod download istio.io/api@v1.32.0`) and cached under .tools/; a cached
 * file whose sha256 is not the pinned one is fetched again. Returns the file and whether it was fetched now.
 */
export async function ensureIstioCrds(opts: { readonly signal?: AbortSignal; readonly root?: string } = {}): Promise<{ file: string; fetched: boolean }> {
  const file = istioCrdFile(opts.root);
  if (existsSync(file) && sha256(file) === CRD_SHA256) return { file, fetched: false };
  const { dir } = await goModuleDir(ISTIO_API_MODULE, ISTIO_API_VERSION, opts.signal ? { signal: opts.signal } : {});
  const source = join(dir, CRD_PATH_IN_MODULE);
  if (!existsSync(source)) throw new CrucibleError('CRUCIBLE_ERR_NODE_IMAGE', `${ISTIO_API_MODULE}@${ISTIO_API_VERSION} has no ${CRD_PATH_IN_MODULE}`);
  const got = sha256(source);
  if (got !== CRD_SHA256)
    throw new CrucibleError(
      'CRUCIBLE_ERR_NODE_IMAGE',
      `${ISTIO_API_MODULE}@${ISTIO_API_VERSION}'s ${CRD_PATH_IN_MODULE} has sha256 ${got}, not the pinned ${CRD_SHA256}`,
    );
  mkdirSync(dirname(file), { recursive: true });
  // The module cache's files are read-only; a copy renamed into place is never seen half-written.
  copyFileSync(source, `${file}.tmp`);
  renameSync(`${file}.tmp`, file);
  return { file, fetched: true };
}
