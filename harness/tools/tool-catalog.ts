/** A binary the platform or the harness runs, and how setup obtains it. */
export interface ToolSpec {
  /** The name commands are looked up by. */
  readonly id: ToolId;
  /** What crucible uses it for, shown by `doctor`. */
  readonly purpose: string;
  /** Alternative executable names, tried in order. */
  readonly names: readonly string[];
  /** Extra directories to search beyond PATH (globs allowed in the last segment's parent). */
  readonly extraDirs?: readonly string[];
  /** Arguments that print a version. */
  readonly versionArgs: readonly string[];
  readonly install:
    | { readonly kind: 'debian'; readonly pkg: string }
    | { readonly kind: 'go'; readonly module: string; readonly version: string; readonly builtName: string; readonly ldflags?: string };
  /** Needed by the local target; others only by specific commands, or (dev) by crucible's own tests. */
  readonly requiredFor: readonly ('local' | 'browser' | 'bench' | 'dev' | 'kind')[];
}

export type ToolId =
  | 'redis-server'
  | 'redis-cli'
  | 'postgres'
  | 'initdb'
  | 'prometheus'
  | 'haproxy'
  | 'toxiproxy-server'
  | 'chromium'
  | 'wrk'
  | 'actionlint'
  | 'shellcheck'
  | 'podman'
  | 'runc'
  | 'debootstrap'
  | 'iptables'
  | 'netavark'
  | 'aardvark-dns'
  | 'kind'
  | 'kube-state-metrics';

const PG_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
const TOXIPROXY_VERSION = '2.12.0';
/** kind's version; its module also holds the files of the locally built node image (platform/kind/node-image/versions.ts). */
export const KIND_VERSION = 'v0.33.0';
const KUBE_STATE_METRICS_VERSION = '2.20.0';

