/**
 * Every error crucible reports on purpose, with its exit code and the hint shown under it.
 * docs/errors.md has a row per code; a test keeps the two in step. Codes are never reused: a
 * removed code goes to the doc's list of retired codes, which a test keeps out of this registry.
 * Exit codes: 1 a check/SLO failed, 2 invalid input, 3 infrastructure error or aborted.
 */
export const ERROR_CODES = {
  CRUCIBLE_ERR_INVALID_OPTION: { exitCode: 2, hint: 'Run the command with --help to see the accepted values.' },
  CRUCIBLE_ERR_TOOL_MISSING: {
    exitCode: 3,
    hint: "Run 'crucible setup' (installs what is missing), or install the tool and put it on PATH; 'crucible doctor' shows what is found.",
  },
  CRUCIBLE_ERR_PORT_IN_USE: {
    exitCode: 3,
    hint: "Stop whatever holds the port (a platform on this base: 'crucible down'), or choose another block with --port-base.",
  },
  CRUCIBLE_ERR_UP_FAILED: { exitCode: 3, hint: "Read the component's log (path above); 'crucible up' stopped everything it had started." },
  CRUCIBLE_ERR_UP_TIMEOUT: {
    exitCode: 3,
    hint: 'Raise --timeout on a slow machine, or read the logs of the components that were not ready; everything started was stopped.',
  },
  CRUCIBLE_ERR_UP_ABORTED: { exitCode: 3, hint: 'Interrupted while starting; everything started was stopped.' },
  CRUCIBLE_ERR_NOT_RUNNING: { exitCode: 3, hint: "Start the platform with 'crucible up' (or check --port-base)." },
  CRUCIBLE_ERR_DOWN_INCOMPLETE: { exitCode: 3, hint: 'Some processes survived SIGKILL (listed above); kill them by hand and report a bug.' },
  CRUCIBLE_ERR_SMOKE_FAILED: {
    exitCode: 1,
    hint: 'The platform started but did not serve as it should; the failing step and the logs under .crucible/ say why.',
  },
  CRUCIBLE_ERR_SCENARIO_NOT_FOUND: { exitCode: 2, hint: "Pass a path to a scenario or suite file, or a name under scenarios/ ('crucible run smoke')." },
  CRUCIBLE_ERR_SCENARIO_LOAD: {
    exitCode: 2,
    hint: 'The file threw or did not compile when imported; fix the error above (node runs it directly: try `node <file>`).',
  },
  CRUCIBLE_ERR_INVALID_SCENARIO: { exitCode: 2, hint: 'Fix each field listed above; docs/scenarios.md describes every option.' },
  CRUCIBLE_ERR_TARGET_UNAVAILABLE: { exitCode: 3, hint: "The target did not answer; for the local target run 'crucible up' (or let 'crucible run' start it)." },
  CRUCIBLE_ERR_REPORT_INPUT: { exitCode: 2, hint: 'Point at a run folder under reports/ or at its summary.json.' },
  CRUCIBLE_ERR_REGRESSION: { exitCode: 1, hint: 'The current run is worse than the baseline beyond noise; the comparison above lists each metric.' },
  CRUCIBLE_ERR_FAULT_INJECT: {
    exitCode: 3,
    hint: "The fault could not be applied (what it touched was rolled back); check the target names it lists and that the platform runs ('crucible status').",
  },
  CRUCIBLE_ERR_ROLLBACK_INCOMPLETE: {
    exitCode: 3,
    hint: "Some fault could not be undone (listed above); run 'crucible recover <run-folder>' again, or 'crucible down' and 'crucible up' for a clean platform.",
  },
  CRUCIBLE_ERR_RECOVER_INPUT: { exitCode: 2, hint: 'Point at a run folder that holds faults.jsonl (or at the file itself).' },
  CRUCIBLE_ERR_NO_CONTAINER_ENGINE: {
    exitCode: 3,
    hint: "Install Podman (Debian: 'apt-get install podman runc') or start Docker; CRUCIBLE_CONTAINER_ENGINE=docker|podman picks one.",
  },
  CRUCIBLE_ERR_CONTAINER_COMMAND: {
    exitCode: 3,
    hint: "The container engine refused the command; its last lines are above ('podman info' or 'docker info' shows its state).",
  },
  CRUCIBLE_ERR_BASE_IMAGE: {
    exitCode: 3,
    hint: "Install debootstrap and run as root, or use an official base from a registry ('crucible images build --base official').",
  },
  CRUCIBLE_ERR_IMAGE_BUILD: {
    exitCode: 3,
    hint: 'The build log above names the failing step; fix it and run again (images already built are kept and skipped).',
  },
  CRUCIBLE_ERR_NODE_IMAGE: {
    exitCode: 3,
    hint: "The kind node image could not be built (the failing step is above); 'node platform/kind/build-node-image.ts --verbose' shows every line. Steps already done are kept.",
  },
  CRUCIBLE_ERR_KIND_CLUSTER: {
    exitCode: 3,
    hint: "kind could not create or delete the cluster (its output is above); 'kind get clusters' and 'podman ps -a' show what is left, 'crucible recover' removes clusters crucible created.",
  },
  CRUCIBLE_ERR_CLUSTER_NAME_IN_USE: {
    exitCode: 3,
    hint: "A kind cluster of that name exists already; delete it ('kind delete cluster --name NAME') or choose another name.",
  },
  CRUCIBLE_ERR_LOAD_PODS_TARGET: {
    exitCode: 2,
    hint: 'Run --load-pods on the local target (or a URL or profile) for now; on kind, load pods as a Kubernetes Indexed Job come next (docs/distributed.md).',
  },
  CRUCIBLE_ERR_LOAD_POD_START: {
    exitCode: 3,
    hint: 'Each pod named above failed to load the scenario or was not ready in time; its last output is above. Everything started was stopped.',
  },
  CRUCIBLE_ERR_UNSUPPORTED_OS: { exitCode: 3, hint: 'The local target runs on Linux; use the containers or kind target elsewhere.' },
} as const satisfies Record<string, { exitCode: 1 | 2 | 3; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
