"""Every page carries the 政府网站发展指引's page metadata and Open Graph (issue 12, part B).

A checker reads the <head> of every built page of the demo: the tags its kind of page must
carry are there once, non-empty and well-formed; pages that share a link show the right title,
description, address and image. Smaller sites test 发布时间, body images, a subpath and the
site.toml [[column]] table.
"""
from __future__ import annotations

import html
import re
import struct
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import REPO, TODAY, item_text, run, write_item

from gkpub.content.columnmeta import column_urls
from gkpub.content.loader import load_site
from gkpub.content.model import Site
from gkpub.outputs.web.pagemeta import DESCRIPTION_MAX, first_sentence

SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
ARTICLE_TAGS = ("ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author",
                "Description", "Image", "Url")
OG_TAGS = ("og:title", "og:description", "og:url", "og:image", "og:type", "og:site_name")
PUBDATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d$")


class Head(HTMLParser):
    """The <meta> and canonical <link> of a page's <head>, every value kept (duplicates show)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: dict[str, list[str]] = {}
        self.props: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.body_images: list[str] = []
        self.in_head = True
        self.in_body_text = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.in_head = False
        if self.in_head and tag == "meta" and "name" in a:
            self.names.setdefault(a["name"], []).append(a.get("content", ""))
        elif self.in_head and tag == "meta" and "property" in a:
            self.props.setdefault(a["property"], []).append(a.get("content", ""))
        elif self.in_head and tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href", ""))
        elif tag == "div" and "item-body" in a.get("class", "").split():
            self.in_body_text = 1
        elif self.in_body_text and tag == "div":
            self.in_body_text += 1
        elif self.in_body_text and tag == "img":
            self.body_images.append(a.get("src", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        elif tag == "div" and self.in_body_text:
            self.in_body_text -= 1

    def one(self, name: str) -> str:
        values = self.names.get(name) or self.props.get(name) or [""]
        return values[0]


def head_of(path: Path) -> Head:
    h = Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def own_address(base_url: str, rel: str) -> str:
    """The address a page is served at: …/index.html is its folder."""
    return base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def problems(public: Path, rel: str, site: Site, article: bool) -> list[str]:
    """What is wrong with one page's metadata (empty when nothing)."""
    cfg = site.config
    h = head_of(public / rel)
    out: list[str] = []
    wanted = SITE_TAGS + (ARTICLE_TAGS if article else COLUMN_TAGS)
    for name in wanted:
        values = h.names.get(name, [])
        if len(values) != 1 or not values[0].strip():
            out.append(f"{name}: {values!r}")
    for name in OG_TAGS:
        values = h.props.get(name, [])
        if len(values) != 1 or not values[0].strip():
            out.append(f"{name}: {values!r}")
    wrong_kind = set(COLUMN_TAGS if article else ARTICLE_TAGS) - set(wanted)
    out += [f"{name} on a {'n article' if article else ' column'} page" for name in wrong_kind if name in h.names]
    lowered = [n.lower() for n in h.names]
    out += [f"<meta name> twice (case-insensitively): {n}" for n in set(lowered) if lowered.count(n) > 1]
    own = own_address(cfg.base_url, rel)
    domain = h.one("SiteDomain")
    if domain != urlparse(cfg.base_url).hostname or "://" in domain or "/" in domain:
        out.append(f"SiteDomain {domain!r}")
    if h.one("SiteName") != cfg.title or h.one("SiteIDCode") != cfg.site_id:
        out.append(f"SiteName/SiteIDCode {h.one('SiteName')!r} {h.one('SiteIDCode')!r}")
    if h.one("og:url") != own or h.canonical != [own]:
        out.append(f"og:url {h.one('og:url')!r} / canonical {h.canonical!r}, the page is {own}")
    if h.one("og:type") != ("article" if article else "website"):
        out.append(f"og:type {h.one('og:type')!r}")
    if h.one("og:site_name") != cfg.title:
        out.append(f"og:site_name {h.one('og:site_name')!r}")
    image = h.one("og:image")
    if not re.match(r"^https?://[^/]+/", image):
        out.append(f"og:image not absolute: {image!r}")
    elif image.startswith(cfg.base_url) and not (public / image[len(cfg.base_url):]).is_file():
        out.append(f"og:image {image} is not in the output")
    keywords = h.one("Keywords" if article else "ColumnKeywords")
    if any(not k.strip() for k in keywords.split(",")):
        out.append(f"an empty keyword in {keywords!r}")
    if article:
        if not PUBDATE.match(h.one("PubDate")):
            out.append(f"PubDate {h.one('PubDate')!r} is not YYYY-MM-DD HH:MM")
        if h.one("Url") != own:
            out.append(f"Url {h.one('Url')!r}, the page is {own}")
        if h.one("Image") != image:
            out.append(f"Image {h.one('Image')!r} is not og:image {image!r}")
        if h.one("Description") != h.one("og:description") or h.one("og:title") != h.one("ArticleTitle"):
            out.append("og:description / og:title differ from Description / ArticleTitle")
    else:
        if h.one("description") != h.one("ColumnDescription") or h.one("keywords") != h.one("ColumnKeywords"):
            out.append("description / keywords differ from ColumnDescription / ColumnKeywords")
        if h.one("og:description") != h.one("ColumnDescription"):
            out.append("og:description differs from ColumnDescription")
    return out


