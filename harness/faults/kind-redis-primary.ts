import { CoreV1Api } from '@kubernetes/client-node';
import { secretValue } from '../targets/kind/kube-api.ts';
import { PodPortForward } from '../targets/kind/pod-port-forward.ts';
import type { KindFaultEnvironment } from './fault.ts';
import { redisPrimaryOf } from './redis-cluster-primary.ts';

/** The reference platform's Redis Cluster on Kubernetes: its pods' label, their port, and the Secret holding its password. */
const REDIS_PODS = 'app.kubernetes.io/name=redis';
const REDIS_PORT = 6379;
const REDIS_SECRET = { name: 'redis-auth', key: 'password' } as const;

/**
 * The pod that is the primary of `shard` right now, asked of the cluster through port forwards to its
 * pods (the node's announced address is its pod IP) with the password of the Secret the harness made.
 */
export async function kindRedisPrimaryPod(env: KindFaultEnvironment, shard: number): Promise<string> {
  const namespace = env.target.namespace;
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  const pods = (await core.listNamespacedPod({ namespace, labelSelector: REDIS_PODS })).items.filter((p) => p.status?.podIP && !p.metadata?.deletionTimestamp);
  if (pods.length === 0) throw new Error(`no Redis pod (${REDIS_PODS}) in ${namespace}`);
  const password = await secretValue(env.kubeConfig, namespace, REDIS_SECRET.name, REDIS_SECRET.key);
  await using forwards = new AsyncDisposableStack();
  const nodes = [];
  for (const p of pods)
    nodes.push({ host: '127.0.0.1', port: forwards.use(await PodPortForward.open(env.kubeConfig, namespace, p.metadata?.name ?? '', REDIS_PORT)).port });
  const { ip } = await redisPrimaryOf(shard, nodes, password);
  const pod = pods.find((p) => p.status?.podIP === ip)?.metadata?.name;
  if (!pod) throw new Error(`the primary of shard ${shard} announces ${ip}, which is no Redis pod of ${namespace}`);
  return pod;
}
