#!/usr/bin/env bash
# README command 2 (npm test): setup, type check, lint, then every test. The platform tests start
# and stop the platform themselves (port base 7400, apart from a developer's `crucible up` on 7300).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
export PATH="$root/.tools/bin:$root/node_modules/.bin:$PATH"
cd "$root"

step() { printf '\n== %s\n' "$*"; }

step "type check (tsc --noEmit; k6 scripts against @types/k6 on their own)"
tsc --noEmit -p .
tsc --noEmit -p scenarios/k6/tsconfig.json

step "lint (eslint) and format (prettier --check; npm run format fixes it)"
eslint --max-warnings 0 .
prettier --check --log-level warn .

step "unit and component tests"
# Component tests start their own PostgreSQL / Redis Cluster on private port ranges.
mapfile -t unit < <(find harness platform fixtures scripts -name '*.test.ts' -not -path '*/node_modules/*' | sort)
node --disable-warning=ExperimentalWarning --test --test-concurrency=2 --test-timeout=300000 "${unit[@]}"

step "kind node image (built once from the Go module proxy and Debian, then cached: docs/kind.md)"
node --disable-warning=ExperimentalWarning platform/kind/build-node-image.ts
node --disable-warning=ExperimentalWarning platform/kind/fetch-istio-crds.ts

step "platform tests (the whole platform, started and stopped by the tests; test/kind/: a real kind cluster)"
mapfile -t platform < <(find test -name '*.test.ts' | sort)
node --disable-warning=ExperimentalWarning --test --test-concurrency=1 --test-timeout=600000 "${platform[@]}"