@pytest.fixture(scope="module")
def demo_site() -> Site:
    return load_site(REPO, TODAY)


def article_pages(site: Site) -> set[str]:
    pages = {i.out_path for i in site.published}
    pages |= {p.url.lstrip("/") + "index.html" for p in site.pages if p.published}
    return pages


def kind_pages(public: Path, site: Site) -> dict[str, str]:
    """One page of every kind the portal has (the output path)."""
    d = site.catalog.domains[0]
    m = d.matters[0]
    org = site.config.orgs[1]
    item = next(i for i in site.published if i.doc_no)
    second = sorted(p.relative_to(public).as_posix() for p in public.glob("stage/*/page/2/index.html"))
    assert second, "no list in the demo has a second page"
    rules = next(p for p in site.pages if p.column == "rules" and p.slug)
    annual = next(p for p in site.pages if p.column == "annual" and p.slug)
    return {
        "首页": "index.html", "五公开": "stage/juece/index.html", "五公开第2页": second[0],
        "重点领域": "domain/index.html", "领域": f"domain/{d.slug}/index.html",
        "事项": m.url.lstrip("/") + "index.html", "公开内容": m.leaves[0].url.lstrip("/") + "index.html",
        "公开主体": "org/index.html", "机关": f"org/{org.code}/index.html", "信息正文": item.out_path,
        "标准目录": "catalog/index.html", "指南": "guide/index.html", "制度": "rules/index.html",
        "制度正文": rules.url.lstrip("/") + "index.html", "年报": "annual/index.html",
        "年报正文": annual.url.lstrip("/") + "index.html", "开放数据": "data/index.html",
        "检索": "search/index.html", "404": "404.html",
    }


def test_every_page_kind_carries_its_metadata(demo_public: Path, demo_site: Site) -> None:
    articles = article_pages(demo_site)
    kinds = kind_pages(demo_public, demo_site)
    for kind, rel in kinds.items():
        assert (demo_public / rel).is_file(), f"{kind}: {rel}"
        found = problems(demo_public, rel, demo_site, rel in articles)
        assert not found, f"{kind} ({rel}):\n" + "\n".join(found)
    assert {k for k, rel in kinds.items() if rel in articles} == {"信息正文", "指南", "制度正文", "年报正文"}


def test_every_built_page_passes_the_checker(demo_public: Path, demo_site: Site) -> None:
    """Every page, also those of kinds added later (联系我们, 网站地图…): none is left out."""
    articles = article_pages(demo_site)
    pages = sorted(p.relative_to(demo_public).as_posix() for p in demo_public.rglob("*.html"))
    assert len(pages) > 200 and articles <= set(pages)
    found = {rel: p for rel in pages if (p := problems(demo_public, rel, demo_site, rel in articles))}
    assert not found, "\n".join(f"{rel}: {'; '.join(p)}" for rel, p in list(found.items())[:20])


def test_item_metadata_comes_from_the_item(demo_public: Path, demo_site: Site) -> None:
    timed = {i.index_no: i for i in demo_site.published if i.el.get("发布时间")}
    assert {i.el["发布时间"] for i in timed.values()} >= {"10:30", "09:00"}  # `9:00` in the file
    for item in demo_site.published:
        h = head_of(demo_public / item.out_path)
        assert h.one("PubDate") == f"{item.published.isoformat()} {item.el.get('发布时间', '00:00')}"
        assert h.one("ArticleTitle") == item.title and h.one("ContentSource") == item.org.name
        assert h.one("Author") == item.org.name and h.one("ColumnName") == item.leaf.name
        words = item.el.get("关键词") or [item.leaf.name, item.matter.name, item.domain.name]
        assert h.one("Keywords") == ",".join(dict.fromkeys(words))
        description = h.one("Description")
        assert 0 < len(description) <= DESCRIPTION_MAX
        if item.el.get("摘要"):
            assert description == " ".join(item.el["摘要"].split())[:DESCRIPTION_MAX - 1] + (
                "…" if len(item.el["摘要"]) > DESCRIPTION_MAX else "")
        cycle = {"发布": "信息公开", "解读": "政策解读", "回应": "回应关切", "互动": "互动交流"}
        assert h.one("ColumnType") == cycle[item.el["信息环节"]]
    no_summary = [i for i in demo_site.published if not i.el.get("摘要")]
    assert no_summary, "every demo item has a 摘要: the first-sentence rule is untested"
    for item in no_summary:
        description = head_of(demo_public / item.out_path).one("Description")
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", item.html)).split())
        assert description.rstrip("…") in text, (item.source, description)
    interp = next(i for i in demo_site.published if i.el["信息环节"] == "解读")
    assert head_of(demo_public / interp.out_path).one("ColumnType") == "政策解读"


