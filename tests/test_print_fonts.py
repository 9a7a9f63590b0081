"""Printing needs a CJK font (or it prints boxes) and should have HarfBuzz subsetting (speed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, print_cmd
from pdfcheck import need_tool

from gkpub.outputs.print import fonts


def test_print_toolchain_is_installed() -> None:
    """Fail loudly, not skip: these are part of the set-up (scripts/setup.sh)."""
    for tool in ("pdftotext", "pdffonts", "pdftoppm"):
        need_tool(tool)
    need_tool("fc-list", "fontconfig")
    families = fonts.cjk_families()
    assert "Noto Sans CJK SC" in families and "Noto Serif CJK SC" in families, \
        "install the Debian package fonts-noto-cjk"
    assert fonts.harfbuzz_subset_available(), "install the Debian package libharfbuzz-subset0"
    assert fonts.check_fonts() == []


def test_no_cjk_font_stops_printing_and_names_the_package(
        monkeypatch: pytest.MonkeyPatch, print_site: Path, tmp_path: Path, capsys) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: "")
    code = print_cmd("board", "东城社区", "--site", str(print_site), "--out", str(tmp_path),
                     "--today", TODAY.isoformat())
    err = capsys.readouterr().err
    assert code == 1
    assert "没有中文字体" in err and "fonts-noto-cjk" in err
    assert not (tmp_path / "print").exists()


def test_missing_fontconfig_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: None)
    with pytest.raises(fonts.FontError, match="fonts-noto-cjk"):
        fonts.check_fonts()


def test_other_cjk_font_and_missing_harfbuzz_are_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: "WenQuanYi Zen Hei,文泉驿正黑\n")
    monkeypatch.setattr(fonts, "harfbuzz_subset_available", lambda: False)
    warnings = fonts.check_fonts()
    assert len(warnings) == 2
    assert "Noto Sans CJK SC" in warnings[0] and "fonts-noto-cjk" in warnings[0]
    assert "libharfbuzz-subset0" in warnings[1] and "慢" in warnings[1]
