#!/usr/bin/env bash
# Make sure the npm test tooling in tools/node is installed (idempotent).
#
# Installs with `npm ci` (exactly what tools/node/package-lock.json says) when
# tools/node/node_modules is missing, incomplete, or older than the lock file;
# otherwise does nothing. Fails loudly (exit 1) when Node.js/npm are missing
# or too old, or when the install fails: tests that need these tools must
# fail, never skip.
#
# Used by `cargo xtask test` before `cargo test --workspace`.
set -euo pipefail

say() { echo "ensure-node-tools: $*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/tools/node"
[ -f "$dir/package.json" ] || die "missing $dir/package.json"
[ -f "$dir/package-lock.json" ] || die "missing $dir/package-lock.json"

# Node.js: install Debian's package only when node is absent.
if ! command -v node >/dev/null 2>&1; then
  say "node not found; trying: apt-get install -y nodejs npm"
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2 ||
      die "apt-get install nodejs npm failed"
  fi
  command -v node >/dev/null 2>&1 ||
    die "node is not installed (Node.js >= 20.16 and npm are needed for tools/node)"
fi
command -v npm >/dev/null 2>&1 ||
  die "npm is not installed (install npm for $(node --version))"

# @stoplight/prism-cli 5.14 needs node >= 18.20; one of its deps (jsep) and
# the checker's worker threads are tested on node 20.
node_version="$(node -p 'process.versions.node')"
node_major="${node_version%%.*}"
if [ "$node_major" -lt 20 ]; then
  die "node $node_version is too old: tools/node needs Node.js >= 20.16"
fi

marker="$dir/node_modules/.package-lock.json"
up_to_date() {
  [ -f "$marker" ] &&
    [ ! "$dir/package-lock.json" -nt "$marker" ] &&
    [ ! "$dir/package.json" -nt "$marker" ] &&
    [ -x "$dir/node_modules/.bin/prism" ] &&
    [ -f "$dir/node_modules/@mdx-js/mdx/package.json" ]
}

# Serialize concurrent callers (two test runs starting at once).
if command -v flock >/dev/null 2>&1; then
  lock="${TMPDIR:-/tmp}/ensure-node-tools.$(printf '%s' "$dir" | cksum | cut -d' ' -f1).lock"
  exec 9>"$lock"
  flock 9
fi

if up_to_date; then
  say "tools/node is up to date (node $node_version)"
  exit 0
fi

say "installing tools/node with npm ci (node $node_version, npm $(npm --version))"
start=$(date +%s)
npm ci --no-audit --no-fund --prefer-offline --prefix "$dir" >&2 ||
  die "npm ci in tools/node failed"
# npm ci keeps the lock file's mtime; make sure the marker is newer.
touch "$marker"
up_to_date || die "npm ci finished but tools/node/node_modules is incomplete"
say "installed in $(($(date +%s) - start))s"
