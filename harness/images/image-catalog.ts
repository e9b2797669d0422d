/**
 * The platform's images: one Containerfile per part under platform/images/<name>/, and what each
 * build context holds. Every part of a context is an input of the image's content hash.
 */
export type ImageName = 'gateway' | 'auth' | 'catalog' | 'redis' | 'postgres' | 'prometheus' | 'toxiproxy' | 'edge' | 'kube-state-metrics';

/** What goes into a build context, besides the image's own folder (its Containerfile and files). */
export type ContextPart =
  /** A project file or folder (tests left out), copied to `to` in the context. */
  | { readonly kind: 'copy'; readonly from: string; readonly to: string }
  /** The official Node binary from the npm registry's node-linux-<arch> package, as `node`. */
  | { readonly kind: 'node' }
  /** app/: the services' sources, the fixtures they read, the health check and their runtime dependencies. */
  | { readonly kind: 'app' }
  /** A binary setup built or installed (crucible doctor lists them), copied by its name. */
  | { readonly kind: 'tool'; readonly tool: 'toxiproxy-server' | 'kube-state-metrics' };

export interface PlatformImage {
  readonly name: ImageName;
  /** One line for `images build --help` and the docs. */
  readonly purpose: string;
  readonly context: readonly ContextPart[];
}

const HTTP_OK: ContextPart = { kind: 'copy', from: 'platform/images/shared/http-ok', to: 'http-ok' };
const SERVICE: readonly ContextPart[] = [{ kind: 'node' }, { kind: 'app' }];

export const PLATFORM_IMAGES: readonly PlatformImage[] = [
  { name: 'gateway', purpose: 'the API gateway and the web UI it serves (Node 24)', context: SERVICE },
  { name: 'auth', purpose: 'the auth service (Node 24, mutual TLS)', context: SERVICE },
  { name: 'catalog', purpose: 'the catalog service (Node 24, mutual TLS)', context: SERVICE },
  { name: 'redis', purpose: "a Redis 7 node (Debian's redis-server)", context: [] },
  { name: 'postgres', purpose: 'PostgreSQL 15, initialised on first start', context: [] },
  {
    name: 'prometheus',
    purpose: 'Prometheus with the SLO alert rules (promtool-checked while building)',
    context: [
      HTTP_OK,
      { kind: 'copy', from: 'platform/prometheus/rules.yml', to: 'rules.yml' },
      { kind: 'copy', from: 'platform/prometheus/rules.test.yml', to: 'rules.test.yml' },
    ],
  },
  { name: 'toxiproxy', purpose: 'Toxiproxy 2.12, the mesh the faults act on', context: [HTTP_OK, { kind: 'tool', tool: 'toxiproxy-server' }] },
  { name: 'edge', purpose: 'HAProxy 2.6, the edge in front of the gateways', context: [HTTP_OK] },
  {
    name: 'kube-state-metrics',
    purpose: "kube-state-metrics 2.20, the Kubernetes objects' state for the kind platform's alerts",
    context: [HTTP_OK, { kind: 'tool', tool: 'kube-state-metrics' }],
  },
];

export const IMAGE_NAMES: readonly ImageName[] = PLATFORM_IMAGES.map((i) => i.name);

/** The repository part of an image's reference: localhost/crucible/<name>. */
export function imageRepository(name: ImageName): string {
  return `localhost/crucible/${name}`;
}

/** The exact reference of a build: the version and the first 12 hex digits of its inputs' hash. */
export function imageRef(name: ImageName, version: string, inputsHash: string): string {
  return `${imageRepository(name)}:${version}-${inputsHash.slice(0, 12)}`;
}
