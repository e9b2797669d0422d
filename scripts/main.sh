#!/usr/bin/env bash
# README command 1 (npm start): setup, then the main job on the local target: start the platform,
# run the smoke check (every journey once), run the smoke suite under load with its reports and
# verdict, stop everything. Exit: the worst of the two (0 pass, 1 a check/SLO failed, 3 infrastructure).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh" || exit $?
crucible() { "$root/bin/crucible" "$@"; }

# Whatever happens below (a failure, Ctrl-C), nothing is left running.
trap 'crucible down >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM

# CRUCIBLE_PORT_BASE moves the whole job to another port block.
crucible smoke --keep
smoke=$?
run=0
if [ "$smoke" -eq 0 ]; then
  printf '\n'
  crucible run scenarios/suites/smoke.ts
  run=$?
fi
printf '\nstopping the platform: '
crucible down | tail -n 1
trap - EXIT
exit $(( smoke > run ? smoke : run ))
