"""`gkpub build` with nothing changed skips the build (cli/noop.py, store/stamp.py); with
anything changed that the output depends on, it builds — and the output is a clean build's."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, TODAY, item_text, run, tree_digest
from fault_support import killed

from gkpub.cli.noop import SKIPPED, Request
from gkpub.store import stamp as stamps

SECOND = "content/items/yanglao/second.md"


@pytest.fixture
def site(mini_site: Path) -> Path:
    """The mini site with a second item and a layout of its own, built once."""
    (mini_site / SECOND).write_text(item_text(标题="第二条通知", 索引号="11530000MB00000025/2026-00002"),
                                    encoding="utf-8")
    layouts = mini_site / "layouts"
    layouts.mkdir()
    shutil.copy(REPO / "gkpub" / "theme" / "layouts" / "item.html", layouts / "item.html")
    return mini_site


def build(site: Path, *extra: str, today: str = TODAY.isoformat()) -> tuple[str, str]:
    """A verbose build into site/public; (stdout, stderr)."""
    code = run("build", "-v", "--site", str(site), "--today", today, "--no-search", *extra)
    assert code == 0
    return "", ""


@pytest.fixture
def built(site: Path, capsys) -> tuple[Path, str]:
    """The site after a build, and the stdout of that build; a no-op rebuild is skipped."""
    build(site)
    first = capsys.readouterr().out
    build(site)
    _, err = capsys.readouterr()
    assert SKIPPED in err, err  # else the cases below prove nothing
    return site, first


def rebuilt(site: Path, capsys, *extra: str, today: str = TODAY.isoformat()) -> tuple[bool, str, str]:
    """Build again: (skipped?, stdout, stderr)."""
    build(site, *extra, today=today)
    out, err = capsys.readouterr()
    return SKIPPED in err, out, err


def clean_tree(site: Path, tmp_path: Path, today: str = TODAY.isoformat()) -> dict[str, str]:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert run("-q", "build", "--site", str(site), "--out", str(clean), "--cache", str(tmp_path / "clean-cache"),
               "--today", today, "--no-search", "--clean") == 0
    return tree_digest(clean)


def test_noop_is_skipped_with_the_same_summary(built: tuple[Path, str], capsys) -> None:
    site, first = built
    before = tree_digest(site / "public")
    skipped, out, err = rebuilt(site, capsys)
    assert skipped and "各阶段用时：" in err and "其余阶段：跳过" in err
    assert tree_digest(site / "public") == before
    full, report = first.splitlines()
    now, now_report = out.splitlines()
    assert now_report == report  # the compliance summary of the build that made the output
    # the counts of that build, said as a build that updated nothing says them
    assert now.split("（")[0] == full.split("（")[0]
    assert "更新 0 个、删除 0 个页面" in now and now.split("；", 1)[1].split("），")[0] == \
        full.split("；", 1)[1].split("），")[0]


def test_quiet_noop_prints_nothing(built: tuple[Path, str], capsys) -> None:
    site, _ = built
    assert run("-q", "build", "--site", str(site), "--today", TODAY.isoformat(), "--no-search") == 0
    assert capsys.readouterr() == ("", "")


def _edit_item(site: Path) -> None:
    with (site / SECOND).open("a", encoding="utf-8") as f:
        f.write("\n补充的一句。\n")


def _new_file(site: Path) -> None:
    (site / "content/items/yanglao/third.md").write_text(
        item_text(标题="第三条通知", 索引号="11530000MB00000025/2026-00003"), encoding="utf-8")


def _delete_file(site: Path) -> None:
    (site / SECOND).unlink()


def _rename_file(site: Path) -> None:
    (site / SECOND).rename(site / "content/items/yanglao/renamed.md")


def _site_toml(site: Path) -> None:
    path = site / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("0871-60000000", "0871-60000009"), encoding="utf-8")


def _layout(site: Path) -> None:
    path = site / "layouts/item.html"
    text = path.read_text(encoding="utf-8")
    assert "</article>" in text
    path.write_text(text.replace("</article>", "<p>本站的说明。</p>\n</article>", 1), encoding="utf-8")


def _catalogue(site: Path) -> None:
    path = site / "content/catalog/yanglao.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("养老服务测试目录。", "养老服务测试目录（修订）。"),
                    encoding="utf-8")


def _same_bytes_rewritten(site: Path) -> None:
    """Rewritten with the same bytes: stat changes, so it builds (and finds nothing to do)."""
    path = site / SECOND
    path.write_bytes(path.read_bytes())


@pytest.mark.parametrize("change", [_edit_item, _new_file, _delete_file, _rename_file, _site_toml, _layout,
                                    _catalogue, _same_bytes_rewritten])
def test_a_changed_input_is_built(built: tuple[Path, str], tmp_path: Path, capsys, change) -> None:
    site, _ = built
    change(site)
    skipped, _, err = rebuilt(site, capsys)
    assert not skipped and "不能跳过生成：输入有变化" in err, err
    assert tree_digest(site / "public") == clean_tree(site, tmp_path)
    assert rebuilt(site, capsys)[0]  # and then it is stamped again


def test_another_date_is_built(built: tuple[Path, str], tmp_path: Path, capsys) -> None:
    site, _ = built
    skipped, _, err = rebuilt(site, capsys, today="2026-11-24")
    assert not skipped and "日期" in err
    assert tree_digest(site / "public") == clean_tree(site, tmp_path, "2026-11-24")
    assert rebuilt(site, capsys, today="2026-11-24")[0]
    assert not rebuilt(site, capsys)[0]  # back to the first date: that stamp is gone


def test_other_options_are_built(built: tuple[Path, str], capsys) -> None:
    site, _ = built
    assert not rebuilt(site, capsys, "--clean")[0]  # --clean never skips
    assert rebuilt(site, capsys)[0]  # it stamps, though: the bytes are the same
    code = run("build", "-v", "--site", str(site), "--today", TODAY.isoformat())  # search on: Pagefind's index
    if code == 0:
        assert SKIPPED not in capsys.readouterr().err
    else:  # no Pagefind here: the build says so (exit 2); either way it did not skip
        assert code == 2 and SKIPPED not in capsys.readouterr().err


def test_another_engine_is_built(built: tuple[Path, str], tmp_path: Path) -> None:
    """The same code elsewhere is another engine: the stamp looked at this one's files."""
    site, _ = built
    engine = tmp_path / "engine"
    shutil.copytree(REPO / "gkpub", engine / "gkpub", ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKPUB_FAULT")}
    env["PYTHONPATH"] = str(engine)
    proc = subprocess.run([sys.executable, "-m", "gkpub", "build", "-v", "--site", str(site), "--today",
                           TODAY.isoformat(), "--no-search"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert SKIPPED not in proc.stderr and "引擎、选项、日期或运行环境与上次不同" in proc.stderr, proc.stderr


@pytest.mark.parametrize("what", ["deleted", "changed", "added", "report"])
def test_a_touched_output_is_repaired(built: tuple[Path, str], tmp_path: Path, capsys, what: str) -> None:
    site, _ = built
    out = site / "public"
    page = next(p for p in sorted(out.rglob("index.html")) if p.parent != out)
    report = site / "reports" / "compliance-report.html"
    assert report.is_file()
    if what == "deleted":
        page.unlink()
    elif what == "changed":
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>x()</script></body>"))
    elif what == "added":
        (page.parent / "extra.html").write_text("不该在这里", encoding="utf-8")
    else:
        report.unlink()
    skipped, _, err = rebuilt(site, capsys)
    assert not skipped and "不能跳过生成：输出与上次生成后不同" in err, err
    assert tree_digest(out) == clean_tree(site, tmp_path)
    assert report.is_file()
    assert rebuilt(site, capsys)[0]


def test_a_failed_build_leaves_no_stamp(built: tuple[Path, str], capsys) -> None:
    site, _ = built
    req = _request(site)
    assert stamps.location(req.cache_dir, req.out_dir).is_file()
    good = (site / SECOND).read_bytes()
    (site / SECOND).write_text("---\n标题: 缺字段\n---\n", encoding="utf-8")
    assert run("build", "--site", str(site), "--today", TODAY.isoformat(), "--no-search") == 1
    assert not stamps.location(req.cache_dir, req.out_dir).exists()
    (site / SECOND).write_bytes(good)
    skipped, _, err = rebuilt(site, capsys)
    assert not skipped and "没有上次成功生成的记录" in err


@pytest.mark.parametrize("point", ["load", "extras"])
def test_a_killed_build_leaves_no_stamp(built: tuple[Path, str], tmp_path: Path, capsys, point: str) -> None:
    """Killed before it wrote anything, or after the data files: no stamp either way, and the
    next build (not skipped) equals a clean one."""
    site, _ = built
    req = _request(site)
    _edit_item(site)  # so that the killed build has pages to write
    killed(site, site / "public", False, point)
    assert not stamps.location(req.cache_dir, req.out_dir).exists()
    skipped, _, err = rebuilt(site, capsys)
    assert not skipped and "没有上次成功生成的记录" in err, err
    assert tree_digest(site / "public") == clean_tree(site, tmp_path)


def test_verbose_build_prints_phase_timings(site: Path, capsys) -> None:
    from gkpub.build.builder import PHASES
    build(site)
    err = capsys.readouterr().err
    block = err.split("各阶段用时：\n", 1)[1].splitlines()
    labels = [line.strip().split("：")[0] for line in block if line.startswith("  ")]
    assert labels == ["核对是否与上次相同", *(label for _, label in PHASES), "记录本次的输入和输出（供下次核对）",
                      "合计"], block
    times = dict(line.strip().split("：", 1) for line in block if line.startswith("  "))
    assert times["全文检索索引"] == "未进行"  # --no-search
    assert times["读取和检查内容"].endswith(" 秒") and float(times["合计"].split()[0]) > 0


def test_racy_file_is_read_again(tmp_path: Path) -> None:
    """A file changed within a clock tick of the snapshot may keep its stat: its bytes decide."""
    folder = tmp_path / "f"
    folder.mkdir()
    path = folder / "a.md"
    path.write_bytes(b"one")
    snap = stamps.Snapshot.take(lambda: stamps.walk(folder))
    assert str(path) in snap.digests and snap.differs() is None
    st = path.stat()
    path.write_bytes(b"two")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert snap.differs() is not None
    # long after its last change a file is judged by its stat alone
    old = time.time_ns() - 10 * stamps.COARSE_WINDOW_NS
    os.utime(path, ns=(old, old))
    time.sleep(stamps.FINE_WINDOW_NS / 1e9 * 2)
    later = stamps.Snapshot.take(lambda: stamps.walk(folder, lambda p: p.endswith("/skipped")))
    assert str(path) not in later.digests


def test_a_folder_holding_skipped_things_is_compared_by_names(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "a.md").write_text("a", encoding="utf-8")

    def skip(p: str) -> bool:
        return p.endswith("/public") or p.endswith("/.public.lock")

    snap = stamps.Snapshot.take(lambda: stamps.walk(tmp_path, skip), skip)
    assert str(tmp_path) + "/" not in snap.files and str(tmp_path) + "/" in snap.digests
    (tmp_path / ".public.lock").write_text("", encoding="utf-8")  # a build's own: no change
    assert snap.differs(skip) is None
    (tmp_path / "b.md").write_text("b", encoding="utf-8")
    assert snap.differs(skip) == f"改动 {tmp_path}/"


def _request(site: Path) -> Request:
    return Request(site_dir=site.resolve(), out_dir=(site / "public").resolve(),
                   cache_dir=(site / ".cache" / "gkpub").resolve(), today=TODAY, drafts=False, future=False,
                   search=False)


@pytest.mark.parametrize("name", ["public", "preview", "out"])
def test_report_file_is_where_the_build_writes_it(tmp_path: Path, name: str) -> None:
    from gkpub.outputs.report.page import report_path
    req = Request(site_dir=tmp_path, out_dir=tmp_path / name, cache_dir=tmp_path / "c", today=TODAY,
                  drafts=False, future=False, search=False)
    assert req.report_file == report_path(tmp_path / name)


def test_admin_port_agrees() -> None:
    from gkpub.authoring.admin import DEFAULT_PORT
    from gkpub.cli.admin import DEFAULT_PORT as CLI_PORT
    assert CLI_PORT == DEFAULT_PORT


HEAVY = ("jinja2", "yaml", "markdown_it", "markdown_it_pyrs", "openpyxl", "weasyprint", "gkpub.build.builder",
         "gkpub.content.loader", "gkpub.outputs.web.render", "gkpub.authoring.admin", "gkpub.cli.serve")


def test_a_skipped_build_imports_nothing_heavy(built: tuple[Path, str]) -> None:
    site, _ = built
    code = ("import sys\nfrom gkpub.cli.main import main\n"
            f"assert main(['-q', 'build', '--site', {str(site)!r}, '--today', {TODAY.isoformat()!r},"
            " '--no-search']) == 0\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKPUB_FAULT")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"imported on the fast path: {proc.stdout}"
    assert proc.stderr == ""
