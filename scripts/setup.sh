#!/usr/bin/env bash
# The one setup step both README commands run first. Idempotent: a second run only checks.
#   1. a Node.js >= 24 (the system one if it is new enough, else the official binary from the npm
#      registry's node-linux-<arch> package, kept in .tools/),
#   2. npm dependencies from the lockfile (npm ci, only when the lockfile changed),
#   3. the platform's tools (crucible setup, harness/tools/setup-tools.ts: redis, postgresql, prometheus, haproxy,
#      chromium from Debian; toxiproxy-server from its Go module),
#   4. graphql-core (pinned, from PyPI) in a venv for the vulnerable Python API the penetration tests attack,
#   5. the tools crucible's own tests use (scripts/setup-dev-tools.ts: actionlint from its Go module, and
#      of Debian's packages shellcheck).
# This part is bash because it has to run before any Node we trust exists.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
node_pin="${CRUCIBLE_NODE_VERSION:-24.21.0}"
node_min_major=24

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

mkdir -p "$tools/bin"
export PATH="$tools/bin:$PATH"

# 1. Node.js
if [ -x "$tools/bin/node" ] && [ "$(node_major "$tools/bin/node")" -ge "$node_min_major" ]; then
  say "node $("$tools/bin/node" -v) (found in .tools)"
elif command -v node >/dev/null && [ "$(node_major node)" -ge "$node_min_major" ]; then
  say "node $(node -v) (found on PATH: $(command -v node))"
else
  command -v npm >/dev/null || fail "node >= $node_min_major is missing and there is no npm to fetch it with. Install Node.js $node_min_major LTS (https://nodejs.org) and run again."
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) fail "no Node.js package for $(uname -m) on the npm registry; install Node.js $node_min_major LTS by hand." ;;
  esac
  os="$(uname -s | tr 'A-Z' 'a-z')"
  say "node $(node -v 2>/dev/null || echo none) is older than $node_min_major: installing node-$os-$arch@$node_pin from the npm registry"
  rm -rf "$tools/node-pkg"
  mkdir -p "$tools/node-pkg"
  # Its own package.json keeps npm from walking up and installing into the project's node_modules.
  echo '{"name":"crucible-node","private":true}' > "$tools/node-pkg/package.json"
  (cd "$tools/node-pkg" && npm install --no-package-lock --loglevel=error "node-$os-$arch@$node_pin" >/dev/null) \
    || fail "could not install node-$os-$arch@$node_pin from the npm registry; install Node.js $node_min_major LTS by hand."
  ln -sf "$tools/node-pkg/node_modules/node-$os-$arch/bin/node" "$tools/bin/node"
  say "node $("$tools/bin/node" -v) (installed into .tools)"
fi

# 2. npm dependencies, from the lockfile. The stamp avoids a 20 s `npm ci` when nothing changed.
cd "$root"
lock_sum="$(sha256sum package-lock.json 2>/dev/null | cut -d' ' -f1 || true)"
stamp="node_modules/.crucible-lock-sha256"
if [ -n "$lock_sum" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  say "npm dependencies up to date"
else
  if [ -f package-lock.json ]; then
    say "installing npm dependencies from package-lock.json (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed; run it by hand to see why."
  else
    say "no package-lock.json: running npm install to create it"
    npm install --no-audit --no-fund --loglevel=error >/dev/null || fail "npm install failed; run it by hand to see why."
    lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
  fi
  echo "$lock_sum" > "$stamp"
fi

# 3. Platform tools: the same code as `crucible setup`.
node --disable-warning=ExperimentalWarning "$root/harness/cli/main.ts" setup "$@"

# 4. The vulnerable Python API the penetration tests attack (fixtures/vulnerable-api/app.py): Python's
#    own library and graphql-core, pinned, in a venv of its own (the system's Python stays untouched).
venv="$tools/vulnerable-api-venv"
graphql_pin=3.2.8
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import sys, graphql; sys.exit(graphql.__version__ != '$graphql_pin')" 2>/dev/null; then
  say "graphql-core $graphql_pin for the vulnerable API (found in .tools/vulnerable-api-venv)"
else
  command -v python3 >/dev/null || fail "python3 (>= 3.11) is missing; the vulnerable API test fixture needs it. Install it and run again."
  say "installing graphql-core==$graphql_pin from PyPI into .tools/vulnerable-api-venv (the vulnerable API test fixture)"
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "python3 -m venv failed (on Debian: apt-get install python3-venv) and run again."
  "$venv/bin/pip" install --quiet --disable-pip-version-check "graphql-core==$graphql_pin" || fail "pip could not install graphql-core==$graphql_pin; run it by hand to see why."
fi

# 5. What crucible's own tests use besides (actionlint, shellcheck: the CI workflows `crucible init` writes).
exec node --disable-warning=ExperimentalWarning "$root/scripts/setup-dev-tools.ts"
