"""scripts/offline_bundle.py: the bundle that carries gkpub to a machine without internet.

The bundle is made once (it downloads from PyPI, or the mirror pip is set up with, and from
the npm registry) and kept in pytest's cache under a digest of everything that goes into it:
the script, the package's files, package.json/package-lock.json, the Python version and the
machine. Its .tar.gz is then unpacked elsewhere, as after carrying it over, and ``install.sh``
runs with pip cut off from every index: ``--no-index`` in the script, and around it
``PIP_INDEX_URL`` pointing at a closed port, ``PIP_CONFIG_FILE=/dev/null`` (no configured
mirror or find-links), no ``PIP_*`` variables from this machine, and ``npm``, ``node``,
``curl`` and ``wget`` on PATH replaced by traps that record any call. The installed gkpub
then makes a new site and builds it with search on, using the bundled Pagefind: the test
asserts nothing else on the machine could have been found instead.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from packaging_support import REPO, VERSION, repo_state, run

pytestmark = pytest.mark.pagefind

SCRIPT = REPO / "scripts" / "offline_bundle.py"
PY = f"{sys.version_info[0]}.{sys.version_info[1]}"
NAME = "gkpub-offline"
DAY = "2026-11-23"
DISTRICT = "青禾区"
TRAPPED = ("npm", "npx", "node", "curl", "wget")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("offline_bundle", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _digest(bundler: ModuleType) -> str:
    """Of what goes into the bundle: the package and its metadata files (README.md is the wheel's
    long description), the npm lock, the script; not the demo site's content."""
    h = hashlib.sha256(f"{PY} {platform.machine()}\n".encode())
    inputs = [rel for rel in bundler.source_files()
              if rel.startswith("gkpub/") or rel in ("pyproject.toml", "README.md", "LICENSE")]
    for rel in ["scripts/offline_bundle.py", "package.json", "package-lock.json", *inputs]:
        h.update(rel.encode() + b"\0" + (REPO / rel).read_bytes() + b"\0")
    return h.hexdigest()[:24]


@dataclass(frozen=True)
class Bundle:
    folder: Path
    tarball: Path
    made_now: bool
    before: tuple[str, list[str]]


@pytest.fixture(scope="module")
def bundle(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    before = repo_state()
    bundler = _script()
    cache = Path(request.config.cache.mkdir("offline-bundle"))
    key = _digest(bundler)
    kept = cache / key
    made_now = not (kept / f"{NAME}.tar.gz").is_file()
    if made_now:
        for old in cache.iterdir():  # one bundle is kept: about 30 MB
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        staging = cache / f"{key}.partial"
        work = tmp_path_factory.mktemp("bundle-cwd")
        started = time.monotonic()
        said = run([sys.executable, str(SCRIPT), "--out", str(staging / NAME), "--tar"], work).stdout
        print(f"offline bundle made in {time.monotonic() - started:.1f} s")
        assert f"{staging / NAME}.tar.gz" in said
        assert not any(work.iterdir()), "the script wrote into its working directory"
        staging.rename(kept)
    return Bundle(kept / NAME, kept / f"{NAME}.tar.gz", made_now, before)


def _dist(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


# -- what the bundle holds -------------------------------------------------------------------


def test_bundle_holds_the_wheel_every_dependency_and_the_locked_pagefind(bundle: Bundle) -> None:
    folder = bundle.folder
    manifest = json.loads((folder / "BUNDLE.json").read_text(encoding="utf-8"))
    assert manifest["gkpub"] == VERSION and manifest["python"] == PY and manifest["machine"] == platform.machine()
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["source"]["commit"])

    wheels = sorted(p.name for p in (folder / "wheels").iterdir())
    assert all(w.endswith(".whl") for w in wheels), wheels  # nothing to compile on the target
    own = f"gkpub-{VERSION}-py3-none-any.whl"
    assert own in wheels and manifest["wheel"] == f"wheels/{own}"
    have = {_dist(w.split("-", 1)[0]) for w in wheels}
    needed = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for requirement in needed:
        assert _dist(re.split(r"[^A-Za-z0-9_.-]", requirement, maxsplit=1)[0]) in have, requirement
    for wheel in wheels:  # built for this Python: cp311, abi3 or pure
        tags = wheel[:-4].split("-")[-3:]
        assert tags[0] in (f"cp{PY.replace('.', '')}", "py3", "py2.py3") or tags[1] == "abi3", wheel

    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    plat = _script().pagefind_platform()
    assert set(manifest["pagefind"]) == {"pagefind", f"@pagefind/{plat}"}
    for name, info in manifest["pagefind"].items():
        entry = lock[f"node_modules/{name}"]
        assert info["version"] == entry["version"] and info["integrity"] == entry["integrity"]
        assert (folder / info["file"]).is_file()
    with tarfile.open(folder / manifest["pagefind"][f"@pagefind/{plat}"]["file"]) as tar:
        binary = tar.getmember("package/bin/pagefind_extended")
        assert binary.isfile() and binary.mode & 0o111

    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("  ", 1)[1] for line in sums) == [f for f in files if f != "SHA256SUMS"]
    run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], folder)
    assert set(manifest["files"]) == set(files) - {"SHA256SUMS", "BUNDLE.json"}

    with tarfile.open(bundle.tarball) as tar:
        members = tar.getmembers()
    assert sorted(m.name for m in members if m.isfile()) == sorted(f"{NAME}/{f}" for f in files)
    assert {m.mtime for m in members} == {manifest["created_epoch"]} and {m.uid for m in members} == {0}
    assert members[[m.name for m in members].index(f"{NAME}/install.sh")].mode == 0o755


