"""`gkpub build` with nothing changed: decide, from stat alone, that the last build's output stands.

What the output depends on, all of it:

- every file of the site folder — site.toml, content/ (catalogue, items, pages, attachments),
  layouts/, print/, data/ and whatever else lies there, so a file added, removed or renamed
  anywhere counts; left out are what builds write themselves (this output folder, its lock and
  working folders beside it, its internal report and the cache folder), the site's ``.git``, and
  its ``node_modules`` (npm's tens of thousands of files: 0.9 s to stat for the demo, whose site
  folder is the checkout; what of it a build uses, Pagefind, is in the key below);
- the engine: every file of the gkpub package — its code (all that engine_key() hashes), the
  default theme, the holiday tables — by stat, like the site's files;
- the options: site, output and cache folders, --today (the real date when not given),
  --drafts, --future, --no-search; the Python that runs, its site-packages folders (an
  installed or upgraded library), the fonts the application forms are printed with, and with
  search the Pagefind candidates (``GKPUB_PAGEFIND``, node_modules, PATH) and their stat;
- the output folder as the build left it (every file's stat: a file deleted, added or
  changed there means a real build, which repairs it) and the internal compliance report.

The stamp itself is store/stamp.py. A build that takes the fast path prints the summary the
stamped build printed, with its counts, as a build that updated nothing would.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gkpub
from gkpub.store import stamp as stamps
from gkpub.store.stamp import Snapshot, Stamp, Tree

if TYPE_CHECKING:
    from gkpub.build.builder import Builder

ENGINE_DIR = Path(gkpub.__file__).resolve().parent
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts", "/etc/fonts")
SKIPPED = "输入与上次相同，跳过生成"


@dataclass(frozen=True)
class Request:
    """One `gkpub build`: what it reads and where it writes."""
    site_dir: Path
    out_dir: Path
    cache_dir: Path
    today: dt.date
    drafts: bool
    future: bool
    search: bool

    @property
    def report_file(self) -> Path:
        """Where the build writes its internal report: the rule of outputs/report/page.py
        (report_path, too heavy to import here; the recorder checks that they agree)."""
        name = "compliance-report.html" if self.out_dir.name == "public" else \
            f"compliance-report-{self.out_dir.name}.html"
        return self.out_dir.parent / "reports" / name

    def key(self) -> str:
        # The engine is in the inputs: the stat of every file of the package, which covers all
        # engine_key() hashes (its .py files) and the theme and tables it does not.
        # A check looks only at the paths the stamp recorded: where they are is in the key.
        parts = (stamps.FORMAT, gkpub.__version__, sys.version, sys.executable, str(ENGINE_DIR),
                 tuple(map(str, _font_dirs())), tuple(_library_dirs()),
                 str(self.site_dir), str(self.out_dir), str(self.cache_dir), str(self.report_file),
                 self.today.isoformat(), self.drafts, self.future, self.search,
                 os.environ.get("GKPUB_PAGEFIND") if self.search else None,
                 os.environ.get("PATH") if self.search else None)
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    @cached_property
    def _made(self) -> tuple[Path, ...]:
        """What builds (and git, npm) write themselves in the site folder."""
        return self.out_dir, self.cache_dir, self.report_file, self.site_dir / ".git", self.site_dir / "node_modules"

    @cached_property
    def _skipped(self) -> frozenset[str]:
        return frozenset(map(str, self._made))

    @cached_property
    def _work_prefix(self) -> str:
        return f"{self.out_dir.parent}/.{self.out_dir.name}."  # the output's lock and working folders

    def skip(self, path: str) -> bool:
        """What builds write themselves in the site folder: left out of its inputs (called for
        every entry of the site folder)."""
        return path in self._skipped or path.startswith(self._work_prefix)

    def inputs(self) -> tuple[Tree, set[str]]:
        """Every file and folder the output is made from (see the module's docstring)."""
        files, listed = stamps.walk(self.site_dir, self.skip, by_names=(str(p.parent) for p in self._made))
        for root, skip in ((ENGINE_DIR, _no_bytecode), *((f, _no_bytecode) for f in _font_dirs())):
            more, more_listed = stamps.walk(root, skip)
            files.update(more)
            listed |= more_listed
        files.update(stamps.stat_files(Path(p) for p in _library_dirs()))
        if self.search:
            from gkpub.outputs.search.pagefind import candidates
            files.update(stamps.stat_files(candidates(self.site_dir)))
        return files, listed

    def outputs(self) -> tuple[Tree, set[str]]:
        files, listed = stamps.walk(self.out_dir, follow=False)
        files.update(stamps.stat_files([self.report_file]))
        return files, listed

    def snapshot_inputs(self) -> Snapshot:
        """Taken before the build reads anything. The folders the build will make for its cache
        and its report are made first: when they lie in the site folder, their appearing would
        otherwise count as a change there, and the next build would not skip."""
        for folder in (self.cache_dir, self.report_file.parent):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                pass  # the build meets it, and says so in its own words
        return Snapshot.take(self.inputs, self.skip)

    def snapshot_outputs(self) -> Snapshot:
        return Snapshot.take(self.outputs, follow=False)


def _font_dirs() -> list[Path]:
    return [Path(f).expanduser() for f in FONT_DIRS]


def _library_dirs() -> list[str]:
    """Where the libraries are installed: a folder's stat moves when one is added, removed or upgraded."""
    return [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]


def _no_bytecode(path: str) -> bool:
    return path.endswith(("/__pycache__", ".pyc"))


def check(req: Request) -> tuple[Stamp | None, str]:
    """The stamp, if it says the output stands; else why not."""
    if os.environ.get("GKPUB_FAULT"):
        return None, "设置了 GKPUB_FAULT（故障注入：每次都真正生成）"
    found = stamps.read(req.cache_dir, req.out_dir)
    if found is None:
        return None, "没有上次成功生成的记录"
    if found.key != req.key():
        return None, "引擎、选项、日期或运行环境与上次不同"
    why = found.inputs.differs(req.skip)
    if why is not None:
        return None, f"输入有变化（{why}）"
    why = found.outputs.differs()
    if why is not None:
        return None, f"输出与上次生成后不同（{why}）"
    return found, ""


def recorder(req: Request, inputs: Snapshot, summary: Any) -> Any:
    """What the build calls at its very end (locks held): the stamp of this build, written
    whole. ``summary(builder)`` gives what the build prints."""

    def at_end(builder: Builder) -> None:
        if not inputs.trusted or builder.report_file != req.report_file:
            return
        # the build has just written its manifest and report: let the clock pass them, then look
        # once (on a coarse-clock file system they stay racy, and the stamp says so)
        time.sleep(stamps.FINE_WINDOW_NS / 1e9)
        outputs = req.snapshot_outputs()
        if not outputs.trusted:
            return
        try:
            stamps.write(req.cache_dir, req.out_dir, Stamp(req.key(), inputs, outputs, summary(builder)))
        except OSError:
            pass  # only time is lost: the next build is a real one
    return at_end
