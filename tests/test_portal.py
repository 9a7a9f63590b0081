"""The demo district builds into a complete portal, and the disclosure gate holds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, TODAY, item_text, run, tree_digest, write_item

from gkpub.content.loader import load_site
from gkpub.content.schema import STAGE_SLUGS


@pytest.fixture(scope="module")
def demo_site():
    return load_site(REPO, TODAY)


def read(public: Path, rel: str) -> str:
    return (public / rel).read_text(encoding="utf-8")


def test_demo_is_big_enough(demo_site) -> None:
    assert len(demo_site.items) >= 80
    assert {i.stage for i in demo_site.published} == set(STAGE_SLUGS)
    assert {i.domain.slug for i in demo_site.published} == {d.slug for d in demo_site.catalog.domains}
    assert len(demo_site.catalog.domains) >= 8
    assert len([o for o in demo_site.config.orgs if o.kind == "区级部门"]) >= 6
    assert len(demo_site.config.townships) >= 3
    attrs = {i.attribute for i in demo_site.items}
    assert {"依申请公开", "不予公开", "删减后公开"} <= attrs
    assert any(i.interprets for i in demo_site.items)
    assert any(i.expired(TODAY) for i in demo_site.published)


def test_every_page_kind_renders(demo_public: Path, demo_site) -> None:
    for rel in ["index.html", "404.html", "catalog/index.html", "domain/index.html", "org/index.html",
                "guide/index.html", "rules/index.html", "annual/index.html", "assets/style.css"]:
        assert (demo_public / rel).is_file(), rel
    for slug in STAGE_SLUGS.values():
        assert (demo_public / "stage" / slug / "index.html").is_file()
    for d in demo_site.catalog.domains:
        assert (demo_public / "domain" / d.slug / "index.html").is_file()
        for m in d.matters:
            assert (demo_public / m.url.strip("/") / "index.html").is_file()
            for leaf in m.leaves:
                assert (demo_public / leaf.url.strip("/") / "index.html").is_file()
    for o in demo_site.config.orgs:
        assert (demo_public / "org" / o.code / "index.html").is_file()
    for item in demo_site.published:
        html = read(demo_public, item.out_path)
        assert item.title in html
    assert any((demo_public / "rules").glob("*/index.html"))
    assert any((demo_public / "annual").glob("*/index.html"))


def test_item_page_metadata(demo_public: Path, demo_site) -> None:
    item = next(i for i in demo_site.published if i.doc_no)
    html = read(demo_public, item.out_path)
    assert '<html lang="zh-CN" id="elder">' in html  # id: the no-JavaScript 长辈版 (style.css)
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "发布日期", "文号", "公开属性", "有效性"):
        assert f"<th scope=\"row\">{label}</th>" in html
    assert item.index_no in html and item.doc_no in html and item.org.name in html
    assert f'<meta name="ArticleTitle" content="{item.title}">' in html
    assert f'<meta name="PubDate" content="{item.published.isoformat()} {item.el.get("发布时间", "00:00")}">' in html
    for name in ("SiteName", "SiteIDCode", "ColumnName", "ContentSource"):
        assert f'<meta name="{name}"' in html
    assert re.search(r"\d{4}-\d{2}-\d{2}", html)


def test_policy_and_interpretation_link_both_ways(demo_public: Path, demo_site) -> None:
    interp = next(i for i in demo_site.published if i.interprets)
    policy = interp.interprets
    assert policy.url in read(demo_public, interp.out_path)
    assert interp.url in read(demo_public, policy.out_path)


def test_expired_and_redacted_are_marked(demo_public: Path, demo_site) -> None:
    expired = next(i for i in demo_site.published if i.expired(TODAY))
    assert "已失效" in read(demo_public, expired.out_path)
    redacted = next(i for i in demo_site.published if i.attribute == "删减后公开")
    assert redacted.el["删减说明"] in read(demo_public, redacted.out_path)


def test_gate_hidden_items_appear_nowhere(demo_public: Path, demo_site) -> None:
    hidden = [i for i in demo_site.items if i.attribute in ("依申请公开", "不予公开")]
    assert len(hidden) >= 2
    needles = []
    for item in hidden:
        needles += [item.title.encode(), item.index_no.encode()]
    for path in demo_public.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, f"{needle.decode()} leaked into {path}"


def test_drafts_and_future_items_held_unless_asked(demo_site, tmp_path: Path) -> None:
    draft = next(i for i in demo_site.items if i.el.get("草稿"))
    future = next(i for i in demo_site.items if i.published > TODAY)
    assert draft not in demo_site.published and future not in demo_site.published
    out = tmp_path / "preview"
    assert run("build", "--site", str(REPO), "--out", str(out), "--today", TODAY.isoformat(),
               "--drafts", "--future", "--no-search") == 0
    assert (out / draft.out_path).is_file() and (out / future.out_path).is_file()
    hidden = next(i for i in demo_site.items if i.attribute == "不予公开")
    assert not (out / hidden.out_path).exists()


def test_pagination(demo_public: Path, demo_site) -> None:
    size = demo_site.config.page_size
    stage = max(STAGE_SLUGS, key=lambda s: sum(1 for i in demo_site.published if i.stage == s))
    n = sum(1 for i in demo_site.published if i.stage == stage)
    assert n > size, "demo should have a stage longer than one page"
    assert (demo_public / "stage" / STAGE_SLUGS[stage] / "page" / "2" / "index.html").is_file()
    assert "下一页" in read(demo_public, f"stage/{STAGE_SLUGS[stage]}/index.html")


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert run("build", "--site", str(REPO), "--out", str(out), "--today", TODAY.isoformat()) == 0
    assert tree_digest(a) == tree_digest(b)


def test_inheritance_from_catalogue(mini_site: Path) -> None:
    write_item(mini_site, "list.md", item_text(**{
        "索引号": "11530000MB00000025/2026-00002", "目录": "养老服务/高龄津贴/发放名单",
        "公开主体": "区政府", "公开渠道": "[政府网站, 政务服务中心]"}))
    site = load_site(mini_site, TODAY)
    policy = next(i for i in site.items if i.index_no.endswith("00001"))
    listing = next(i for i in site.items if i.index_no.endswith("00002"))
    assert policy.stage == "决策" and policy.el["公开依据"] == ["《中华人民共和国老年人权益保障法》"]
    assert policy.org.name == "测试区民政局"  # from the domain
    assert policy.el["事项类型"] == "行政给付"  # from the matter
    assert listing.stage == "结果" and listing.el["公开时限"] == "5个工作日"  # from the leaf
    assert listing.org.name == "测试区人民政府"  # item overrides, short name resolved
    assert listing.el["公开渠道"] == ["政府网站", "政务服务中心"]
    assert listing.el["公开属性"] == "主动公开"  # schema default


def test_xss_is_escaped(mini_site: Path, tmp_path: Path) -> None:
    write_item(mini_site, "x.md", item_text(**{
        "索引号": "11530000MB00000025/2026-00002",
        "标题": "'<script>alert(1)</script>标题'", "摘要": "'\"><img src=x onerror=alert(1)>'"}))
    out = tmp_path / "out"
    assert run("build", "--site", str(mini_site), "--out", str(out), "--today", "2026-11-23", "--no-search") == 0
    html = (out / "xxgk/11530000MB00000025/2026-00002/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in html


def test_markdown_renderer_escapes_raw_html() -> None:
    from gkpub.content.markdown import render
    html = render("<script>alert(1)</script>\n\n[a](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html


def test_new_item_takes_next_free_index(mini_site: Path, capsys) -> None:
    assert run("new", "item", "--site", str(mini_site), "--org", "区民政局",
               "--catalog", "养老服务/高龄津贴/发放名单", "--title", "测试新建", "--today", "2026-11-23") == 0
    created = Path(capsys.readouterr().out.split("：", 1)[1].strip())
    text = created.read_text(encoding="utf-8")
    assert "索引号: 11530000MB00000025/2026-00002" in text
    assert run("check", "--site", str(mini_site), "--today", "2026-11-23") == 0  # valid as created (a draft)
