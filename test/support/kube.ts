// Test helpers over @kubernetes/client-node for tests against a real kind cluster: pods' readiness,
// a command run in a pod (exec through the API server), and bounded polling.
import { CoreV1Api, Exec, type KubeConfig, type V1ConfigMap, type V1Deployment, type V1Pod, type V1Status } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { COREDNS_VERSION, K8S_REGISTRY } from '../../platform/kind/node-image/versions.ts';

export const isPodReady = (pod: V1Pod): boolean =>
  pod.metadata?.deletionTimestamp === undefined && (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** The pods of a namespace (matching a label selector), sorted by name. */
export async function listPods(kc: KubeConfig, namespace: string, labelSelector?: string): Promise<V1Pod[]> {
  const api = kc.makeApiClient(CoreV1Api);
  const pods = (await api.listNamespacedPod({ namespace, ...(labelSelector ? { labelSelector } : {}) })).items;
  return pods.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/**
 * Polls `check` every intervalMs until it returns a value other than undefined; throws with the last
 * state `describe` gives after timeoutMs. Bounds a wait on a real cluster, never a speed assertion.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  opts: { timeoutMs: number; intervalMs?: number; describe?: () => Promise<string> },
): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (performance.now() >= deadline) throw new Error(`${what}: not within ${opts.timeoutMs / 1000} s${opts.describe ? ` (${await opts.describe()})` : ''}`);
    await sleep(opts.intervalMs ?? 500);
  }
}

/** `count` pods matching the selector, all Ready; the pods. */
export function waitForReadyPods(kc: KubeConfig, namespace: string, labelSelector: string | undefined, count: number, timeoutMs: number): Promise<V1Pod[]> {
  const describe = async (): Promise<string> =>
    (await listPods(kc, namespace, labelSelector)).map((p) => `${p.metadata?.name}: ${p.status?.phase}${isPodReady(p) ? ' Ready' : ''}`).join(', ') ||
    'no pods';
  return waitFor(
    `${count} Ready pods in ${namespace}${labelSelector ? ` (${labelSelector})` : ''}`,
    async () => {
      const pods = await listPods(kc, namespace, labelSelector);
      const ready = pods.filter(isPodReady);
      return ready.length >= count && pods.length === ready.length ? ready : undefined;
    },
    { timeoutMs, describe },
  );
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs a command in a pod's container through the API server; resolves with its exit status and output. */
export async function execInPod(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  command: readonly string[],
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const out = collector();
  const err = collector();
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kc).exec(namespace, pod, container, [...command], out.stream, err.stream, null, false, resolve).then((ws) => {
      ws.on('error', reject);
      // The status comes before the socket closes; a close without one is a broken exec.
      ws.on('close', () => reject(new Error(`exec in ${pod} ended without a status`)));
    }, reject);
  });
  return { ok: status.status === 'Success', stdout: out.text(), stderr: err.text() };
}

export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' };

/**
 * Two CoreDNS pods answering HTTP on :8080/health, spread over the nodes (the control plane too): a
 * server already in every node's containerd, so nothing is pulled. `spread` says whether the second
 * pod may share a node when the other cannot take it.
 */
export function webWorkload(namespace: string, spread: 'DoNotSchedule' | 'ScheduleAnyway'): { config: V1ConfigMap; deployment: V1Deployment } {
  return {
    config: { metadata: { name: 'web', namespace }, data: { Corefile: '.:5353 {\n  health :8080\n  whoami\n}\n' } },
    deployment: {
      metadata: { name: 'web', namespace },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            tolerations: [CONTROL_PLANE_TAINT],
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: spread, labelSelector: { matchLabels: { app: 'web' } } },
            ],
            terminationGracePeriodSeconds: 2,
            containers: [
              {
                name: 'web',
                image: `${K8S_REGISTRY}/coredns/coredns:${COREDNS_VERSION}`,
                imagePullPolicy: 'Never',
                args: ['-conf', '/etc/web/Corefile'],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 1 },
                volumeMounts: [{ name: 'conf', mountPath: '/etc/web' }],
              },
            ],
            volumes: [{ name: 'conf', configMap: { name: 'web' } }],
          },
        },
      },
    },
  };
}
