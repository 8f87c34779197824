#!/usr/bin/env bash
# The Invenio preset brought up on a Kubernetes cluster, side by side in one run (issue 24):
#   devstack  devstack up --engine kubernetes (each service waited on with its own protocol,
#             through a port-forward)
#   kubectl   kubectl apply -k of devstack export kubernetes's manifests, then
#             kubectl rollout status of every StatefulSet (readiness probes only)
# Each round starts from nothing: a new namespace (made inside the timing on both sides),
# new claims, the images already on the node (imagePullPolicy IfNotPresent). Prints each time, the medians and their ratio.
#
#   eval "$(../shared/tools/k8s-cluster.sh env)"; set -a; . ~/.cache/devstack-offline/offline-images.env; set +a
#   flock /tmp/devstack-k8s.lock bench/kube/run.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-${ROUNDS:-3}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/devstack" ./cmd/devstack
ds="$work/devstack"
proj="$work/benchkube"
mkdir "$proj" && git -C "$proj" init -q
(cd "$proj" && "$ds" init --preset invenio >/dev/null && sed -i 's/^offset: 0$/offset: 7400/' devstack.yaml)
(cd "$proj" && "$ds" export kubernetes --dir "$work/k8s" >/dev/null)

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ds_times=() k_times=()
for i in $(seq "$ROUNDS"); do
	t0=$(now)
	(cd "$proj" && "$ds" up --engine kubernetes -o json >"$work/up.json" 2>"$work/up.err") || { cat "$work/up.err" >&2; exit 1; }
	t1=$(now)
	ns=$(grep -o 'namespace [a-z0-9-]*' "$work/up.err" | head -1 | cut -d' ' -f2)
	(cd "$proj" && "$ds" down --engine kubernetes --volumes >/dev/null 2>&1)
	kubectl delete namespace "$ns" --wait=true >/dev/null
	kns="devstack-bench-kubectl-$i"
	t2=$(now)
	# Made inside the timing, as devstack makes its own: a new namespace has no default
	# ServiceAccount for a moment, and pods wait for it.
	kubectl create namespace "$kns" >/dev/null
	kubectl apply -k "$work/k8s" -n "$kns" >/dev/null
	for s in $(kubectl -n "$kns" get statefulsets -o name); do
		kubectl -n "$kns" rollout status "$s" --timeout=300s >/dev/null
	done
	t3=$(now)
	kubectl delete namespace "$kns" --wait=true >/dev/null
	d=$(echo "$t1 - $t0" | bc) k=$(echo "$t3 - $t2" | bc)
	ds_times+=("$d") k_times+=("$k")
	printf 'round %d: devstack up %.2fs, kubectl apply + rollout status %.2fs\n' "$i" "$d" "$k"
done
dm=$(printf '%s\n' "${ds_times[@]}" | median)
km=$(printf '%s\n' "${k_times[@]}" | median)
printf 'median of %d: devstack %.2fs, kubectl %.2fs, ratio devstack/kubectl %.2f (goal <= 1.2)\n' "$ROUNDS" "$dm" "$km" "$(echo "$dm / $km" | bc -l)"
