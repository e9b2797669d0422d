import type { ContainerEngine } from '../../containers/container-engine.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { ensureNodeImage, type NodeImageOptions } from '../../../platform/kind/node-image/node-image.ts';
import type { NodeImageSource } from './kind-fixes.ts';
import { registryReachable } from './kind-host.ts';

/**
 * The node image for a new cluster: kind's own kindest/node where a registry can serve it, otherwise
 * the one built on this machine (platform/kind/node-image, built when missing: ~15 minutes the first
 * time, then cached). CRUCIBLE_KIND_NODE_IMAGE=official|local decides instead of the registry probe.
 */
export async function chooseNodeImage(engine: ContainerEngine, opts: NodeImageOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<NodeImageSource> {
  const wanted = (opts.env ?? process.env)['CRUCIBLE_KIND_NODE_IMAGE'] ?? '';
  if (!['', 'official', 'local'].includes(wanted))
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `CRUCIBLE_KIND_NODE_IMAGE is '${wanted}': expected official or local`);
  if (wanted === 'official' || (wanted === '' && (await registryReachable(opts.signal)))) return { kind: 'official' };
  const { ref } = await ensureNodeImage(engine, opts);
  return { kind: 'local', ref };
}
