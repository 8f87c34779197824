#!/usr/bin/env bash
# Removes what a killed end-to-end run left behind, on Docker and on Podman: containers,
# volumes and networks labelled by devstack for a test project (every e2e project is named
# e2e-...). A run that is killed never reaches its cleanup, and its containers keep their
# ports: on Docker a docker-proxy listens (the tests' free-port search sees it), but rootful
# Podman forwards with iptables DNAT rules and no listening socket, so a leftover Podman
# container silently takes connections meant for the next run's Docker containers on the
# same ports (seen in CI: "connection refused" from a postgres that was up).
# Only e2e- projects are touched; a developer's own stacks are left alone.
set -uo pipefail
label=dev.devstack.project
for engine in docker podman; do
	command -v "$engine" >/dev/null 2>&1 || continue
	"$engine" info >/dev/null 2>&1 || [ "$engine" = podman ] || continue
	ids=$("$engine" ps -a --filter "label=$label" --format "{{.ID}} {{.Label \"$label\"}}" 2>/dev/null | awk '$2 ~ /^e2e-/ {print $1}')
	[ -n "$ids" ] && "$engine" rm -f $ids >/dev/null 2>&1 && echo "e2e-leftovers: removed $(wc -w <<<"$ids") $engine containers"
	vols=$("$engine" volume ls --filter "label=$label" --format "{{.Name}} {{.Label \"$label\"}}" 2>/dev/null | awk '$2 ~ /^e2e-/ {print $1}')
	[ -n "$vols" ] && "$engine" volume rm -f $vols >/dev/null 2>&1 && echo "e2e-leftovers: removed $(wc -w <<<"$vols") $engine volumes"
	nets=$("$engine" network ls --filter "label=$label" --format "{{.Name}}" 2>/dev/null | grep '^e2e-')
	[ -n "$nets" ] && "$engine" network rm $nets >/dev/null 2>&1 && echo "e2e-leftovers: removed $(wc -w <<<"$nets") $engine networks"
done
exit 0
