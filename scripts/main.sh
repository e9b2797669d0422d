#!/usr/bin/env bash
# README command 1 (npm start): setup, then the main job on the local target:
# start the platform, run the smoke check, print a summary, stop everything.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
exec "$root/bin/crucible" smoke "$@"