BUILD_LEFTOVERS = re.compile(r"^\?\? (build/|dist/|gkpub-offline|.*\.egg-info/|.*\.(whl|tgz|tar\.gz)$)")


def test_checkout_is_left_as_it_was(bundle: Bundle) -> None:
    """The wheel was built in a copy and the packs written into the bundle: nothing a build
    writes (build/, dist/, *.egg-info, wheels, tarballs) is new in the checkout. Other new
    files are left out: in a shared tree others add theirs meanwhile."""
    status, top = repo_state()
    new = set(status.splitlines()) - set(bundle.before[0].splitlines())
    assert not {line for line in new if BUILD_LEFTOVERS.match(line)}, sorted(new)
    assert not {"build", "dist"} & (set(top) - set(bundle.before[1])), top


# -- installing it with the network off ------------------------------------------------------


def _offline_env(tmp: Path) -> tuple[dict[str, str], Path]:
    traps, log = tmp / "traps", tmp / "trapped.log"
    traps.mkdir()
    for name in TRAPPED:
        trap = traps / name
        trap.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit 1\n', encoding="utf-8")
        trap.chmod(0o755)
    (tmp / "home").mkdir()
    env = {"PATH": f"{traps}:/usr/bin:/bin", "HOME": str(tmp / "home"), "LANG": "C.UTF-8",
           "PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": "http://127.0.0.1:9/simple/",
           "PIP_NO_CACHE_DIR": "1", "PYTHON": sys.executable}
    return env, log


def _carry(bundle: Bundle, tmp: Path) -> Path:
    """Unpack the .tar.gz somewhere else, as on the machine it was carried to."""
    target = tmp / "usb"
    target.mkdir()
    with tarfile.open(bundle.tarball) as tar:
        tar.extractall(target, filter="data")
    return target / NAME


def test_install_offline_then_new_site_builds_with_the_bundled_pagefind(bundle: Bundle, tmp_path: Path) -> None:
    carried = _carry(bundle, tmp_path)
    env, trapped = _offline_env(tmp_path)
    prefix = tmp_path / "opt" / "gkpub"
    started = time.monotonic()
    said = run(["sh", str(carried / "install.sh"), str(prefix)], tmp_path, env)
    print(f"install.sh took {time.monotonic() - started:.1f} s")
    assert not trapped.exists(), trapped.read_text(encoding="utf-8")
    assert f"gkpub {VERSION}" in said.stdout and "完成" in said.stdout
    assert "注意" not in said.stderr, said.stderr  # this machine has the fonts and Pango

    venv_python = prefix / "venv" / "bin" / "python"
    where = run([str(venv_python), "-c", "import gkpub; print(gkpub.__file__)"], tmp_path, env).stdout.strip()
    site_packages = prefix / "venv" / "lib" / f"python{PY}" / "site-packages"
    assert Path(where) == site_packages / "gkpub" / "__init__.py"
    # The only Pagefind gkpub can find: the wrapper's GKPUB_PAGEFIND. Not on PATH, not beside
    # the installed engine (its folder for node_modules is site-packages), not in the new site.
    assert not (site_packages / "node_modules").exists()
    for name in ("pagefind", "pagefind_extended"):
        assert shutil.which(name, path=env["PATH"]) is None, name
    bundled = prefix / "node_modules" / "@pagefind" / _script().pagefind_platform() / "bin" / "pagefind_extended"
    assert f'GKPUB_PAGEFIND:={bundled}' in (prefix / "bin" / "gkpub").read_text(encoding="utf-8")

    gkpub = str(prefix / "bin" / "gkpub")
    site = tmp_path / "qinghe"
    run([gkpub, "new", "site", str(site), "--district", DISTRICT, "--today", DAY], tmp_path, env)
    assert not (site / "node_modules").exists()
    built = run([gkpub, "build", "--site", str(site), "--today", DAY], tmp_path, env).stdout
    assert "发布 1 条信息" in built
    entry = json.loads((site / "public" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]["pagefind"]
    assert entry["version"] == pinned
    pages = sorted((site / "public").glob("xxgk/*/*/index.html"))  # the item pages
    assert pages and "data-pagefind-body" in pages[0].read_text(encoding="utf-8")
    assert any((site / "public" / "pagefind" / "fragment").iterdir())
    assert not trapped.exists(), trapped.read_text(encoding="utf-8")


def test_install_refuses_a_damaged_copy(bundle: Bundle, tmp_path: Path) -> None:
    carried = _carry(bundle, tmp_path)
    wheel = next((carried / "wheels").glob("jinja2-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))
    env, _ = _offline_env(tmp_path)
    prefix = tmp_path / "opt" / "gkpub"
    proc = subprocess.run(["sh", str(carried / "install.sh"), str(prefix)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "安装包文件不完整或已损坏" in proc.stderr and wheel.name in proc.stdout + proc.stderr
    assert not prefix.exists()
