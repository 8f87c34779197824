#!/usr/bin/env python3
"""Build devstack's Python wheels and npm packages from release binaries (issue 21).

    scripts/package.py --dist dist                       # every binary goreleaser built
    scripts/package.py --binary linux/amd64=bin/devstack --version 0.1.0 --out dist

Python: one wheel per platform, named devstack-dev (the PyPI name devstack belongs to
another project, and so does devstack-cli). The wheel is the shape ruff's are: the
executable sits in the wheel's .data/scripts/, so pip, pipx and uv put it on PATH as
`devstack`; no Python code runs it and nothing compiles at install time. The wheels are
written here with zipfile (WHEEL, METADATA, RECORD with sha256 hashes, as the wheel spec
PEP 427/491 says), not with a build backend: a backend would only copy the same file into
the same places, and writing them directly needs nothing beyond Python's standard library.

npm: the shape esbuild uses. The package `devstack` holds a small node launcher as its
`bin`; one package per platform (@devstack-dev/linux-x64, …) holds the binary and says its
`os` and `cpu`, and `devstack` lists them all as optionalDependencies, so npm installs only
the one that fits. Nothing is downloaded and no install script runs. The tarballs are
written with tarfile in npm's layout (package/…), so building them needs no node.

Standard library only; the output is reproducible (fixed times, sorted entries).
"""

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import zipfile

PYPI_NAME = "devstack-dev"
NPM_NAME = "devstack"
NPM_SCOPE = "@devstack-dev"
HOMEPAGE = "https://github.com/devstack-dev/devstack"
SUMMARY = "Bring a repository's backing services up on 127.0.0.1 and onboard in one command"

# A Go binary built with CGO_ENABLED=0 (as .goreleaser.yaml builds) links no libc, so one
# linux wheel is right for glibc (manylinux) and musl (musllinux) alike. Go 1.26 needs
# macOS 12 or later, hence macosx_12_0.
WHEEL_PLATFORMS = {
    ("linux", "amd64"): ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64"],
    ("linux", "arm64"): ["manylinux_2_17_aarch64", "manylinux2014_aarch64", "musllinux_1_1_aarch64"],
    ("darwin", "amd64"): ["macosx_12_0_x86_64"],
    ("darwin", "arm64"): ["macosx_12_0_arm64"],
    ("windows", "amd64"): ["win_amd64"],
    ("windows", "arm64"): ["win_arm64"],
}

# Go's GOOS/GOARCH in node's process.platform/process.arch (and npm's os/cpu) words.
NODE_OS = {"linux": "linux", "darwin": "darwin", "windows": "win32"}
NODE_CPU = {"amd64": "x64", "arm64": "arm64"}

# 1980-01-01, the earliest time a zip can hold: the same inputs give the same bytes.
EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))

DESCRIPTION = """\
# devstack

devstack brings a repository's backing services (PostgreSQL, Redis, RabbitMQ, OpenSearch,
MinIO and more) up on 127.0.0.1 in Docker, checks the toolchain, prints the connection
settings and loads fixtures: from `git clone` to a working environment in one command.

This package carries devstack's prebuilt executable for this platform: installing it puts
the `devstack` command on PATH. It needs no Python code at run time.

    pipx install devstack-dev
    devstack doctor

Source, documentation and other ways to install: """ + HOMEPAGE + "\n"


class Error(Exception):
    pass


def python_version(v):
    """The PEP 440 spelling of a release's semver version.

    1.2.3 stays; 1.2.3-rc.1 is 1.2.3rc1; a snapshot's 0.1.1-dev+4a6ac8e is 0.1.1.dev0+4a6ac8e
    (a local version: fine for a wheel installed from a file, refused by PyPI, as a
    snapshot should be)."""
    m = re.fullmatch(r"v?(\d+\.\d+\.\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?", v)
    if not m:
        raise Error(f"version {v!r} is not semver (MAJOR.MINOR.PATCH[-pre][+build])")
    release, pre, build = m.groups()
    out = release
    if pre:
        p = re.fullmatch(r"(alpha|a|beta|b|rc|dev)(?:[.-]?(\d+))?", pre)
        if not p:
            raise Error(f"pre-release {pre!r} of {v!r} has no Python spelling: use alpha.N, beta.N, rc.N or dev.N")
        kind = {"alpha": "a", "beta": "b"}.get(p.group(1), p.group(1))
        out += (".dev" if kind == "dev" else kind) + (p.group(2) or "0")
    if build:
        out += "+" + build.replace("-", ".")
    return out


