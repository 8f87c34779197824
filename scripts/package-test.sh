#!/usr/bin/env bash
# The packages on the host's own platform (CI, issue 21): builds the host's release binary,
# its Python wheel and npm packages with scripts/package.py, then installs each with the
# network off into a fresh place and runs `devstack --version` and `devstack doctor
# --output json` from it:
#   - the wheel into a fresh virtual environment (pip install --no-index),
#   - the wheel with pipx (PIPX_HOME in a temporary directory),
#   - the npm tarballs into a fresh prefix (npm install --offline).
# The cross-builds (make release-snapshot) stay out of CI: minutes each. uv is not tested:
# it cannot be installed here.
#
# With a directory argument, it tests the wheel and npm packages already there (the
# output of make release-snapshot, dist/) instead of building the host's.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
# Debian's python: its venv and pipx are the ones tested. Another python may be given.
PY=${DEVSTACK_PYTHON:-/usr/bin/python3}
export PYTHONDONTWRITEBYTECODE=1
start=$SECONDS

# Each Debian package only when missing, with the package lists fetched first, and only then.
need=()
"$PY" -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v pipx >/dev/null || need+=(pipx)
command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PY" -m unittest discover -s scripts -p 'package_test.py'

goos=$("$GO" env GOOS)
goarch=$("$GO" env GOARCH)
if [ $# -gt 0 ]; then
	out=$1
	version=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$out/metadata.json")
else
	out=$work/out
	version=0.0.0-dev+$(git rev-parse --short HEAD 2>/dev/null || echo local)
	# The flags .goreleaser.yaml builds with.
	CGO_ENABLED=0 "$GO" build -trimpath -ldflags "-s -w -X main.version=$version" -o "$work/bin/devstack" ./cmd/devstack
	"$PY" scripts/package.py --binary "$goos/$goarch=$work/bin/devstack" --version "$version" --out "$out" >/dev/null
fi

pyver=$("$PY" -c 'import sys; sys.path.insert(0, "scripts"); import package; print(package.python_version(sys.argv[1]))' "$version")
wheel=$(ls "$out"/python/devstack_dev-"$pyver"-*"$(case $goos/$goarch in
	linux/amd64) echo manylinux_2_17_x86_64 ;; linux/arm64) echo manylinux_2_17_aarch64 ;;
	darwin/amd64) echo macosx_12_0_x86_64 ;; darwin/arm64) echo macosx_12_0_arm64 ;;
	*) echo "no wheel tag for $goos/$goarch" >&2; exit 1 ;; esac)"*.whl)
case $goarch in amd64) cpu=x64 ;; *) cpu=$goarch ;; esac
npm_main=$out/npm/devstack-$version.tgz
npm_platform=$out/npm/devstack-dev-$goos-$cpu-$version.tgz

# No network: a namespace of its own without interfaces where unshare can make one (root,
# or user namespaces), else proxies pointing at a closed port. pip and npm are told to stay
# offline either way: the point is that nothing needs the network, not only that nothing
# reaches it.
if unshare -rn true 2>/dev/null; then
	echo "package-test: installs run in a network namespace without interfaces (unshare -rn)"
	offline() { unshare -rn "$@"; }
elif unshare -n true 2>/dev/null; then
	echo "package-test: installs run in a network namespace without interfaces (unshare -n)"
	offline() { unshare -n "$@"; }
else
	echo "package-test: no network namespace here: proxies at a closed port instead"
	offline() { env http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
		HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
		npm_config_proxy=http://127.0.0.1:9 npm_config_https_proxy=http://127.0.0.1:9 "$@"; }
fi
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 npm_config_offline=true \
	npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# A git work tree is a project, so doctor has one (and writes nothing elsewhere).
proj=$work/project
mkdir -p "$proj"
git -C "$proj" init -q

# check NAME DEVSTACK: the installed command says the version built, and doctor prints a
# JSON report (it may exit 1: a tool this machine lacks is a failed check, not a crash).
check() {
	local name=$1 bin=$2 got rc=0
	got=$(cd "$proj" && offline "$bin" --version)
	if [ "$got" != "devstack version $version" ]; then
		echo "package-test: $name: --version printed \"$got\", want \"devstack version $version\"" >&2
		return 1
	fi
	(cd "$proj" && offline "$bin" doctor --output json) >"$work/doctor.json" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "package-test: $name: doctor exited $rc" >&2
		return 1
	fi
	if ! "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert isinstance(r["checks"], list) and r["checks"], "no checks"' "$work/doctor.json"; then
		echo "package-test: $name: doctor --output json did not print a report:" >&2
		head -c 2000 "$work/doctor.json" >&2
		return 1
	fi
	echo "package-test: $name: $bin: --version ok, doctor --output json ok (exit $rc)"
}

# 1. The wheel into a fresh virtual environment.
"$PY" -m venv "$work/venv"
offline "$work/venv/bin/pip" install -q --no-index "$wheel"
check "pip, venv" "$work/venv/bin/devstack"

# 2. The wheel with pipx: its own home, its own bin directory.
export PIPX_HOME=$work/pipx PIPX_BIN_DIR=$work/pipx/bin
# Offline, pipx 1.1 fails to upgrade pip in its shared environment, says so, and goes on:
# its output is shown only when the install fails.
if ! offline pipx install --python "$PY" --pip-args=--no-index "$wheel" >"$work/pipx.log" 2>&1; then
	cat "$work/pipx.log" >&2
	exit 1
fi
check "pipx" "$PIPX_BIN_DIR/devstack"

# 3. The npm packages into a fresh global prefix: the launcher package and the host's
# platform package, as npm would pick it from the optional dependencies.
offline npm install --global --prefix "$work/npm" --no-audit --no-fund --loglevel=error \
	"$npm_main" "$npm_platform" >/dev/null
check "npm" "$work/npm/bin/devstack"

# Without its platform package, the launcher says which package is missing and how to get
# it, and fails.
offline npm install --global --prefix "$work/npm-alone" --no-audit --no-fund --loglevel=error "$npm_main" >/dev/null
rc=0
"$work/npm-alone/bin/devstack" --version >/dev/null 2>"$work/alone.err" || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q "@devstack-dev/$goos-$cpu" "$work/alone.err"; then
	echo "package-test: npm without the platform package: exit $rc, said: $(cat "$work/alone.err")" >&2
	exit 1
fi
echo "package-test: npm without the platform package: exit 1, names @devstack-dev/$goos-$cpu"

echo "package-test: ok in $((SECONDS - start)) s"