export const TOOLS: readonly ToolSpec[] = [
  {
    id: 'redis-server',
    purpose: 'Redis Cluster (6 nodes) for cache, rate limits and revocation',
    names: ['redis-server'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'redis-server' },
    requiredFor: ['local'],
  },
  {
    id: 'redis-cli',
    purpose: 'creates the Redis Cluster',
    names: ['redis-cli'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'redis-tools' },
    requiredFor: ['local'],
  },
  {
    id: 'postgres',
    purpose: 'PostgreSQL, the system of record',
    names: ['postgres'],
    extraDirs: PG_DIRS,
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'postgresql' },
    requiredFor: ['local'],
  },
  {
    id: 'initdb',
    purpose: 'creates the PostgreSQL data directory',
    names: ['initdb'],
    extraDirs: PG_DIRS,
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'postgresql' },
    requiredFor: ['local'],
  },
  {
    id: 'prometheus',
    purpose: 'scrapes every service at 1 s and evaluates the SLO alerts',
    names: ['prometheus'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'prometheus' },
    requiredFor: ['local'],
  },
  {
    id: 'haproxy',
    purpose: 'the edge load balancer in front of the gateway replicas',
    names: ['haproxy'],
    extraDirs: ['/usr/sbin'],
    versionArgs: ['-v'],
    install: { kind: 'debian', pkg: 'haproxy' },
    requiredFor: ['local'],
  },
  {
    id: 'toxiproxy-server',
    purpose: 'the local mesh: every service and datastore edge passes through it so faults can be injected',
    names: ['toxiproxy-server'],
    versionArgs: ['-version'],
    install: {
      kind: 'go',
      module: 'github.com/Shopify/toxiproxy/v2/cmd/server',
      version: `v${TOXIPROXY_VERSION}`,
      builtName: 'server',
      ldflags: `-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION}`,
    },
    requiredFor: ['local'],
  },
  {
    id: 'chromium',
    purpose: 'browser journeys through the web UI (Playwright)',
    names: ['chromium', 'chromium-browser'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'chromium' },
    requiredFor: ['browser'],
  },
  {
    id: 'wrk',
    purpose: 'reference load generator the benchmarks compare against',
    names: ['wrk'],
    versionArgs: ['-v'],
    install: { kind: 'debian', pkg: 'wrk' },
    requiredFor: ['bench'],
  },
  // The kind target's chain (docs/kind.md). containerd, runc and the CNI plugins the nodes run come
  // from Debian inside the node image, not from the host: a host containerd package would start a
  // system daemon on machines with systemd, and nothing on the host needs one.
  {
    id: 'podman',
    purpose: "kind's node containers and the images the node image is built from (where no Docker engine answers)",
    names: ['podman'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'podman' },
    requiredFor: ['kind'],
  },
  {
    id: 'runc',
    purpose: "podman's runtime on cgroup v1 hosts (crun 1.8 fails there)",
    names: ['runc'],
    extraDirs: ['/usr/sbin', '/sbin'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'runc' },
    requiredFor: ['kind'],
  },
  {
    id: 'debootstrap',
    purpose: 'the local Debian base image every locally built image starts from (no registry here)',
    names: ['debootstrap'],
    extraDirs: ['/usr/sbin', '/sbin'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'debootstrap' },
    requiredFor: ['kind'],
  },
  {
    id: 'iptables',
    purpose: "NAT for podman's networks (kind's node network)",
    names: ['iptables'],
    extraDirs: ['/usr/sbin', '/sbin'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'iptables' },
    requiredFor: ['kind'],
  },
  // Named so that apt takes netavark for podman's network backend, not the CNI plugins (its other
  // choice): CNI networks have no DNS here, and kind's nodes find the control plane by name.
  {
    id: 'netavark',
    purpose: "podman's network backend: user networks with DNS (kind's nodes find the control plane by name)",
    names: ['netavark'],
    extraDirs: ['/usr/lib/podman', '/usr/libexec/podman'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'netavark' },
    requiredFor: ['kind'],
  },
  {
    id: 'aardvark-dns',
    purpose: "the DNS server of netavark's networks",
    names: ['aardvark-dns'],
    extraDirs: ['/usr/lib/podman', '/usr/libexec/podman'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'aardvark-dns' },
    requiredFor: ['kind'],
  },
  {
    id: 'kind',
    purpose: 'Kubernetes in containers: the kind target and its tests',
    names: ['kind'],
    versionArgs: ['version'],
    install: { kind: 'go', module: 'sigs.k8s.io/kind', version: KIND_VERSION, builtName: 'kind' },
    requiredFor: ['kind'],
  },
  {
    id: 'kube-state-metrics',
    purpose: "the Kubernetes objects' state for the kind platform's Kubernetes alerts (its kube-state-metrics image copies it)",
    names: ['kube-state-metrics'],
    versionArgs: ['version'],
    install: {
      kind: 'go',
      module: 'k8s.io/kube-state-metrics/v2',
      version: `v${KUBE_STATE_METRICS_VERSION}`,
      builtName: 'kube-state-metrics',
      // Stripped (as its own release is): the image carries it. The version stamp is what --version prints.
      ldflags: `-s -w -X github.com/prometheus/common/version.Version=v${KUBE_STATE_METRICS_VERSION}`,
    },
    requiredFor: ['kind'],
  },
];

const ACTIONLINT_VERSION = '1.7.12';

/**
 * The tools crucible's own tests use, not the platform: the checkout's setup (scripts/setup.sh)
 * installs them, `crucible setup` and `crucible doctor` leave them out.
 */
export const DEV_TOOLS: readonly ToolSpec[] = [
  {
    id: 'actionlint',
    purpose: 'lints the GitHub Actions workflows crucible init writes (test/init)',
    names: ['actionlint'],
    versionArgs: ['-version'],
    install: { kind: 'go', module: 'github.com/rhysd/actionlint/cmd/actionlint', version: `v${ACTIONLINT_VERSION}`, builtName: 'actionlint' },
    requiredFor: ['dev'],
  },
  {
    id: 'shellcheck',
    purpose: "checks the workflows' run: scripts (actionlint runs it)",
    names: ['shellcheck'],
    versionArgs: ['--version'],
    install: { kind: 'debian', pkg: 'shellcheck' },
    requiredFor: ['dev'],
  },
];

export function toolSpec(id: ToolId): ToolSpec {
  const spec = [...TOOLS, ...DEV_TOOLS].find((t) => t.id === id);
  if (!spec) throw new Error(`unknown tool ${id}`);
  return spec;
}
