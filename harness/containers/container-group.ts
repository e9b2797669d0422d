import type { ContainerEngine } from './container-engine.ts';
import { OWNER_LABEL, startContainer, type ContainerSpec } from './container-spec.ts';
import { engineCommand, engineExec } from './engine-command.ts';

/**
 * A network and the containers started on it, all labelled with one owner value; disposing removes
 * every container carrying the label (found by label, so one whose `run` was interrupted after
 * the engine created it goes too) and then the network.
 */
export class ContainerGroup implements AsyncDisposable {
  readonly engine: ContainerEngine;
  /** The owner label's value and the network's name. */
  readonly owner: string;

  private constructor(engine: ContainerEngine, owner: string) {
    this.engine = engine;
    this.owner = owner;
  }

  static async create(engine: ContainerEngine, owner: string, signal?: AbortSignal): Promise<ContainerGroup> {
    const group = new ContainerGroup(engine, owner);
    await engineCommand(engine, ['network', 'create', '--label', `${OWNER_LABEL}=${owner}`, owner], { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
    return group;
  }

  get network(): string {
    return this.owner;
  }

  /** The network's IPv4 subnet as the engine chose it ('10.89.1.0/24'). */
  async subnet(signal?: AbortSignal): Promise<string> {
    const format = this.engine.kind === 'podman' ? '{{range .Subnets}}{{.Subnet}} {{end}}' : '{{range .IPAM.Config}}{{.Subnet}} {{end}}';
    const out = await engineCommand(this.engine, ['network', 'inspect', '--format', format, this.owner], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
    const v4 = out.split(/\s+/).find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
    if (!v4) throw new Error(`network ${this.owner} has no IPv4 subnet ('${out.trim()}')`);
    return v4;
  }

  async start(spec: Omit<ContainerSpec, 'owner' | 'network'>, signal?: AbortSignal): Promise<string> {
    return startContainer(this.engine, { ...spec, owner: this.owner, network: this.owner }, signal);
  }

  /** Removes every container and network carrying the owner label; what it could not remove, listed. */
  async remove(): Promise<string[]> {
    return removeOwned(this.engine, this.owner);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const left = await this.remove();
    if (left.length > 0) throw new Error(`could not remove ${left.join(', ')}`);
  }
}

/** Removes the containers (with their anonymous volumes) and networks labelled with the owner; returns what is left. */
export async function removeOwned(engine: ContainerEngine, owner: string): Promise<string[]> {
  const filter = ['--filter', `label=${OWNER_LABEL}=${owner}`];
  const list = async (args: string[]): Promise<string[]> =>
    (await engineExec(engine, args, { timeoutMs: 60_000 })).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const containers = await list(['ps', '--all', '--quiet', ...filter]);
  if (containers.length > 0)
    await engineExec(engine, ['rm', '--force', '--volumes', ...(engine.kind === 'podman' ? ['--time', '5'] : []), ...containers], { timeoutMs: 120_000 });
  const networks = await list(['network', 'ls', '--quiet', ...filter]);
  if (networks.length > 0) await engineExec(engine, ['network', 'rm', ...networks], { timeoutMs: 60_000 });
  return [
    ...(await list(['ps', '--all', '--quiet', ...filter])).map((c) => `container ${c}`),
    ...(await list(['network', 'ls', '--quiet', ...filter])).map((n) => `network ${n}`),
  ];
}
