/**
 * What a kind cluster needs on machines like the project's VMs (docs/kind.md, kind-on-podman.md), each
 * applied only where the host needs it:
 * - 'cgroup-v1': kubelet 1.35 refuses a cgroup v1 host unless KubeletConfiguration sets failCgroupV1: false.
 * - 'oom-score-adj': where the host denies lowering oom_score_adj (no CAP_SYS_RESOURCE), runc fails every
 *   pod sandbox ("can't get final child's PID from pipe: EOF") until containerd's CRI plugin has
 *   restrict_oom_score_adj = true.
 * - 'no-lib-modules': kind's podman provider mounts /lib/modules read-only and `podman run` fails when the
 *   host has none; a podman wrapper first on kind's PATH points that mount at an empty folder.
 * - 'no-kindnetd': the locally built node image has no kindnetd (it is pulled from a registry), so the
 *   default CNI is disabled and kube-router (platform/kind/kube-router.yaml) is the CNI and enforces
 *   NetworkPolicies.
 */
export type KindFix = 'cgroup-v1' | 'oom-score-adj' | 'no-lib-modules' | 'no-kindnetd';

/** Why each fix is applied, for the log and `crucible doctor`. */
export const KIND_FIX_REASONS: Readonly<Record<KindFix, string>> = {
  'cgroup-v1': 'cgroup v1 host: kubelet is told failCgroupV1: false',
  'oom-score-adj': "the host denies oom_score_adj below 0: containerd's restrict_oom_score_adj = true",
  'no-lib-modules': 'no /lib/modules on the host: the podman wrapper mounts an empty folder there',
  'no-kindnetd': 'no kindnetd image (locally built node image): default CNI disabled, kube-router installed',
};

export type KindProvider = 'docker' | 'podman';

/** Where the node image comes from: kind's default (kindest/node, pulled) or the one built here. */
export type NodeImageSource = { readonly kind: 'official' } | { readonly kind: 'local'; readonly ref: string };

/** The facts about this host that decide the fixes. */
export interface KindHost {
  readonly provider: KindProvider;
  /** /sys/fs/cgroup is the unified hierarchy. */
  readonly cgroupV2: boolean;
  /** A process cannot lower its oom_score_adj (what containerd does for pod sandboxes). */
  readonly oomScoreAdjDenied: boolean;
  readonly libModules: boolean;
  readonly nodeImage: NodeImageSource;
}

/** The fixes this host needs; pure, so a test can ask about any host. */
export function kindFixes(host: KindHost): KindFix[] {
  const fixes: KindFix[] = [];
  if (!host.cgroupV2) fixes.push('cgroup-v1');
  if (host.oomScoreAdjDenied) fixes.push('oom-score-adj');
  // Docker creates a missing bind-mount source itself; podman refuses it.
  if (!host.libModules && host.provider === 'podman') fixes.push('no-lib-modules');
  if (host.nodeImage.kind === 'local') fixes.push('no-kindnetd');
  return fixes;
}
