import type { FaultSpec, ToxicType } from '../config/fault-spec.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import type { Fault, FaultEnvironment, FaultPlan, Mesh } from './fault.ts';
import { expandProxySelector } from './proxy-selector.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';

type ToxicSpec = Extract<FaultSpec, { type: 'toxic' }>;

/** Toxiproxy v2.12.0's attributes per toxic; the server silently ignores any other name, so a typo would inject nothing. */
const ATTRIBUTES = {
  latency: ['latency', 'jitter'],
  bandwidth: ['rate'],
  slow_close: ['delay'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slicer: ['average_size', 'size_variation', 'delay'],
  limit_data: ['bytes'],
} as const satisfies Record<ToxicType, readonly string[]>;

/** The toxic's name on every proxy it is added to: unique per fault, so faults never remove each other's toxics. */
const toxicName = (id: string, type: ToxicType): string => `crucible-${id}-${type}`;

/** A Toxiproxy toxic on one or more mesh edges; reverted by removing it. */
export class ToxicFault implements Fault {
  readonly spec: ToxicSpec;
  readonly env: FaultEnvironment;
  readonly mesh: Mesh;

  constructor(spec: ToxicSpec, env: FaultEnvironment, mesh: Mesh) {
    this.spec = spec;
    this.env = env;
    this.mesh = mesh;
  }

  async plan(id: string, name: string): Promise<FaultPlan> {
    const { spec } = this;
    const allowed: readonly string[] = ATTRIBUTES[spec.toxic];
    const wrong = Object.keys(spec.attributes ?? {}).filter((k) => !allowed.includes(k));
    if (wrong.length > 0) {
      throw new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `fault ${id} (${name}): ${spec.toxic} has no attribute ${wrong.map((w) => `'${w}'`).join(', ')}`, {
        details: [`${spec.toxic} takes: ${allowed.join(', ')}`],
      });
    }
    const proxies = await expandProxySelector(spec.proxy, this.mesh);
    const toxic = toxicName(id, spec.toxic);
    const api = new ToxiproxyApi(this.mesh.toxiproxyUrl);
    return {
      targets: proxies.join(', '),
      undo: proxies.map((proxy) => ({ kind: 'remove-toxic', proxy, toxic })),
      apply: async () => {
        for (const proxy of proxies) {
          await api.addToxic(proxy, {
            name: toxic,
            type: spec.toxic,
            stream: spec.stream ?? 'downstream',
            toxicity: spec.toxicity ?? 1,
            attributes: spec.attributes ?? {},
          });
        }
      },
    };
  }
}
