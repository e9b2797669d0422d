import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../util/project-root.ts';

/**
 * What podman needs on machines like the project's VMs (../shared/reference/machine.md): the VM denies
 * raising rlimits above 20000 (no CAP_SYS_RESOURCE), so a rootful container's default nofile/nproc
 * (1048576) fails to start; crun 1.8 fails on a hybrid cgroup v1 layout, so runc runs containers; and a
 * podman that fell back to CNI networks (no DNS) is switched to netavark once that is installed.
 */
export const PODMAN_ULIMIT = 20_000;

/** Why the project's containers.conf is used on this machine (empty: podman runs with its own config). */
export type PodmanFix = 'rlimit-ceiling' | 'cgroup-v1' | 'cni-without-dns';

export interface PodmanHost {
  /** The calling process's hard limit on open files (podman's rootful default is 1048576). */
  readonly nofileHardLimit: number;
  /** Whether /sys/fs/cgroup is the unified (v2-only) hierarchy; crun 1.8 fails on v1 and hybrid. */
  readonly unifiedCgroup: boolean;
  readonly root: boolean;
  /** Whether runc is installed (the runtime the cgroup fix switches to). */
  readonly runc: boolean;
  /** Whether podman has configured CNI networks here (/etc/cni/net.d/87-podman*): it fell back to CNI once. */
  readonly cniNetworks: boolean;
  /** Whether netavark (and its DNS server, aardvark-dns) is installed, the backend the CNI fix switches to. */
  readonly netavark: boolean;
}

const ROOTFUL_DEFAULT_NOFILE = 1_048_576;

/** The fixes this host needs; pure, so a test can ask about any host. */
export function podmanFixes(host: PodmanHost): PodmanFix[] {
  const fixes: PodmanFix[] = [];
  // Rootless podman takes its defaults from the caller's limits, so only rootful podman hits the ceiling.
  if (host.root && host.nofileHardLimit < ROOTFUL_DEFAULT_NOFILE) fixes.push('rlimit-ceiling');
  if (!host.unifiedCgroup && host.runc) fixes.push('cgroup-v1');
  // Podman 4 keeps the CNI backend once it has used it (it did where netavark was not installed when it
  // first ran); CNI's user networks have no DNS without the dnsname plugin, and kind's nodes find the
  // control plane by name (a worker's `kubeadm join` waits forever). Netavark's networks have DNS.
  if (host.cniNetworks && host.netavark) fixes.push('cni-without-dns');
  return fixes;
}

/** The containers.conf text for the fixes (containers.conf(5)). */
export function containersConf(fixes: readonly PodmanFix[]): string {
  const lines = ['# Written by crucible (harness/containers/podman-env.ts); podman reads it through CONTAINERS_CONF.'];
  if (fixes.includes('rlimit-ceiling'))
    lines.push('[containers]', `default_ulimits = ["nofile=${PODMAN_ULIMIT}:${PODMAN_ULIMIT}", "nproc=${PODMAN_ULIMIT}:${PODMAN_ULIMIT}"]`);
  if (fixes.includes('cgroup-v1')) lines.push('[engine]', 'runtime = "runc"');
  if (fixes.includes('cni-without-dns')) lines.push('[network]', 'network_backend = "netavark"');
  return `${lines.join('\n')}\n`;
}

function hardLimit(name: string): number {
  try {
    const row = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(name));
    const hard = row?.slice(name.length).trim().split(/\s+/)[1];
    return hard === undefined || hard === 'unlimited' ? Number.POSITIVE_INFINITY : Number(hard);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env['PATH'] ?? '')
    .split(':')
    .concat('/usr/sbin', '/usr/bin', '/sbin')
    .some((dir) => dir !== '' && existsSync(join(dir, name)));
}

const CNI_CONFIG_DIR = '/etc/cni/net.d';
/** Where distributions put podman's helper binaries (Debian: /usr/lib/podman). */
const NETAVARK_DIRS = ['/usr/lib/podman', '/usr/libexec/podman', '/usr/local/lib/podman', '/usr/local/libexec/podman'];

/** This machine, as podmanFixes needs it. */
export function currentPodmanHost(env: NodeJS.ProcessEnv = process.env): PodmanHost {
  return {
    nofileHardLimit: hardLimit('Max open files'),
    unifiedCgroup: existsSync('/sys/fs/cgroup/cgroup.controllers'),
    root: process.getuid?.() === 0,
    runc: onPath('runc', env),
    cniNetworks: existsSync(CNI_CONFIG_DIR) && readdirSync(CNI_CONFIG_DIR).some((f) => f.startsWith('87-podman')),
    netavark: NETAVARK_DIRS.some((d) => existsSync(join(d, 'netavark')) && existsSync(join(d, 'aardvark-dns'))),
  };
}

/** Where the project's containers.conf is written (the git-ignored tools folder setup also uses). */
export function containersConfPath(toolsDir = join(projectRoot(), '.tools')): string {
  return join(toolsDir, 'containers', 'containers.conf');
}

/**
 * The environment to run podman with: the caller's, plus CONTAINERS_CONF naming the project's file
 * when this host needs a fix (the file is written, or rewritten when its text changed). A
 * CONTAINERS_CONF the user set already is kept: it replaces every other containers.conf, theirs wins.
 */
export function podmanEnv(opts: { env?: NodeJS.ProcessEnv; host?: PodmanHost; confPath?: string } = {}): NodeJS.ProcessEnv {
  const env = opts.env ?? process.env;
  if (env['CONTAINERS_CONF']) return { ...env };
  const fixes = podmanFixes(opts.host ?? currentPodmanHost(env));
  if (fixes.length === 0) return { ...env };
  const file = opts.confPath ?? containersConfPath();
  const text = containersConf(fixes);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  return { ...env, CONTAINERS_CONF: file };
}
