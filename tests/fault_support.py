"""Helpers for the fault-injection tests: a small site with one item to withdraw, builds
killed at a chosen point (GKPUB_FAULT, see gkpub/util/faults.py), and the checks that follow.

A build to be killed runs as a subprocess in its own session (process group), so the kill
takes its render workers and Pagefind with it, as a cancelled CI job does.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import MINI_CATALOG, MINI_TOML, REPO, TODAY, item_text, run, write_item

from gkpub.store.staging import BUILDING_MARKER

SECRET_TITLE = "翠微山林地补偿内部核查意见"
SECRET_NO = "11530000MB00000025/2026-00077"
SECRET_WORDS = ("QXSECRET42", "翠微甲乙秘录")
MARKERS = (SECRET_TITLE, SECRET_NO) + SECRET_WORDS
SECRET_FILE = "secret.md"


def make_site(root: Path) -> Path:
    """The mini site of conftest, with a few more items (pagination, several listings)."""
    site = root / "site"
    (site / "content" / "catalog").mkdir(parents=True)
    (site / "site.toml").write_text(MINI_TOML, encoding="utf-8")
    (site / "content" / "catalog" / "yanglao.yaml").write_text(MINI_CATALOG, encoding="utf-8")
    write_item(site, "policy.md", item_text(公开栏="[全部]"))
    for n in range(2, 6):
        write_item(site, f"list{n}.md", item_text(
            标题=f"第{n}批高龄津贴发放名单", 索引号=f"11530000MB00000025/2026-0000{n}",
            目录="养老服务/高龄津贴/发放名单", 发布日期=f"2026-03-{n + 5:02d}", 公开栏="[全部]",
            body=f"第{n}批名单正文，东城社区。"))
    return site


def set_secret(site: Path, attribute: str) -> None:
    """The item the tests publish, withdraw or revert (公开属性 ``attribute``)."""
    write_item(site, SECRET_FILE, item_text(
        标题=SECRET_TITLE, 索引号=SECRET_NO, 公开属性=attribute, 发布日期="2026-03-20", 公开栏="[全部]",
        body=f"本次核查涉及{SECRET_WORDS[1]}，编号 {SECRET_WORDS[0]}，仅供内部使用。"))


def build_args(site: Path, out: Path, search: bool, *extra: str) -> list[str]:
    return ["build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat(),
            *([] if search else ["--no-search"]), *extra]


def build_here(site: Path, out: Path, search: bool, *extra: str) -> int:
    """A build in this process (fast: no interpreter start)."""
    return run(*build_args(site, out, search, *extra))


def start(site: Path, out: Path, search: bool, *extra: str, fault: str | None = None,
          env: dict[str, str] | None = None, stderr: Path | None = None) -> subprocess.Popen:
    """`gkpub build` as a subprocess in its own session; ``stderr``: a file to write it to."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("GKPUB_FAULT", "GKPUB_LOCK"))}
    full_env.update(env or {})
    if fault:
        full_env["GKPUB_FAULT"] = fault
    err = stderr.open("w", encoding="utf-8") if stderr else subprocess.PIPE
    try:
        return subprocess.Popen([sys.executable, "-m", "gkpub", *build_args(site, out, search, *extra)],
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True, env=full_env, cwd=REPO)
    finally:
        if stderr:
            err.close()  # type: ignore[union-attr]


def wait_for(predicate, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def killed(site: Path, out: Path, search: bool, fault: str, *extra: str,
           env: dict[str, str] | None = None) -> None:
    """Run a build that must die by SIGKILL at ``fault``; fail if it got past that point."""
    proc = start(site, out, search, *extra, fault=fault, env=env)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, \
        f"GKPUB_FAULT={fault}: the build was not killed (exit {proc.returncode})\n{stdout}\n{stderr}"
    _reap_group(proc.pid)


def _reap_group(pgid: int) -> None:
    """Wait until no process of the killed build's group is left (workers, Pagefind)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError(f"processes of the killed build {pgid} are still running")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def readable(path: Path, data: bytes) -> str:
    """A file's text as a reader or a search engine gets it: gzip (Pagefind's bundle)
    decompressed, Pagefind fragments decoded, PDFs through pdftotext."""
    if path.suffix == ".pdf":
        from pdfcheck import page_texts
        return "".join(page_texts(path))
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if path.suffix == ".pf_fragment":  # JSON after a signature; other bundle files are CBOR
        return json.dumps(json.loads(data[len(b"pagefind_dcd"):]), ensure_ascii=False).replace("\u200b", "")
    return data.decode("utf-8", "replace").replace("\u200b", "")


def leaks(root: Path) -> list[str]:
    """Every file under ``root`` that shows a marker of the secret item."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            text = readable(path, path.read_bytes())
            found += [f"{path.relative_to(root)}: {m}" for m in MARKERS if m in text or m.lower() in text]
    return found


def leftovers(out: Path) -> list[str]:
    """Working files of builds beside or inside ``out`` (none may outlive the next build)."""
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")
              and p.name != f".{out.name}.lock"]
    inside = [p.relative_to(out).as_posix() for p in out.rglob(".*") if ".tmp-" in p.name
              or p.name == BUILDING_MARKER] if out.is_dir() else []
    return beside + inside


def sources_key(site: Path, *more: Path) -> str:
    """A digest of the site's sources (and of ``more`` trees): what a clean build depends on."""
    h = hashlib.sha256()
    for root in (site / "content", site / "site.toml", *more):
        for p in sorted([root] if root.is_file() else root.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(site.parent).as_posix().split("/", 1)[-1].encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


class CleanBuilds:
    """Clean builds of the current sources, made once per state (the module shares them)."""

    def __init__(self, root: Path):
        self.root = root
        self.trees: dict[tuple[str, bool], dict[str, bytes]] = {}

    def of(self, site: Path, search: bool, prints: Path | None = None) -> dict[str, bytes]:
        """The output of a clean build into an empty folder; with ``prints``, into a folder
        holding those printed files (as the output did before the build)."""
        k = (sources_key(site, *([prints] if prints else [])), search)
        if k not in self.trees:
            n = len(self.trees)
            out, cache = self.root / f"clean{n}" / "public", self.root / f"clean-cache{n}"
            if prints:
                assert build_here(site, out, search, "--cache", str(cache)) == 0
                shutil.copytree(prints, out / "print")
            assert build_here(site, out, search, "--clean", "--cache", str(cache)) == 0
            self.trees[k] = tree(out)
        return self.trees[k]
