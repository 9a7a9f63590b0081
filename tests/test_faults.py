"""Fault injection: builds killed with SIGKILL at every stage, and two builds into one output.

A build is started as a subprocess with ``GKPUB_FAULT=point[:N]`` (gkpub/util/faults.py lists
the points) and dies there, as under ``kill -9``. Each scenario then reverts a mistaken
publication or withdraws an item, runs the next build, and checks that

- its output is byte-identical to a clean build of the current sources into another
  folder (every file, the manifest included: nothing is excluded);
- no marker of the held-back item (title, 索引号, two words of its body) is in any file:
  pages, JSON, feeds, sitemap, Pagefind's gzip-compressed bundle decompressed and its
  fragments decoded, the text of printed PDFs;
- no working folder or temporary file of the killed build is left.

Right after each kill it also checks what a visitor of the live site would have met: a
full build leaves the old site or the new one, whole; an incremental one leaves every
file either old or new, never cut short, and never a search index that still holds the
text of a page already withdrawn.

Issue 10, "Broken" 1, 2 and 9 have their own tests with the messages and exit codes.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import TODAY, run
from fault_support import (
    MARKERS,
    SECRET_NO,
    CleanBuilds,
    build_here,
    killed,
    leaks,
    leftovers,
    make_site,
    readable,
    set_secret,
    start,
    tree,
    wait_for,
)

from gkpub.store.staging import BUILDING_MARKER, MANIFEST_NAME

PUBLISHED, REQUEST, WITHHELD = "主动公开", "依申请公开", "不予公开"
# flow → the secret item's 公开属性 before, during the killed build, and for the next build
FLOWS = {"withdraw": (PUBLISHED, WITHHELD, WITHHELD),  # withdrawn, the build withdrawing it killed
         "revert": (REQUEST, PUBLISHED, REQUEST)}  # published by mistake, killed, reverted
SECRET_PAGE = f"xxgk/{SECRET_NO}/index.html"
UNFINISHED = "上一次生成没有完成"

SCENARIOS = [
    # full builds (--clean): staging, Pagefind on the staging folder, the swap
    ("full", "load", "withdraw", False),
    ("full", "render:3", "revert", False),
    ("full", "write:5", "withdraw", False),
    ("full", "extras", "revert", False),
    ("full", "index", "withdraw", True),
    ("full", "indexed", "revert", True),
    ("full", "swap", "withdraw", True),
    ("full", "swapped", "revert", False),
    ("full", "swap-half", "withdraw", True),  # two renames instead of the exchange
    # incremental builds: in place, under the in-progress marker
    ("incr", "load", "revert", False),
    ("incr", "render:1", "withdraw", False),
    ("incr", "write:1", "revert", False),
    ("incr", "write:3", "withdraw", True),
    ("incr", "remove", "withdraw", False),
    ("incr", "extras", "revert", False),
    ("incr", "index", "withdraw", True),
    ("incr", "indexed", "revert", True),
    ("incr", "manifest", "withdraw", True),
    ("incr", "saved", "revert", False),
]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> CleanBuilds:
    return CleanBuilds(tmp_path_factory.mktemp("clean"))


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def assert_true_output(site: Path, out: Path, search: bool, clean: CleanBuilds, capsys,
                       prints: Path | None = None) -> str:
    """The next build: exit 0, the bytes of a clean build, no marker, no leftovers. Its stderr."""
    capsys.readouterr()
    assert build_here(site, out, search) == 0
    err = capsys.readouterr().err
    assert differing(tree(out), clean.of(site, search, prints)) == [], "not the bytes of a clean build"
    assert leaks(out) == []
    assert leftovers(out) == []
    return err


def index_consistent(out: Path) -> None:
    """Every search record belongs to a live page; a page gone has no text left in the index."""
    bundle = out / "pagefind"
    if not bundle.is_dir():
        return
    import json
    for frag in bundle.rglob("*.pf_fragment"):  # every shard
        url = json.loads(readable(frag, frag.read_bytes()))["url"]
        assert (out / url.strip("/") / "index.html").is_file(), f"the index holds {url}, which has no page"
    if not (out / SECRET_PAGE).is_file():
        assert leaks(bundle) == [], "the live index holds the text of a withdrawn page"


def whole_files(live: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> None:
    """After a kill during an incremental build, every file is the old one or the new one."""
    for rel, data in live.items():
        name = rel.rsplit("/", 1)[-1]
        if ".tmp-" in name or rel == BUILDING_MARKER:
            continue  # a temporary file or the marker: the next build starts over
        assert data in (old.get(rel), new.get(rel)), f"{rel} is neither the old nor the new file"


@pytest.mark.parametrize("mode,fault,flow,search", SCENARIOS, ids=[f"{m}-{f}-{w}" for m, f, w, _ in SCENARIOS])
def test_killed_build_then_next_build_is_true(mode: str, fault: str, flow: str, search: bool, tmp_path: Path,
                                              clean: CleanBuilds, capsys) -> None:
    site, out = make_site(tmp_path), tmp_path / "public"
    first, during, last = FLOWS[flow]
    set_secret(site, first)
    assert build_here(site, out, search) == 0
    old = tree(out)
    set_secret(site, during)
    new = clean.of(site, search)  # what the killed build was writing
    env = {"GKPUB_SWAP": "rename"} if fault == "swap-half" else None
    killed(site, out, search, fault, *(["--clean"] if mode == "full" else []), env=env)

    if fault == "swap-half":
        assert not out.exists() and leftovers(out)  # the old site moved aside, the new one not yet in
    elif mode == "full":
        assert tree(out) in (old, new), "a full build killed must leave the old site or the new, whole"
        assert fault == "load" or leftovers(out), "a killed full build leaves its working folder"
    else:
        whole_files(tree(out), old, new)
        index_consistent(out)
        assert (out / BUILDING_MARKER).exists() == (fault != "load")

    set_secret(site, last)
    err = assert_true_output(site, out, search, clean, capsys)
    if mode == "incr" and fault != "load":
        assert UNFINISHED in err and "本次全部重新生成" in err, err
    if fault == "swap-half":
        assert "上一次生成在替换输出目录时中断，已恢复" in err, err
    assert_true_output(site, out, search, clean, capsys)  # and it stays true


def test_markers_are_found_where_a_published_item_shows(tmp_path: Path) -> None:
    """The leak check can fail: with the item published it finds it in every kind of file."""
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, PUBLISHED)
    assert build_here(site, out, True) == 0
    found = leaks(out)
    shard_fragment = re.compile(r"pagefind/s-[a-z0-9_-]+/fragment/")  # shards: outputs/search/shards.py
    for where in (SECRET_PAGE, "data/items.json", "feed.xml", "sitemap.xml", "pagefind/s",
                  "stage/juece/index.html"):
        assert any(f.startswith(where) for f in found), (where, found)
    assert {f.split(": ", 1)[1] for f in found if shard_fragment.match(f)} == set(MARKERS)


# ---------------------------------------------------------------- issue 10, Broken 1


def test_broken_1_killed_while_indexing_then_reverted(tmp_path: Path, clean: CleanBuilds, capsys) -> None:
    """Published by mistake; the build killed while Pagefind runs, pages and data already
    written; reverted to 依申请公开. The next build sees the unfinished build and rebuilds all;
    later builds stay true (before: 「更新 0 个、删除 0 个」 and the item served for good)."""
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, REQUEST)
    assert build_here(site, out, True) == 0
    set_secret(site, PUBLISHED)
    killed(site, out, True, "index")
    assert (out / SECRET_PAGE).is_file() and (out / BUILDING_MARKER).is_file()
    # the shard it goes into was taken out before the pages changed, and search is off until the index is whole
    assert not (out / "pagefind" / "gkpub-search.json").exists() and leaks(out / "pagefind") == []
    set_secret(site, REQUEST)
    err = assert_true_output(site, out, True, clean, capsys)
    assert f"提示：{UNFINISHED}（输出目录中还有 {BUILDING_MARKER}），本次全部重新生成。" in err
    capsys.readouterr()
    assert build_here(site, out, True) == 0
    assert "更新 0 个、删除 0 个页面" in capsys.readouterr().out
    assert leaks(out) == []


# ---------------------------------------------------------------- issue 10, Broken 2


def test_broken_2_second_build_waits_for_the_first(tmp_path: Path, clean: CleanBuilds, capsys) -> None:
    """A full build is running; the item becomes 不予公开 and an incremental build starts. The
    second waits for the lock, then withdraws the item: both exit 0, the output is true."""
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, PUBLISHED)
    assert build_here(site, out, False) == 0
    flag, err_b = tmp_path / "held", tmp_path / "b.err"
    a = start(site, out, False, "--clean", fault="load:1:hold", env={"GKPUB_FAULT_FLAG": str(flag)})
    wait_for(flag.exists, "the first build to load its sources")  # it read the item as published
    set_secret(site, WITHHELD)
    b = start(site, out, False, stderr=err_b)
    wait_for(lambda: "另一个生成正在写入" in err_b.read_text(encoding="utf-8"), "the second build to wait")
    assert b.poll() is None
    flag.unlink()
    assert a.wait(60) == 0 and b.wait(60) == 0, (a.stderr.read(), err_b.read_text(encoding="utf-8"))
    assert f"另一个生成正在写入 输出目录 {out}（进程 {a.pid}），等待…" in err_b.read_text(encoding="utf-8")
    assert_true_output(site, out, False, clean, capsys)


def test_a_build_that_waits_too_long_gives_up(tmp_path: Path, clean: CleanBuilds, capsys) -> None:
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, PUBLISHED)
    assert build_here(site, out, False) == 0
    before = tree(out)
    flag = tmp_path / "held"
    a = start(site, out, False, fault="locked:1:hold", env={"GKPUB_FAULT_FLAG": str(flag)})
    wait_for(flag.exists, "the first build to take the lock")
    set_secret(site, WITHHELD)
    b = start(site, out, False, env={"GKPUB_LOCK_TIMEOUT": "0.5"})
    _, err = b.communicate(timeout=60)
    assert b.returncode == 2, err
    assert f"gkpub: 另一个生成仍在写入 输出目录 {out}（进程 {a.pid}），等了 0.5 秒仍未结束，本次没有生成。" in err
    assert "GKPUB_LOCK_TIMEOUT" in err and "Traceback" not in err
    assert tree(out) == before  # the second build wrote nothing
    flag.unlink()
    assert a.wait(60) == 0
    assert_true_output(site, out, False, clean, capsys)


def test_bad_lock_timeout_is_a_usage_error(mini_site: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GKPUB_LOCK_TIMEOUT", "十分钟")
    assert run("build", "--site", str(mini_site), "--today", TODAY.isoformat(), "--no-search") == 2
    assert "环境变量 GKPUB_LOCK_TIMEOUT 应为等待的秒数" in capsys.readouterr().err


def _locked(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def test_serve_holds_the_lock_only_while_rebuilding(tmp_path: Path) -> None:
    from gkpub.build.builder import Builder, BuildOptions
    site, out = make_site(tmp_path), tmp_path / "public"
    lock = tmp_path / ".public.lock"
    builder = Builder(BuildOptions(site_dir=site, out_dir=out, today=TODAY, search=False,
                                   cache_dir=site / ".cache"), keep_state=True)
    builder.run()
    assert not _locked(lock)
    set_secret(site, PUBLISHED)
    builder.run(extras=False)  # pages written, the browser told; data files still to come
    assert _locked(lock) and (out / BUILDING_MARKER).exists()
    builder.run_extras()
    assert not _locked(lock) and not (out / BUILDING_MARKER).exists()
    assert (out / SECRET_PAGE).is_file()
    builder.close()


# ---------------------------------------------------------------- issue 10, Broken 9


def test_broken_9_swap_killed_between_renames_restores_a_whole_site(tmp_path: Path, clean: CleanBuilds,
                                                                   capsys) -> None:
    """Where the atomic exchange is not available: a kill between the two renames left no
    public/; the next build puts the finished new site back, then builds."""
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, PUBLISHED)
    assert build_here(site, out, False) == 0
    set_secret(site, WITHHELD)
    killed(site, out, False, "swap-half", "--clean", env={"GKPUB_SWAP": "rename"})
    assert not out.exists()
    err = assert_true_output(site, out, False, clean, capsys)
    assert f"提示：上一次生成在替换输出目录时中断，已恢复新生成的完整网站 → {out}" in err


def test_broken_9_leftover_folders_are_removed(tmp_path: Path, clean: CleanBuilds, capsys) -> None:
    """Working folders of killed builds (.public.tmp-*, .old-*, .pagefind-*) go at the next build."""
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, PUBLISHED)
    assert build_here(site, out, True) == 0
    set_secret(site, WITHHELD)
    killed(site, out, True, "index", "--clean")  # a staging folder with half an index
    assert [n for n in leftovers(out) if n.startswith(".public.tmp-")]
    killed(site, out, True, "index")  # it removes that, and leaves an index folder beside the output
    assert [n[:17] for n in leftovers(out) if n.startswith(".public.")] == [".public.pagefind-"]
    stray = tmp_path / ".public.old-12345"
    shutil.copytree(out, stray)
    assert leaks(stray)  # an old copy of the site, still holding the item
    assert_true_output(site, out, True, clean, capsys)
    assert not stray.exists()


def test_broken_9_a_page_stays_whole_when_a_write_is_killed(tmp_path: Path, clean: CleanBuilds, capsys) -> None:
    """Incremental writes replace files by rename: a kill mid-way leaves old or new pages,
    never a truncated one, and after the revert the next build repairs all of them."""
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, REQUEST)
    assert build_here(site, out, False) == 0
    old = tree(out)
    set_secret(site, PUBLISHED)
    new = clean.of(site, False)
    for n in (1, 2, 4):
        killed(site, out, False, f"write:{n}")
        whole_files(tree(out), old, new)
    set_secret(site, REQUEST)
    assert_true_output(site, out, False, clean, capsys)


# ---------------------------------------------------------------- the output checked, not trusted


def test_changed_bytes_with_the_same_size_and_mtime_are_found(tmp_path: Path, clean: CleanBuilds,
                                                               capsys) -> None:
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, WITHHELD)
    assert build_here(site, out, False) == 0
    page = out / "xxgk/11530000MB00000025/2026-00001/index.html"
    st = page.stat()
    data = page.read_bytes()
    page.write_bytes(data.replace("关于调整".encode(), "关於调整".encode(), 1))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert page.stat().st_size == st.st_size and page.stat().st_mtime_ns == st.st_mtime_ns
    err = assert_true_output(site, out, False, clean, capsys)
    assert "提示：输出目录中的文件与上次生成的记录不一致：xxgk/11530000MB00000025/2026-00001/index.html" in err


def test_foreign_or_missing_files_mean_a_full_build(tmp_path: Path, clean: CleanBuilds, capsys) -> None:
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, WITHHELD)
    assert build_here(site, out, False) == 0
    (out / "xxgk" / "stray.html").write_text(f"<p>{MARKERS[0]}</p>", encoding="utf-8")
    err = assert_true_output(site, out, False, clean, capsys)
    assert "提示：输出目录中有不在上次生成记录中的文件：xxgk/stray.html" in err
    (out / "feed.xml").unlink()
    err = assert_true_output(site, out, False, clean, capsys)
    assert "提示：输出目录中少了上次生成的文件：feed.xml" in err
    (out / MANIFEST_NAME).write_text("damaged", encoding="utf-8")
    err = assert_true_output(site, out, False, clean, capsys)
    assert f"提示：输出目录中没有 gkpub 的文件清单 {MANIFEST_NAME}，或清单已损坏" in err


def test_the_manifest_checks_a_deployed_copy(tmp_path: Path) -> None:
    """``sha256sum -c`` on the manifest verifies a copy of the output, file by file."""
    import subprocess
    site, out = make_site(tmp_path), tmp_path / "public"
    assert build_here(site, out, False) == 0
    ok = subprocess.run(["sha256sum", "--quiet", "--strict", "-c", MANIFEST_NAME], cwd=out,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (out / "index.html").write_text("x", encoding="utf-8")
    bad = subprocess.run(["sha256sum", "--quiet", "-c", MANIFEST_NAME], cwd=out, capture_output=True, text=True)
    assert bad.returncode == 1 and "index.html" in bad.stdout


# ---------------------------------------------------------------- printed files


def test_killed_build_then_withdrawal_drops_the_poster(tmp_path: Path, clean: CleanBuilds, capsys) -> None:
    """Board posters printed into the output while the item was published; the item is
    withdrawn and the build killed after the data files: the next build keeps no PDF that
    shows it (read with pdftotext), the same as a clean build given the same printed files."""
    site, out = make_site(tmp_path), tmp_path / "public"
    set_secret(site, PUBLISHED)
    assert build_here(site, out, False) == 0
    common = ("--site", str(site), "--out", str(out), "--today", TODAY.isoformat())
    assert run("print", "boards", *common) == 0
    assert any(f.startswith("print/boards/") and f.endswith(".pdf: " + MARKERS[0]) for f in leaks(out))
    seed = tmp_path / "print-seed"
    shutil.copytree(out / "print", seed)
    capsys.readouterr()
    assert build_here(site, out, False) == 0  # what `gkpub print` wrote joins the manifest
    result = capsys.readouterr()
    assert "更新 0 个、删除 0 个页面" in result.out and "提示" not in result.err, result
    listed = (out / MANIFEST_NAME).read_text(encoding="utf-8")
    assert all(f"  {p.relative_to(out).as_posix()}\n" in listed for p in (out / "print").rglob("*.pdf"))
    set_secret(site, WITHHELD)
    killed(site, out, False, "extras")
    assert_true_output(site, out, False, clean, capsys, prints=seed)
    assert not list(out.glob("print/**/*.pdf"))  # the item was on every board


def test_killed_while_two_processes_render_every_file_is_old_or_new(tmp_path: Path, clean: CleanBuilds,
                                                                     capsys) -> None:
    """A site large enough to render on two processes (builder.PARALLEL_THRESHOLD): the build
    process renders every other block itself (util/parallel.fork_map), so a kill at one of its
    writes lands while its worker is writing too. Every file is the old one or the new one, and
    the next build is a full one with the bytes of a clean build."""
    import subprocess
    import sys

    from conftest import REPO
    site, out = tmp_path / "site", tmp_path / "public"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen_corpus.py"), "--items", "520", "--out", str(site)],
                   check=True, capture_output=True)
    assert build_here(site, out, False) == 0
    old = tree(out)
    toml = site / "site.toml"  # the site's name is on every page: every page is rendered again
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('title = "青禾区人民政府"', 'title = "青禾区人民政府门户"', 1), encoding="utf-8")
    new = clean.of(site, False)
    pages = sum(1 for rel in new if rel.endswith(".html"))
    assert pages >= 600
    killed(site, out, False, "write:120")
    live = tree(out)
    whole_files(live, old, new)
    assert (out / BUILDING_MARKER).exists()
    renewed = [rel for rel, data in live.items() if rel.endswith(".html") and data != old.get(rel)]
    assert 120 <= len(renewed) < pages - 100, (len(renewed), pages)  # killed on the way
    err = assert_true_output(site, out, False, clean, capsys)
    assert UNFINISHED in err, err