def test_column_metadata_comes_from_the_catalogue_and_site_toml(demo_public: Path, demo_site: Site) -> None:
    for d in demo_site.catalog.domains:
        h = head_of(demo_public / "domain" / d.slug / "index.html")
        assert h.one("ColumnName") == d.name and h.one("ColumnDescription") == d.description
        assert h.one("ColumnKeywords").split(",")[:2] == [d.name, d.matters[0].name]
        m = d.matters[0]
        h = head_of(demo_public / m.url.lstrip("/") / "index.html")
        assert h.one("ColumnName") == m.name and all(leaf.name in h.one("ColumnDescription") for leaf in m.leaves)
        leaf = m.leaves[0]
        h = head_of(demo_public / leaf.url.lstrip("/") / "index.html")
        assert h.one("ColumnName") == leaf.name and d.name in h.one("ColumnDescription")
        assert all(str(e) in h.one("ColumnDescription") for e in leaf.elements.get("要素", []))
    own = demo_site.config.columns
    assert "/" in own and "/stage/jieguo/" in own  # the demo's site.toml [[column]]
    home = head_of(demo_public / "index.html")
    assert home.one("ColumnDescription") == own["/"].description
    assert home.one("ColumnKeywords") == ",".join(own["/"].keywords)
    assert home.one("ColumnType") == "首页"
    pages = [demo_public / "stage/jieguo/index.html", *demo_public.glob("stage/jieguo/page/*/index.html")]
    assert len(pages) > 1
    for page in pages:  # every page of the list, each at its own address
        assert head_of(page).one("ColumnDescription") == own["/stage/jieguo/"].description
    stage = head_of(demo_public / "stage/zhixing/index.html")
    assert stage.one("ColumnName") == "执行公开" and "执行环节" in stage.one("ColumnDescription")


def test_every_column_address_site_toml_may_name_is_a_page(demo_public: Path, demo_site: Site) -> None:
    for url in column_urls([o.code for o in demo_site.config.orgs]):
        assert (demo_public / url.lstrip("/") / "index.html").is_file(), url


def test_share_image_is_a_png_big_enough_for_wechat() -> None:
    data = (REPO / "gkpub/theme/layouts/assets/share.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 300 and height >= 300


def test_first_sentence() -> None:
    body = ("<h2>一、总则</h2><table><tr><td>表格。</td></tr></table><p><img src=\"a.png\" alt=\"图\"></p>"
            "<p>附件：</p><p>本办法自&ldquo;公布&rdquo;之日起施行。第二句。</p>")
    assert first_sentence(body) == "本办法自“公布”之日起施行。"
    notice = "<p>各街道办事处：</p><p>现将有关事项通知如下，请遵照执行。二。</p>"
    assert first_sentence(notice) == "现将有关事项通知如下，请遵照执行。"
    assert first_sentence("<p>附件：名单。其余内容在这里。</p>") == "附件：名单。其余内容在这里。"
    assert first_sentence("<ul><li>第一项 &amp; 说明</li></ul><p>段落。</p>") == "第一项 & 说明"
    long = "<p>" + "很长的句子" * 40 + "。</p>"
    assert len(first_sentence(long)) == DESCRIPTION_MAX and first_sentence(long).endswith("…")
    assert first_sentence("<h2>只有标题</h2>") == ""


# -- small sites --------------------------------------------------------------------------------

def build(site: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run("build", "--site", str(site), "--out", str(site / "public"), "--today", TODAY.isoformat(),
               "--no-search")
    return code, capsys.readouterr().err


ITEM = "public/xxgk/11530000MB00000025/2026-00001/index.html"


def test_publication_time(mini_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_item(mini_site, "policy.md", item_text(**{"发布时间": "9:30"}))
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "发布时间": "16:05"}))
    code, err = build(mini_site, capsys)
    assert code == 0, err
    assert head_of(mini_site / ITEM).one("PubDate") == "2026-03-05 09:30"
    assert head_of(mini_site / ITEM.replace("00001", "00002")).one("PubDate") == "2026-03-05 16:05"
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "发布时间": "24:00"}))
    code, err = build(mini_site, capsys)
    assert code == 1
    assert "content/items/yanglao/b.md:7: 字段「发布时间」" in err and "「24:00」不是时刻" in err and "HH:MM" in err


