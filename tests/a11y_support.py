"""Test support for the accessibility tests: the Nu Html Checker, axe-core, and one page of
each kind in the demo build.

The tools come from the npm registry (package.json; scripts/setup.sh installs them with the
test extras). A missing tool is a failure, not a skip.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
SETUP_HINT = "请运行 GKPUB_EXTRAS=test bash scripts/setup.sh（或 bash scripts/test.sh）安装测试工具"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
            "best-practice"]  # and axe's best practices: heading order, unique landmarks, all text in one
AXE_RUN = (f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(AXE_TAGS)}}}, "
           "resultTypes: ['violations']})")


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if not java:
        raise RuntimeError(f"找不到 Java（HTML 校验器 vnu 需要）：{SETUP_HINT}")
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        raise RuntimeError(f"找不到 {jar}：{SETUP_HINT}")
    return [java, "-Xss4m", "-jar", str(jar)]


def run_vnu(paths: list[Path]) -> list[dict]:
    """All messages of one vnu run over ``paths`` (files or folders), as vnu's JSON gives them."""
    proc = subprocess.run([*vnu_command(), "--format", "json", "--skip-non-html", "--also-check-css",
                           *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    try:
        return json.loads(proc.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise AssertionError(f"vnu 没有输出 JSON（退出码 {proc.returncode}）：\n{proc.stderr[-2000:]}") from None


def axe_source() -> str:
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    if not path.is_file():
        raise RuntimeError(f"找不到 {path}：{SETUP_HINT}")
    return path.read_text(encoding="utf-8")


def run_axe(page, source: str) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now. Give the browser context
    ``add_init_script(axe_source())`` when checking many pages: the compiled script is reused."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    return page.evaluate(AXE_RUN)["violations"]


def reading_context(browser, width: int, elder: bool, source: str, size: str = "1"):
    """A browser context ``width`` px wide with axe-core (``source``) loaded on every page; with
    ``elder``, 长辈版 on and the text size step ``size``, as a reader who set them would have."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(source)
    if elder:
        context.add_init_script(
            f"localStorage.setItem('gkpub-elder', '1'); localStorage.setItem('gkpub-size', '{size}');")
    return context


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"      {node['target']}: {node['html'][:160]}")
    return "\n".join(lines)


def _first(public: Path, pattern: str, contains: str | None = None) -> str | None:
    for path in sorted(public.glob(pattern)):
        if contains is None or contains in path.read_text(encoding="utf-8"):
            rel = path.relative_to(public).as_posix()
            return "/" + rel[: -len("index.html")] if rel.endswith("index.html") else "/" + rel
    return None


def page_kinds(public: Path) -> dict[str, str]:
    """One address of each kind of page in a built demo; fails when a kind is missing."""
    kinds = {
        "home": "/",
        "stage": _first(public, "stage/*/index.html"),
        "stage page 2": _first(public, "stage/*/page/2/index.html"),
        "domains": "/domain/",
        "domain": _first(public, "domain/*/index.html"),
        "matter": _first(public, "domain/*/*/index.html"),
        "leaf": _first(public, "domain/*/*/*/index.html", 'class="item-list"'),
        "org index": "/org/",
        "org": _first(public, "org/*/index.html"),
        "catalog": "/catalog/",
        "guide": "/guide/",
        "rules list": "/rules/",
        "rules page": _first(public, "rules/*/index.html"),
        "annual list": "/annual/",
        "annual page": _first(public, "annual/*/index.html"),
        "item with a table": _first(public, "xxgk/*/*/index.html", '<div class="table-wrap"'),
        "item with attachments": _first(public, "xxgk/*/*/index.html", 'class="attachments"'),
        "item with footnotes": _first(public, "xxgk/*/*/index.html", 'class="footnotes"'),
        "expired item": _first(public, "xxgk/*/*/index.html", "notice-expired"),
        "404": "/404.html",
        "qingli": "/xxgk/qingli/",  # 清理结果 (issue 14 item 7)
    }
    for optional in ("data", "search"):
        if (public / optional / "index.html").is_file():
            kinds[optional] = f"/{optional}/"
    missing = [k for k, v in kinds.items() if v is None or not _exists(public, v)]
    assert not missing, f"演示网站缺少这些种类的页面：{missing}"
    return kinds  # type: ignore[return-value]


def _exists(public: Path, address: str) -> bool:
    rel = address.lstrip("/")
    return (public / rel).is_file() or (public / rel / "index.html").is_file()


def item_pages(public: Path) -> list[Path]:
    return sorted(public.glob("xxgk/*/*/index.html"))


_ASSET_RE = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"')


def page_weight(public: Path, page: Path, prefix: str = "/") -> tuple[int, dict[str, int]]:
    """Bytes of the page's HTML plus the stylesheets and scripts it loads (search bundle excluded)."""
    parts = {page.relative_to(public).as_posix(): page.stat().st_size}
    for url in _ASSET_RE.findall(page.read_text(encoding="utf-8")):
        if "pagefind" in url:
            continue
        rel = url[len(prefix):] if url.startswith(prefix) else url
        parts[rel] = (public / rel).stat().st_size
    return sum(parts.values()), parts
