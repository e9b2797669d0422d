import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { KindHost, KindProvider, NodeImageSource } from './kind-fixes.ts';

/**
 * Whether this host lets a process lower its oom_score_adj, which containerd does for every pod
 * sandbox (-998). Asked of a child shell so crucible's own score is untouched. Root without
 * CAP_SYS_RESOURCE (the project's VMs) is refused.
 */
export function oomScoreAdjDenied(): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'echo -998 > /proc/self/oom_score_adj'], { stdio: 'ignore', timeout: 5_000 });
  return probe.status !== 0;
}

/**
 * Whether kind's default node image (kindest/node) can be pulled: Docker Hub's registry answers (any
 * HTTP answer counts: 401 is its normal reply to an anonymous /v2/). One request, bounded by 5 s.
 */
export async function registryReachable(signal?: AbortSignal): Promise<boolean> {
  try {
    const timeout = AbortSignal.timeout(5_000);
    await fetch('https://registry-1.docker.io/v2/', { method: 'GET', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    return true;
  } catch {
    if (signal?.aborted) throw signal.reason;
    return false;
  }
}

/** This machine's facts, as kindFixes needs them. */
export function currentKindHost(provider: KindProvider, nodeImage: NodeImageSource): KindHost {
  return {
    provider,
    cgroupV2: existsSync('/sys/fs/cgroup/cgroup.controllers'),
    oomScoreAdjDenied: oomScoreAdjDenied(),
    libModules: existsSync('/lib/modules'),
    nodeImage,
  };
}
