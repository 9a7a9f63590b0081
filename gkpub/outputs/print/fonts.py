"""Check, before anything is rendered, that printing will show Chinese and not boxes.

WeasyPrint finds fonts through fontconfig. Without a CJK font it silently draws
empty boxes (and pdftotext still extracts correct Chinese, so nobody notices), so
gkpub refuses to print instead and names the Debian package to install.
"""
from __future__ import annotations

import ctypes.util
import shutil
import subprocess

CJK_PACKAGE = "fonts-noto-cjk"
SUBSET_PACKAGE = "libharfbuzz-subset0"
# The families the print stylesheets name; other CJK fonts work as a fallback.
PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC")


class FontError(Exception):
    """No CJK font: printing would produce boxes instead of Chinese."""


def _fc_list() -> str | None:
    """Families fontconfig knows for Chinese, one per line; None when fc-list is missing."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    run = subprocess.run([exe, ":lang=zh", "family"], capture_output=True, text=True,
                         check=False, timeout=60)
    return run.stdout


def cjk_families() -> list[str]:
    out = _fc_list()
    if out is None:
        raise FontError("找不到 fc-list（fontconfig），无法确认系统中有中文字体；"
                        f"请安装 fontconfig 和中文字体：sudo apt-get install fontconfig {CJK_PACKAGE}")
    names = {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}
    return sorted(names)


def check_fonts() -> list[str]:
    """Raise FontError when no CJK font is installed; return warnings (in Chinese) otherwise."""
    families = cjk_families()
    if not families:
        raise FontError("系统中没有中文字体，打印件会把汉字显示成方框，已停止。"
                        f"请安装 Debian 软件包 {CJK_PACKAGE}：sudo apt-get install {CJK_PACKAGE}"
                        "（或运行 scripts/setup.sh）")
    warnings: list[str] = []
    missing = [f for f in PREFERRED_FAMILIES if f not in families]
    if missing:
        warnings.append(f"未找到字体 {'、'.join(missing)}，将改用 {families[0]}，版式可能与标准样式不同；"
                        f"建议安装 {CJK_PACKAGE}")
    if not harfbuzz_subset_available():
        warnings.append(f"未安装 {SUBSET_PACKAGE}：字体子集化将改用 fontTools，打印会慢很多"
                        f"（A3 海报约 10 秒而不是 0.2 秒）；请安装：sudo apt-get install {SUBSET_PACKAGE}")
    return warnings


def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None