def record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def zip_entry(name, mode):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def build_wheel(binary, goos, goarch, version, out_dir):
    tags = WHEEL_PLATFORMS.get((goos, goarch))
    if tags is None:
        raise Error(f"no wheel platform tag for {goos}/{goarch}")
    pyver = python_version(version)
    dist = PYPI_NAME.replace("-", "_")
    exe = "devstack.exe" if goos == "windows" else "devstack"
    with open(binary, "rb") as f:
        payload = f.read()
    metadata = "".join([
        "Metadata-Version: 2.1\n",
        f"Name: {PYPI_NAME}\n",
        f"Version: {pyver}\n",
        f"Summary: {SUMMARY}\n",
        f"Home-page: {HOMEPAGE}\n",
        f"Project-URL: Source, {HOMEPAGE}\n",
        "Keywords: docker,development,services,onboarding\n",
        "Classifier: Environment :: Console\n",
        "Classifier: Topic :: Software Development\n",
        "Requires-Python: >=3.7\n",
        "Description-Content-Type: text/markdown\n",
        "\n",
        DESCRIPTION,
    ])
    wheel = "".join(
        ["Wheel-Version: 1.0\n", "Generator: devstack scripts/package.py\n", "Root-Is-Purelib: false\n"]
        + [f"Tag: py3-none-{t}\n" for t in tags]
    )
    info = f"{dist}-{pyver}.dist-info"
    files = [
        (f"{dist}-{pyver}.data/scripts/{exe}", payload, 0o755),
        (f"{info}/METADATA", metadata.encode(), 0o644),
        (f"{info}/WHEEL", wheel.encode(), 0o644),
    ]
    record = "".join(f"{name},{record_hash(data)},{len(data)}\n" for name, data, _ in files)
    record += f"{info}/RECORD,,\n"
    files.append((f"{info}/RECORD", record.encode(), 0o644))

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{dist}-{pyver}-py3-none-{'.'.join(tags)}.whl")
    with zipfile.ZipFile(path, "w") as z:
        for name, data, mode in files:  # RECORD last, as the spec recommends
            z.writestr(zip_entry(name, mode), data)
    return path


LAUNCHER = r"""#!/usr/bin/env node
"use strict";
// devstack's npm launcher: runs the executable from the platform package that npm
// installed, chosen by its os/cpu fields among this package's optionalDependencies.
const { spawn } = require("child_process");

const packages = __PACKAGES__;
const key = `${process.platform}-${process.arch}`;
const pkg = packages[key];
if (!pkg) {
  console.error(`devstack: no build for ${key}; there are builds for ${Object.keys(packages).join(", ")}.`);
  process.exit(1);
}
let bin;
try {
  bin = require.resolve(`${pkg}/bin/devstack${process.platform === "win32" ? ".exe" : ""}`);
} catch (e) {
  console.error(`devstack: the package ${pkg}, which holds devstack for ${key}, is not installed.`);
  console.error(`fix: install devstack again without --omit=optional or --no-optional (from files: give ${pkg}'s tarball too).`);
  process.exit(1);
}

const child = spawn(bin, process.argv.slice(2), { stdio: "inherit" });
// Ctrl-C reaches devstack itself (same process group), which cleans up and exits: the
// launcher waits for that instead of dying first. Signals sent to the launcher alone are
// passed on.
process.on("SIGINT", () => {});
for (const s of ["SIGTERM", "SIGHUP"]) process.on(s, () => child.kill(s));
child.on("error", (err) => {
  console.error(`devstack: run ${bin}: ${err.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? 1 : code);
});
"""


def tar_add(tar, name, data, mode):
    info = tarfile.TarInfo("package/" + name)
    info.size = len(data)
    info.mode = mode
    info.mtime = EPOCH
    tar.addfile(info, io.BytesIO(data))


