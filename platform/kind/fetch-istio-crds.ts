#!/usr/bin/env node
// Fetches Istio's CRDs (platform/kind/istio-crds.ts) into .tools/ unless they are there; scripts/test.sh runs it before the kind tests.
import { CrucibleError } from '../../harness/errors/crucible-error.ts';
import { ensureIstioCrds, ISTIO_API_MODULE, ISTIO_API_VERSION } from './istio-crds.ts';

try {
  const { file, fetched } = await ensureIstioCrds();
  console.log(`istio CRDs: ${ISTIO_API_MODULE}@${ISTIO_API_VERSION} ${fetched ? 'fetched into' : 'cached in'} ${file}`);
} catch (err) {
  if (!(err instanceof CrucibleError)) throw err;
  console.error(`istio CRDs: error: ${err.message}`);
  for (const d of err.details) console.error(`  ${d}`);
  process.exitCode = err.exitCode;
}
