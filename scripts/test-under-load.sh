#!/usr/bin/env bash
# The unit and component tests (step 2 of npm test) on a heavily loaded machine: CPU-bound processes
# beside them (six by default: a load average about 8 on 2 cores, as on a shared CI machine), to show
# that no test depends on the machine's speed. Run `npm run setup` once first.
#
#   bash scripts/test-under-load.sh                  # the whole unit and component phase
#   bash scripts/test-under-load.sh harness/load/engine/engine.test.ts   # only these files
#   HOGS=2 bash scripts/test-under-load.sh           # fewer CPU-bound processes
#
# The CPU-bound processes are stopped when the script exits (also on Ctrl-C), and each one kills
# itself after HOG_MAX_SEC (default 3600) even if this script is SIGKILLed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/.tools/bin:$root/node_modules/.bin:$PATH"
cd "$root"

hogs="${HOGS:-6}"
hog_max_sec="${HOG_MAX_SEC:-3600}"
warmup_sec="${WARMUP_SEC:-10}"
samples="$(mktemp)"
hog_pids=()
sampler_pid=''

load1() { cut -d' ' -f1 /proc/loadavg; }

stop_all() {
  for pid in "${hog_pids[@]}" $sampler_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hog_pids[@]}" $sampler_pid; do wait "$pid" 2>/dev/null || true; done
  rm -f "$samples"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$#" -gt 0 ]; then
  tests=("$@")
else
  # The same files as the "unit and component tests" step of scripts/test.sh.
  mapfile -t tests < <(find harness platform fixtures scripts -name '*.test.ts' -not -path '*/node_modules/*' | sort)
fi

printf 'starting %d CPU-bound processes beside the tests on %d cores (load average now %s)\n' "$hogs" "$(nproc)" "$(load1)"
for _ in $(seq 1 "$hogs"); do
  # A shell loop burns user CPU and nothing else; timeout bounds it should this script die unhandled.
  timeout --signal=KILL "$hog_max_sec" sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &
  hog_pids+=("$!")
done
# Detached from stdout, so that its last sleep does not hold a pipe open after the script ends.
(while :; do load1 >>"$samples"; sleep 5; done) </dev/null >/dev/null 2>&1 &
sampler_pid="$!"
sleep "$warmup_sec"

printf 'running %d test files (load average %s)\n' "${#tests[@]}" "$(load1)"
started="$(date +%s)"
rc=0
node --disable-warning=ExperimentalWarning --test --test-concurrency=2 --test-timeout=300000 "${tests[@]}" || rc=$?
took="$(($(date +%s) - started))"

load1 >>"$samples"
highest="$(sort -g "$samples" | tail -n 1)"
mean="$(awk '{ s += $1 } END { printf "%.1f", s / NR }' "$samples")"
printf '\nunder load: %d CPU-bound processes on %d cores; load average (1 min) mean %s, highest %s, at the end %s\n' \
  "$hogs" "$(nproc)" "$mean" "$highest" "$(load1)"
if [ "$rc" -eq 0 ]; then
  printf 'unit and component tests passed under load in %d s\n' "$took"
else
  printf 'unit and component tests FAILED under load (exit %d) after %d s\n' "$rc" "$took"
fi
exit "$rc"
