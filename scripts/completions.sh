#!/usr/bin/env bash
# Writes devstack's shell completion scripts into the directory given (goreleaser's before
# hook): devstack.bash for bash, _devstack for zsh (the name zsh's fpath wants).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/completions.sh DIR}
mkdir -p "$dir"
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
${GO:-go} build -o "$bin" ./cmd/devstack
"$bin" completion bash >"$dir/devstack.bash"
"$bin" completion zsh >"$dir/_devstack"