def write_npm_tarball(path, files):
    """An npm package tarball: gzip'd tar, every entry under package/."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data, mode in sorted(files):
            tar_add(tar, name, data, mode)
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=EPOCH) as gz:
            gz.write(buf.getvalue())
    return path


def npm_platform_name(goos, goarch):
    return f"{NPM_SCOPE}/{NODE_OS[goos]}-{NODE_CPU[goarch]}"


def tarball_name(name, version):
    # npm pack's naming: the scope's @ dropped and its / made a -.
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def package_json(obj):
    return (json.dumps(obj, indent=2) + "\n").encode()


def build_npm_platform(binary, goos, goarch, version, out_dir):
    if goos not in NODE_OS or goarch not in NODE_CPU:
        raise Error(f"no npm os/cpu for {goos}/{goarch}")
    name = npm_platform_name(goos, goarch)
    exe = "devstack.exe" if goos == "windows" else "devstack"
    with open(binary, "rb") as f:
        payload = f.read()
    meta = {
        "name": name,
        "version": version,
        "description": f"devstack's executable for {NODE_OS[goos]} {NODE_CPU[goarch]}; install the package devstack, which picks it",
        "homepage": HOMEPAGE,
        "repository": {"type": "git", "url": "git+" + HOMEPAGE + ".git"},
        "os": [NODE_OS[goos]],
        "cpu": [NODE_CPU[goarch]],
        # Yarn PnP would otherwise keep the executable inside a zip it cannot run from.
        "preferUnplugged": True,
    }
    files = [("package.json", package_json(meta), 0o644), (f"bin/{exe}", payload, 0o755)]
    os.makedirs(out_dir, exist_ok=True)
    return name, write_npm_tarball(os.path.join(out_dir, tarball_name(name, version)), files)


def build_npm_main(platforms, version, out_dir):
    """The package users install: the launcher, and every platform package as optional."""
    packages = {f"{NODE_OS[o]}-{NODE_CPU[a]}": npm_platform_name(o, a) for o, a in sorted(platforms)}
    meta = {
        "name": NPM_NAME,
        "version": version,
        "description": SUMMARY,
        "homepage": HOMEPAGE,
        "repository": {"type": "git", "url": "git+" + HOMEPAGE + ".git"},
        "keywords": ["docker", "development", "services", "onboarding"],
        "bin": {"devstack": "bin/devstack.js"},
        "engines": {"node": ">=16"},
        "optionalDependencies": {name: version for name in sorted(packages.values())},
    }
    launcher = LAUNCHER.replace("__PACKAGES__", json.dumps(packages, indent=2, sort_keys=True))
    readme = DESCRIPTION.replace("pipx install devstack-dev", "npm install -g devstack").encode()
    files = [
        ("package.json", package_json(meta), 0o644),
        ("bin/devstack.js", launcher.encode(), 0o755),
        ("README.md", readme, 0o644),
    ]
    os.makedirs(out_dir, exist_ok=True)
    return write_npm_tarball(os.path.join(out_dir, tarball_name(NPM_NAME, version)), files)


def binaries_from_dist(dist):
    """The binaries and version of a goreleaser run, from its artifacts.json and metadata.json."""
    try:
        with open(os.path.join(dist, "artifacts.json")) as f:
            artifacts = json.load(f)
        with open(os.path.join(dist, "metadata.json")) as f:
            version = json.load(f)["version"]
    except (OSError, ValueError, KeyError) as e:
        raise Error(f"{dist} holds no goreleaser output ({e}): run make release-snapshot first")
    out = []
    for a in artifacts:
        if a.get("type") == "Binary" and a.get("extra", {}).get("ID") == "devstack":
            out.append((a["goos"], a["goarch"], a["path"]))
    if not out:
        raise Error(f"{dist}/artifacts.json lists no devstack binary")
    return version, sorted(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dist", help="goreleaser's dist directory: package every binary it lists")
    ap.add_argument("--binary", action="append", default=[], metavar="GOOS/GOARCH=PATH",
                    help="package this binary (repeatable), instead of --dist")
    ap.add_argument("--version", help="the version (semver); with --dist, goreleaser's")
    ap.add_argument("--out", help="where python/ and npm/ go (default: --dist, or dist)")
    args = ap.parse_args(argv)
    try:
        if args.dist and not args.binary:
            version, binaries = binaries_from_dist(args.dist)
            version = args.version or version
        else:
            if not args.binary or not args.version:
                raise Error("give --dist, or --binary GOOS/GOARCH=PATH with --version")
            version, binaries = args.version, []
            for b in args.binary:
                m = re.fullmatch(r"(\w+)/(\w+)=(.+)", b)
                if not m:
                    raise Error(f"--binary {b!r}: want GOOS/GOARCH=PATH")
                binaries.append(m.groups())
        version = version.lstrip("v")
        out = args.out or args.dist or "dist"
        platforms = []
        for goos, goarch, path in binaries:
            print(build_wheel(path, goos, goarch, version, os.path.join(out, "python")))
            _, tgz = build_npm_platform(path, goos, goarch, version, os.path.join(out, "npm"))
            print(tgz)
            platforms.append((goos, goarch))
        print(build_npm_main(platforms, version, os.path.join(out, "npm")))
    except (Error, OSError) as e:
        print(f"package.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
