"""The built wheel, installed into a fresh venv, is a complete gkpub (issue #11).

The wheel is built from a copy of the checkout's files (building in the checkout would leave
``build/`` behind) and installed with its dependencies into a venv without system
site-packages: the system one holds an editable gkpub whose import hook would quietly serve
the source tree. Every command then runs outside the repository with no PYTHONPATH, so a
module, template or data file missing from the wheel, or a path computed relative to the
source tree, fails here.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging_support import LEAKY as _LEAKY
from packaging_support import PAGEFIND, REPO, VERSION
from packaging_support import repo_state as _repo_state
from packaging_support import run as _run
from pdfcheck import norm, page_texts

DAY = "2026-11-23"
YEAR = DAY[:4]
DISTRICT = "青禾区"
TITLE = f"{DISTRICT}惠民惠农财政补贴政策清单"  # the starter item's title, filled in
STARTER_ITEM = Path("content", "items", "caizheng", f"{YEAR}-butie-qingdan.md")
TOWNSHIP = f"""
[[township]]
name = "东城街道"
org = "{DISTRICT}人民政府"
communities = ["东城社区", "西岭村"]
"""


def _source_files() -> list[str]:
    """The checkout's files as `pip install .` from it would see them: tracked ones plus new
    ones not yet committed (not ignored), so a module someone has just added is not missed."""
    out = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO).stdout
    return sorted({p for p in out.split("\0") if p and (REPO / p).is_file()})


@dataclass(frozen=True)
class Installed:
    wheel: Path
    src: Path  # the copy the wheel was built from
    venv: Path
    work: Path  # a scratch folder outside the checkout, the cwd of every command
    env: dict[str, str]
    before: tuple[str, list[str]]

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    def gkpub(self, *args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run([str(self.venv / "bin" / "gkpub"), *args], cwd or self.work, self.env, check)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    assert PAGEFIND.is_file() and os.access(PAGEFIND, os.X_OK), (
        f"Pagefind is missing at {PAGEFIND}: run scripts/setup.sh (npm ci) in the checkout")
    before = _repo_state()
    root = tmp_path_factory.mktemp("wheel")
    src, dist, venv, work = root / "src", root / "dist", root / "venv", root / "work"
    for rel in _source_files():
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPO / rel).read_bytes())
        target.chmod((REPO / rel).stat().st_mode & 0o777)
    work.mkdir()
    # pip builds in an isolated environment with the setuptools pyproject asks for.
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)], work)
    wheels = sorted(dist.glob("gkpub-*.whl"))
    assert [w.name for w in wheels] == [f"gkpub-{VERSION}-py3-none-any.whl"]

    # No pip inside the venv (ensurepip is the slowest part of venv creation): this
    # interpreter's pip installs into it through --python.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work)
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
          "--disable-pip-version-check", str(wheels[0])], work)

    env = {k: v for k, v in os.environ.items() if k not in _LEAKY and not k.startswith("GIT_")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    env["GKPUB_PAGEFIND"] = str(PAGEFIND)
    return Installed(wheels[0], src, venv, work, env, before)


# -- the wheel's contents ------------------------------------------------------------------


def test_wheel_carries_every_module_and_data_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    pkg = installed.src / "gkpub"
    source = {p.relative_to(installed.src).as_posix() for p in pkg.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")}
    modules = {p for p in source if p.endswith(".py")}
    assert len(modules) > 50, sorted(modules)  # the layered package, not a stub
    assert not (modules - names), f"modules missing from the wheel: {sorted(modules - names)}"

    packages = {str(Path(p).parent) for p in modules}
    for package in sorted(packages):
        assert f"{package}/__init__.py" in names, f"{package} is a folder of modules but no package"
    for layer in ("util", "rules", "content", "compliance", "store", "outputs/web", "outputs/search",
                  "outputs/opendata", "outputs/report", "outputs/print", "importer", "authoring", "build", "cli"):
        assert f"gkpub/{layer}/__init__.py" in names, layer

    def under(folder: str) -> set[str]:
        found = {p for p in source if p.startswith(f"gkpub/{folder}/")}
        assert found, folder
        return found

    for folder in ("theme/layouts", "theme/print", "rules/data", "authoring/starter"):
        missing = under(folder) - names
        assert not missing, f"{folder} files missing from the wheel: {sorted(missing)}"
    for must in ("gkpub/rules/data/holidays.toml", "gkpub/authoring/starter/.gitignore",
                 "gkpub/theme/layouts/base.html", "gkpub/theme/layouts/assets/style.css",
                 "gkpub/theme/print/board.html", "gkpub/theme/print/board.css",
                 f"gkpub/authoring/starter/{STARTER_ITEM.parent.as_posix()}/{{{{year}}}}-butie-qingdan.md"):
        assert must in names, must
    assert not (source - names), f"files of gkpub/ missing from the wheel: {sorted(source - names)}"
    strays = {n for n in names if not n.startswith(("gkpub/", f"gkpub-{VERSION}.dist-info/"))}
    assert not strays, f"the wheel carries files outside the package: {sorted(strays)}"


# -- the installed package -----------------------------------------------------------------


def test_installed_package_lives_in_the_venv(installed: Installed) -> None:
    code = ("import sys, gkpub, gkpub.content.theme as t, gkpub.rules.workdays;"
            "print(gkpub.__version__); print(gkpub.__file__); print(t.THEME_DIR); print(sys.flags.no_site)")
    lines = _run([installed.python, "-c", code], installed.work, installed.env).stdout.splitlines()
    assert lines[0] == VERSION
    site_packages = installed.venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    assert Path(lines[1]) == site_packages / "gkpub" / "__init__.py"
    assert Path(lines[2]) == site_packages / "gkpub" / "theme"
    entry = _run([str(installed.venv / "bin" / "gkpub"), "--help"], installed.work, installed.env).stdout
    assert "gkpub" in entry and "build" in entry


def test_cli_reports_its_version(installed: Installed) -> None:
    out = installed.gkpub("--version")
    assert VERSION in out.stdout + out.stderr


# -- a new site, end to end ----------------------------------------------------------------


def _git(site: Path, env: dict[str, str], *args: str) -> str:
    ident = ["-c", "user.name=gkpub test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main",
             "-c", "core.quotePath=false"]  # file names in Chinese as they are
    return _run(["git", *ident, *args], site, env).stdout


def _new_site(installed: Installed, name: str) -> Path:
    """`gkpub new site`, then the two lines a district adds first: a township with its
    boards in site.toml, and the starter item put up on every board."""
    site = installed.work / name
    said = installed.gkpub("new", "site", str(site), "--district", DISTRICT, "--today", DAY).stdout
    assert "已新建站点" in said and "gkpub new item" in said
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + TOWNSHIP, encoding="utf-8")
    item = site / STARTER_ITEM
    text = item.read_text(encoding="utf-8")
    assert f"标题: {TITLE}" in text and "\n关键词:" in text
    item.write_text(text.replace("\n关键词:", "\n公开栏: [全部]\n关键词:", 1), encoding="utf-8")
    return site


def _index_no(path: Path) -> str:
    m = re.search(r"^索引号: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    assert m, path
    return m.group(1)


@pytest.mark.pagefind
def test_new_site_checks_builds_indexes_and_stays_clean_in_git(installed: Installed) -> None:
    site = _new_site(installed, "qinghe")
    assert (site / ".gitignore").is_file()
    env = installed.env
    _git(site, env, "init", "-q")
    _git(site, env, "add", "-A")
    _git(site, env, "commit", "-q", "-m", "new site")

    checked = installed.gkpub("check", "--site", str(site), "--today", DAY).stdout
    assert "未发现错误" in checked

    built = installed.gkpub("build", "--site", str(site), "--today", DAY).stdout
    assert "发布 1 条信息" in built
    out = site / "public"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f"{DISTRICT}人民政府" in home and TITLE in home
    index_no = _index_no(site / STARTER_ITEM)
    page = (out / "xxgk" / index_no / "index.html").read_text(encoding="utf-8")
    assert TITLE in page and "耕地地力保护补贴" in page and index_no in page
    assert "data-pagefind-body" in page
    assert (out / "assets" / "style.css").is_file()
    entry = (out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"1.6' in entry  # the 1.6 binary wrote it (GKPUB_PAGEFIND)
    # Nothing the build wrote points back into the checkout.
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".css", ".js"):
            assert str(REPO) not in path.read_text(encoding="utf-8", errors="replace"), path
    assert _git(site, env, "status", "--porcelain", "--untracked-files=all") == ""

    made = installed.gkpub("new", "item", "--site", str(site), "--org", "区政府",
                           "--catalog", "财政预决算/政府预算/预算报告", "--title", f"{DISTRICT}预算报告",
                           "--today", DAY).stdout
    created = Path(made.split("：", 1)[1].strip())
    assert created.is_file() and created.is_relative_to(site / "content" / "items")
    assert _index_no(created) == index_no.replace("-00001", "-00002")
    assert f"标题: {DISTRICT}预算报告" in created.read_text(encoding="utf-8")
    installed.gkpub("build", "--site", str(site), "--drafts", "--no-search", "--today", DAY)
    preview = site / "preview" / "xxgk" / _index_no(created) / "index.html"
    assert f"{DISTRICT}预算报告" in preview.read_text(encoding="utf-8")
    # Only the new item is new to git: the outputs and their lock files are ignored.
    status = _git(site, env, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert status == [f"?? {created.relative_to(site).as_posix()}"], status


@pytest.mark.pdf
def test_print_boards_with_the_installed_theme(installed: Installed) -> None:
    site = _new_site(installed, "boards")
    said = installed.gkpub("print", "boards", "--site", str(site), "--today", DAY).stdout
    assert "共 2 个公开栏" in said, said
    folder = site / "public" / "print" / "boards"
    for board in ("东城社区", "西岭村"):
        pdf = folder / f"{board}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-", pdf
        text = "".join(page_texts(pdf))
        assert norm(TITLE) in text and board in text, text[:500]
    assert (folder / "index.html").is_file()


def test_checkout_is_left_as_it_was(installed: Installed) -> None:
    """Building and installing worked on a copy: no build/ or dist/ in the checkout, no new
    untracked file. Changes to tracked files are left out of the comparison: the test cannot
    make them (it never writes into the checkout), and in a shared tree others do meanwhile."""
    status, top = _repo_state()
    assert top == installed.before[1]
    new = set(status.splitlines()) - set(installed.before[0].splitlines())
    assert not {line for line in new if line.startswith("??")}, sorted(new)
