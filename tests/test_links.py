"""`gkpub check --links`: broken internal links, anchors and attachments in the built site."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, TODAY, item_text, run, write_item

from gkpub.compliance.links import check_links

BODY = """\
## 一、补贴条件

见[实施细则](/xxgk/11530000MB00000025/2026-00099/)和[第三部分](#三不存在的标题)，
[本文第一部分](#一补贴条件)，[目录](/domain/yanglao/#没有这个锚点)，[领域](/domain/yanglao/)，
[国务院](https://www.gov.cn/)，[邮箱](mailto:a@b.cn)。
"""


def build(site: Path, out: Path) -> Path:
    assert run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat(), "--no-search") == 0
    return out


@pytest.fixture
def broken_site(mini_site: Path, tmp_path: Path) -> Path:
    """The mini site with broken links in an item, and an attachment gone from the output."""
    (mini_site / "content" / "items" / "yanglao" / "files").mkdir()
    (mini_site / "content" / "items" / "yanglao" / "files" / "sqb.pdf").write_bytes(b"%PDF-1.4\n")
    write_item(mini_site, "policy.md", item_text(附件="[{名称: 申请表, 文件: files/sqb.pdf}]", body=BODY))
    out = build(mini_site, tmp_path / "public")
    attachment = out / "files" / "items" / "yanglao" / "files" / "sqb.pdf"
    assert attachment.is_file()
    attachment.unlink()
    return out


def test_demo_has_no_broken_links(demo_public: Path, capsys) -> None:
    assert run("check", "--links", "--site", str(REPO), "--out", str(demo_public)) == 0
    out = capsys.readouterr().out
    assert "未发现失效链接" in out


def test_broken_links_are_reported(mini_site: Path, broken_site: Path, capsys) -> None:
    assert run("check", "--links", "--site", str(mini_site), "--out", str(broken_site)) == 1
    lines = capsys.readouterr().out.splitlines()
    page = "/xxgk/11530000MB00000025/2026-00001/"
    expected = [
        f"{page} → /xxgk/11530000MB00000025/2026-00099/：页面不存在",
        f"{page} → #三不存在的标题：本页中没有锚点「#三不存在的标题」",
        f"{page} → /domain/yanglao/#没有这个锚点：目标页面中没有锚点「#没有这个锚点」",
        f"{page} → /files/items/yanglao/files/sqb.pdf：附件文件不存在",
    ]
    for line in expected:
        assert line in lines, "\n".join(lines)
    assert len(lines) == len(expected) + 1, "\n".join(lines)  # nothing else: the good links pass
    assert "发现 4 个失效链接" in lines[-1]


def test_json_output(mini_site: Path, broken_site: Path, capsys) -> None:
    assert run("check", "--links", "--format", "json", "--site", str(mini_site), "--out", str(broken_site)) == 1
    data = json.loads(capsys.readouterr().out)
    assert len(data["broken"]) == 4 and data["pages"] > 5
    assert {b["problem"] for b in data["broken"]} >= {"页面不存在", "附件文件不存在"}


def test_site_under_a_path_prefix(mini_site: Path, tmp_path: Path, capsys) -> None:
    toml = mini_site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'base_url = "https://www.test.example.gov.cn/"', 'base_url = "https://www.test.example.gov.cn/gk/"'),
        encoding="utf-8")
    out = build(mini_site, tmp_path / "public")
    assert 'href="/gk/catalog/"' in (out / "index.html").read_text(encoding="utf-8")
    assert run("check", "--links", "--site", str(mini_site), "--out", str(out)) == 0
    report = check_links(out, "https://www.test.example.gov.cn/gk/")
    assert report.links > 50 and not report.broken
    # the same pages served from the root: every prefixed link points outside the site
    assert check_links(out, "https://www.test.example.gov.cn/").broken


def test_not_built_yet(mini_site: Path, capsys) -> None:
    assert run("check", "--links", "--site", str(mini_site)) == 2
    assert "请先运行 gkpub build" in capsys.readouterr().err
