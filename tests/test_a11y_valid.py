"""Every page of the demo (and its stylesheet) passes the Nu Html Checker (vnu) with zero errors."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from a11y_support import run_vnu

BAD_PAGE = ('<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head>'
            '<body><p>段落</p><img src="a.png"></body></html>')


@pytest.fixture(scope="module")
def vnu_messages(demo_public: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """One vnu run (it is slow to start) over every demo page plus one known-bad page."""
    bad = tmp_path_factory.mktemp("vnu") / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    out: dict[str, list[dict]] = {"demo": [], "bad": []}
    for m in run_vnu([demo_public, bad]):
        out["bad" if m.get("url", "").endswith("/bad.html") else "demo"].append(m)
    return out


def test_every_demo_page_is_valid_html(vnu_messages: dict[str, list[dict]], demo_public: Path) -> None:
    assert len(list(demo_public.rglob("*.html"))) > 200
    messages = vnu_messages["demo"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    warnings = [m for m in messages if m not in errors]
    for text, n in Counter(m["message"] for m in warnings).most_common():
        print(f"vnu 提示（{n} 处）：{text}")
    assert not errors, "\n".join(
        f"{m.get('url', '')[-70:]}:{m.get('lastLine', '')}: {m['message']}" for m in errors[:30])


def test_vnu_really_checks(vnu_messages: dict[str, list[dict]]) -> None:
    """The same run flags the known-bad page: an image without alt text."""
    assert any(m["type"] == "error" and "alt" in m["message"] for m in vnu_messages["bad"]), vnu_messages["bad"]
