#!/usr/bin/env bash
# Builds a frozen copy of the CLI for `npm run bench -- --cli-root <dir>` and prints <dir>.
# Why: a long bench run measures bin/ -> dist/, and anyone running `npm run build` (or `npm test`) in the meantime
# would swap the code under it. The copy is built from a git revision (default HEAD) with `git archive`, which reads
# the repository without touching the working tree, the index or dist/.
#   bench/freeze-build.sh            # HEAD
#   bench/freeze-build.sh <rev>      # any commit
#   bench/freeze-build.sh --worktree # the working tree's src/ as it is now
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:-HEAD}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/oss-bench-cli-XXXXXX")"
if [[ "$rev" == "--worktree" ]]; then
  cp -r "$repo/src" "$repo/bin" "$repo/package.json" "$repo/tsconfig.json" "$repo/tsconfig.build.json" "$dir/"
else
  git -C "$repo" archive "$rev" src bin package.json tsconfig.json tsconfig.build.json | tar -x -C "$dir"
fi
ln -s "$repo/node_modules" "$dir/node_modules"
(cd "$dir" && node_modules/.bin/tsc -p tsconfig.build.json) >&2
echo "$dir"