def test_body_image_and_subpath(mini_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = mini_site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'base_url = "https://www.test.example.gov.cn/"', 'base_url = "https://www.test.example.gov.cn/zwgk/"'),
        encoding="utf-8")
    (mini_site / "content/items/yanglao/tu.png").write_bytes((REPO / "gkpub/theme/layouts/assets/share.png")
                                                            .read_bytes())
    write_item(mini_site, "policy.md", item_text(body="津贴标准见下图。\n\n![津贴标准示意图](tu.png)\n"))
    code, err = build(mini_site, capsys)
    assert code == 0, err
    h = head_of(mini_site / ITEM)
    base = "https://www.test.example.gov.cn/zwgk/"
    own = base + "xxgk/11530000MB00000025/2026-00001/"
    assert h.one("SiteDomain") == "www.test.example.gov.cn"
    assert h.one("Url") == own and h.one("og:url") == own and h.canonical == [own]
    assert len(h.body_images) == 1
    assert h.one("Image") == urljoin(own, h.body_images[0]) == h.one("og:image")
    assert h.one("Image").startswith(base) and h.one("Image").endswith("tu.png")
    assert h.one("Description") == "津贴标准见下图。"
    home = head_of(mini_site / "public/index.html")
    assert home.one("og:image") == base + "assets/share.png" and home.one("og:url") == base
    assert home.one("SiteDomain") == "www.test.example.gov.cn"


def test_site_toml_column_table(mini_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = mini_site / "site.toml"
    good = toml.read_text(encoding="utf-8") + (
        '\n[[column]]\nurl = "/guide/"\ndescription = "测试区的政府信息公开指南。"\n'
        '\n[[column]]\nurl = "/org/11530000MB00000025/"\n'
        'keywords = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]\n')
    toml.write_text(good, encoding="utf-8")
    code, err = build(mini_site, capsys)
    assert code == 0, err
    org = head_of(mini_site / "public/org/11530000MB00000025/index.html")
    assert org.one("ColumnKeywords").split(",")[-1] == "十二"  # the site's own list is never cut
    assert "测试区民政局" in org.one("ColumnDescription")  # the description is still generated
    assert head_of(mini_site / "public/guide/index.html").one("ColumnDescription") == "测试区的政府信息公开指南。"
    (mini_site / "content/pages").mkdir()
    guide_md = "---\n标题: 测试区政府信息公开指南\n发布日期: 2026-03-01\n---\n本指南说明如何获取政府信息。\n"
    (mini_site / "content/pages/guide.md").write_text(guide_md, encoding="utf-8")
    code, err = build(mini_site, capsys)
    assert code == 0, err
    guide = head_of(mini_site / "public/guide/index.html")  # now an article: the site's words are its Description
    assert guide.one("Description") == "测试区的政府信息公开指南。" and guide.one("PubDate") == "2026-03-01 00:00"
    assert guide.one("ContentSource") == "测试区人民政府" and "ColumnDescription" not in guide.names
    toml.write_text(good + '\n[[column]]\nurl = "/domain/yanglao/"\ndescription = "甲"\n'
                    '\n[[column]]\nurl = "/guide"\ndescription = "乙"\n'
                    '\n[[column]]\nurl = "/guide/"\nkeywords = ["丙"]\n'
                    '\n[[column]]\nurl = "/org/"\n', encoding="utf-8")
    code, err = build(mini_site, capsys)
    assert code == 1
    lines = toml.read_text(encoding="utf-8").splitlines()
    line = {text: n for n, text in enumerate(lines, 1)}
    domain_line, guide_line = line['url = "/domain/yanglao/"'], line['url = "/guide"']
    assert f"site.toml:{domain_line}: 字段「column[3].url」" in err and "请在 content/catalog/ 中修改" in err
    assert f"site.toml:{guide_line}: 字段「column[4].url」" in err and "是不是「/guide/」" in err
    assert "栏目「/guide/」已在第" in err
    assert "栏目「/org/」的这一段既没有 description 也没有 keywords" in err
