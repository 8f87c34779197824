#!/usr/bin/env bash
# Runs every Go fuzz target of the project for FUZZTIME each (make fuzz). Targets are
# discovered, not listed: packages whose tests declare `func Fuzz…`, then `go test -list`
# for the names (a package's TestMain still runs under -list, so only those are asked).
#
# Go 1.26's fuzz coordinator can fail a target with a bare "context deadline exceeded"
# when -fuzztime runs out while a worker is mid-input on a loaded machine
# (go.dev/issue/75804, fixed in Go 1.27). That is no finding: a real one prints
# "Failing input written to" and fails at once. A bare deadline is retried once; if it
# comes again, the target's corpus is replayed, and only a failing replay fails.
set -euo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

deadline_only() {
  grep -q 'context deadline exceeded' "$log" && ! grep -q -e 'Failing input written to' -e '^panic:' "$log"
}

for dir in $(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do
  for target in $("$GO" test -list '^Fuzz' "$dir" | grep '^Fuzz'); do
    echo "fuzz $dir $target ($FUZZTIME)"
    for attempt in 1 2; do
      if "$GO" test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" "$dir" 2>&1 | tee "$log"; then
        continue 2
      fi
      if ! deadline_only; then
        exit 1
      fi
      echo "fuzz: $target stopped on Go's fuzztime deadline race (go.dev/issue/75804), no input found; attempt $attempt"
    done
    echo "fuzz: replaying $target's corpus"
    "$GO" test -run "^$target\$" -count=1 "$dir"
  done
done
