#!/usr/bin/env node
// Builds the kind node image for machines where kindest/node cannot be pulled, unless it is there
// already (docs/kind.md). `node platform/kind/build-node-image.ts [--verbose]`; scripts/test.sh runs it
// before the kind tests. Prints each step and how long it took; exit 0 when the image is there.
import { detectContainerEngine } from '../../harness/containers/container-engine.ts';
import { CrucibleError } from '../../harness/errors/crucible-error.ts';
import { ensureNodeImage } from './node-image/node-image.ts';

const verbose = process.argv.includes('--verbose');
const say = (line: string): void => console.log(`kind node image: ${line}`);
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort(new Error(`interrupted by ${sig}`)));

const start = performance.now();
try {
  const engine = await detectContainerEngine({ signal: controller.signal });
  const result = await ensureNodeImage(engine, {
    signal: controller.signal,
    ...(verbose ? { log: (l: string) => console.log(l) } : {}),
    onStep: (step, ms, built) => say(`${(ms / 1000).toFixed(1).padStart(6)} s  ${step}${built ? '' : ' (cached)'}`),
  });
  say(`${result.ref} ${result.built ? 'built' : 'up to date'} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
} catch (err) {
  if (err instanceof CrucibleError) {
    console.error(`kind node image: error: ${err.message}`);
    for (const d of err.details) console.error(`  ${d}`);
    console.error(`  hint: ${err.hint}`);
    process.exitCode = err.exitCode;
  } else throw err;
}
