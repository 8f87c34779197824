"""Tests of scripts/package.py: run by scripts/package-test.sh (python3 -m unittest)."""

import base64
import csv
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import package  # noqa: E402


class PythonVersion(unittest.TestCase):
    def test_spellings(self):
        for semver, pep440 in [
            ("1.2.3", "1.2.3"),
            ("v1.2.3", "1.2.3"),
            ("1.2.3-rc.1", "1.2.3rc1"),
            ("1.2.3-rc1", "1.2.3rc1"),
            ("1.2.3-beta.2", "1.2.3b2"),
            ("1.2.3-alpha", "1.2.3a0"),
            ("0.1.1-dev+4a6ac8e", "0.1.1.dev0+4a6ac8e"),
            ("0.1.1-dev.3", "0.1.1.dev3"),
            ("0.1.1+build-7", "0.1.1+build.7"),
        ]:
            with self.subTest(semver):
                self.assertEqual(package.python_version(semver), pep440)

    def test_refused(self):
        # a version pip would read differently from the release, or not at all
        for v in ["1.2", "latest", "1.2.3-snapshot", "1.2.3-rc.1.2", "1.2.3 "]:
            with self.subTest(v), self.assertRaises(package.Error):
                package.python_version(v)


class Wheel(unittest.TestCase):
    def build(self, goos, goarch, version="0.1.1-dev+4a6ac8e"):
        d = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(d))
        binary = os.path.join(d, "devstack")
        with open(binary, "wb") as f:
            f.write(b"\x7fELF not really")
        return package.build_wheel(binary, goos, goarch, version, os.path.join(d, "out"))

    def test_platform_tags(self):
        for goos, goarch, tag in [
            ("linux", "amd64", "manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64"),
            ("linux", "arm64", "manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64"),
            ("darwin", "amd64", "macosx_12_0_x86_64"),
            ("darwin", "arm64", "macosx_12_0_arm64"),
            ("windows", "amd64", "win_amd64"),
            ("windows", "arm64", "win_arm64"),
        ]:
            with self.subTest(f"{goos}/{goarch}"):
                path = self.build(goos, goarch)
                self.assertEqual(os.path.basename(path), f"devstack_dev-0.1.1.dev0+4a6ac8e-py3-none-{tag}.whl")
                with zipfile.ZipFile(path) as z:
                    wheel = z.read("devstack_dev-0.1.1.dev0+4a6ac8e.dist-info/WHEEL").decode()
                    names = z.namelist()
                self.assertIn("Root-Is-Purelib: false\n", wheel)
                self.assertEqual([l[5:] for l in wheel.splitlines() if l.startswith("Tag: ")],
                                 [f"py3-none-{t}" for t in tag.split(".")])
                exe = "devstack.exe" if goos == "windows" else "devstack"
                self.assertIn(f"devstack_dev-0.1.1.dev0+4a6ac8e.data/scripts/{exe}", names)

    def test_record_hashes_every_file_and_the_executable_is_executable(self):
        path = self.build("linux", "amd64", "1.0.0")
        with zipfile.ZipFile(path) as z:
            record = list(csv.reader(io.StringIO(z.read("devstack_dev-1.0.0.dist-info/RECORD").decode())))
            listed = {row[0] for row in record}
            self.assertEqual(listed, set(z.namelist()), "RECORD lists exactly the wheel's files")
            for name, digest, size in record:
                if name.endswith("/RECORD"):
                    self.assertEqual((digest, size), ("", ""))
                    continue
                data = z.read(name)
                want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                self.assertEqual(digest, "sha256=" + want, name)
                self.assertEqual(int(size), len(data), name)
            mode = z.getinfo("devstack_dev-1.0.0.data/scripts/devstack").external_attr >> 16
            self.assertEqual(mode & 0o777, 0o755)
            metadata = z.read("devstack_dev-1.0.0.dist-info/METADATA").decode()
        self.assertIn("Name: devstack-dev\n", metadata)
        self.assertIn("Version: 1.0.0\n", metadata)

    def test_reproducible(self):
        a, b = self.build("linux", "amd64"), self.build("linux", "amd64")
        with open(a, "rb") as fa, open(b, "rb") as fb:
            self.assertEqual(hashlib.sha256(fa.read()).digest(), hashlib.sha256(fb.read()).digest())


class Npm(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(self.dir))
        self.binary = os.path.join(self.dir, "devstack")
        with open(self.binary, "wb") as f:
            f.write(b"binary")

    def read(self, tgz):
        with tarfile.open(tgz) as t:
            members = {m.name: m for m in t.getmembers()}
            meta = json.load(t.extractfile("package/package.json"))
        return members, meta

    def test_platform_package_says_its_os_and_cpu(self):
        for goos, goarch, os_, cpu, exe in [
            ("linux", "amd64", "linux", "x64", "devstack"),
            ("darwin", "arm64", "darwin", "arm64", "devstack"),
            ("windows", "amd64", "win32", "x64", "devstack.exe"),
        ]:
            with self.subTest(f"{goos}/{goarch}"):
                name, tgz = package.build_npm_platform(self.binary, goos, goarch, "1.0.0", self.dir)
                members, meta = self.read(tgz)
                self.assertEqual(name, f"@devstack-dev/{os_}-{cpu}")
                self.assertEqual(os.path.basename(tgz), f"devstack-dev-{os_}-{cpu}-1.0.0.tgz")
                self.assertEqual((meta["name"], meta["os"], meta["cpu"]), (name, [os_], [cpu]))
                self.assertEqual(members[f"package/bin/{exe}"].mode, 0o755)
                self.assertNotIn("scripts", meta, "no install script runs")

    def test_main_package_lists_every_platform_as_optional(self):
        platforms = [("linux", "amd64"), ("darwin", "arm64"), ("windows", "arm64")]
        tgz = package.build_npm_main(platforms, "1.0.0", self.dir)
        members, meta = self.read(tgz)
        self.assertEqual(meta["name"], "devstack")
        self.assertEqual(meta["bin"], {"devstack": "bin/devstack.js"})
        self.assertEqual(meta["optionalDependencies"], {
            "@devstack-dev/darwin-arm64": "1.0.0",
            "@devstack-dev/linux-x64": "1.0.0",
            "@devstack-dev/win32-arm64": "1.0.0",
        })
        self.assertNotIn("dependencies", meta)
        self.assertNotIn("scripts", meta, "no install script runs")
        self.assertEqual(members["package/bin/devstack.js"].mode, 0o755)
        with tarfile.open(tgz) as t:
            launcher = t.extractfile("package/bin/devstack.js").read().decode()
        self.assertTrue(launcher.startswith("#!/usr/bin/env node\n"))
        self.assertIn('"win32-arm64": "@devstack-dev/win32-arm64"', launcher)

    def test_tarball_is_gzip_with_fixed_time(self):
        tgz = package.build_npm_main([("linux", "amd64")], "1.0.0", self.dir)
        with open(tgz, "rb") as f:
            data = f.read()
        self.assertEqual(data[:2], b"\x1f\x8b")
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
            g.read()
            self.assertEqual(g.mtime, package.EPOCH)


if __name__ == "__main__":
    unittest.main()
