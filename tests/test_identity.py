"""The identity marks of 政府网站发展指引 on every page (主办、承办, contacts, 网站标识码, ICP and
公安机关 records with their links, 党政机关网站标识, 联系我们, 网站地图, 找错, 无障碍/长辈版);
the 联系我们 and 网站地图 pages; site.toml errors for the marks; 长辈版 without JavaScript."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from a11y_support import axe_source, describe, run_axe
from browser import browser, serve
from conftest import MINI_TOML, REPO, TODAY, run

from gkpub.content.config import load_config
from gkpub.content.identity import ICP_URL, POLICE_URL
from gkpub.content.pages import COLUMNS
from gkpub.content.schema import STAGE_SLUGS
from gkpub.util.errors import ErrorList

IDENTITY_KEYS = ("sponsor", "operator", "postcode", "icp", "police_beian", "party_mark", "party_mark_url",
                 "error_report_url", "address", "phone", "supervision_phone", "site_id")
PHONE = {"width": 360, "height": 800}


# -- a small DOM from the standard library's parser ------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class El:
    tag: str
    attrs: dict[str, str]
    children: list[El | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def find_all(self, tag: str, **attrs: str) -> list[El]:
        found = []
        for c in self.children:
            if isinstance(c, El):
                if c.tag == tag and all(c.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                    found.append(c)
                found += c.find_all(tag, **attrs)
        return found

    def one(self, tag: str, **attrs: str) -> El:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"应有一个 <{tag} {attrs}>，找到 {len(found)} 个"
        return found[0]

    def links(self) -> dict[str, El]:
        """Link text (spaces squeezed) → the <a>."""
        return {squeeze(a.text): a for a in self.find_all("a")}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = El(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> El:
    b = _Builder()
    b.feed(path.read_text(encoding="utf-8"))
    return b.root


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_pages(public: Path) -> list[Path]:
    return sorted(p for p in public.rglob("*.html") if "pagefind" not in p.parts)


def local(public: Path, href: str) -> Path:
    """The output file a site-relative link opens."""
    rel = href.split("#")[0].lstrip("/")
    path = public / rel
    return path / "index.html" if href.endswith("/") or not rel else path


@pytest.fixture(scope="module")
def demo_config():
    errors = ErrorList()
    cfg = load_config(REPO, errors)
    assert cfg is not None and not errors, errors.report()
    return cfg


# -- every page -------------------------------------------------------------------------------

def test_demo_site_toml_fills_every_mark() -> None:
    site = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))["site"]
    missing = [k for k in IDENTITY_KEYS if not site.get(k)]
    assert not missing, f"演示站点的 site.toml 缺少：{missing}"
    assert site["sponsor"].endswith("办公室") and site["sponsor"] != site["government"]
    assert (REPO / site["party_mark"]).is_file()


def test_every_page_carries_every_mark(demo_public: Path, demo_config) -> None:
    cfg, idn = demo_config, demo_config.identity
    pages = html_pages(demo_public)
    assert len(pages) > 200
    police_digits = "53990102000001"
    problems: list[str] = []
    for path in pages:
        rel = path.relative_to(demo_public).as_posix()
        doc = parse(path)
        html = doc.one("html")
        footer = doc.one("footer", class_="site-footer")
        text = squeeze(footer.text)
        links = footer.links()
        want_text = [f"主办单位：{idn.sponsor}", f"承办单位：{idn.operator}", f"地址：{cfg.address}",
                     f"邮编：{idn.postcode}", f"联系电话：{cfg.phone}",
                     f"政务公开监督电话：{cfg.supervision_phone}", f"网站标识码：{cfg.site_id}"]
        problems += [f"{rel}: 页脚没有「{w}」" for w in want_text if w not in text]
        if "主办单位：青禾区人民政府 " in text + " ":
            problems.append(f"{rel}: 主办单位写成了政府本身")
        icp = links.get("滇ICP备20260001号")
        if icp is None or icp.attrs["href"] != ICP_URL:
            problems.append(f"{rel}: ICP 备案号没有链接到 {ICP_URL}")
        police = links.get("滇公网安备 53990102000001号")
        if police is None or police.attrs["href"] != POLICE_URL + police_digits:
            problems.append(f"{rel}: 公安机关备案号没有链接到备案信息页面")
        elif not [i for i in police.find_all("img") if local(demo_public, i.attrs["src"]).is_file()]:
            problems.append(f"{rel}: 公安机关备案号旁没有备案图标")
        marks = footer.find_all("img", alt="党政机关网站标识")
        if len(marks) != 1 or not local(demo_public, marks[0].attrs["src"]).is_file():
            problems.append(f"{rel}: 页脚没有党政机关网站标识图片")
        elif not footer.find_all("a", href=idn.party_mark_url):
            problems.append(f"{rel}: 党政机关网站标识没有链接")
        for label, href in (("联系我们", "/contact/"), ("网站地图", "/sitemap/"), ("无障碍服务", "/accessibility/"),
                            ("我为政府网站找错", "https://zfwzzc.www.gov.cn/")):
            if label not in links or links[label].attrs["href"] != href:
                problems.append(f"{rel}: 页脚没有「{label}」链接（{href}）")
        if any(a.attrs["href"].endswith("sitemap.xml") for a in footer.find_all("a")):
            problems.append(f"{rel}: 页脚链接了 sitemap.xml")
        bar = doc.one("div", class_="a11y-bar")
        bar_links = bar.links()
        if bar_links.get("无障碍") is None or bar_links["无障碍"].attrs["href"] != "/accessibility/":
            problems.append(f"{rel}: 页头没有「无障碍」入口")
        if bar_links.get("长辈版") is None or bar_links["长辈版"].attrs["href"] != "#elder" or \
                html.attrs.get("id") != "elder":
            problems.append(f"{rel}: 页头没有不用脚本也能用的「长辈版」链接")
        if not bar.find_all("button", **{"data-a11y": "elder"}):
            problems.append(f"{rel}: 页头没有长辈版按钮")
    assert not problems, f"{len(problems)} 处缺少标识：\n" + "\n".join(problems[:40])
    for target in ("contact/index.html", "sitemap/index.html", "accessibility/index.html"):
        assert (demo_public / target).is_file()


def test_contact_page_lists_every_org(demo_public: Path, demo_config) -> None:
    doc = parse(demo_public / "contact" / "index.html")
    main = doc.one("main")
    text = squeeze(main.text)
    idn = demo_config.identity
    for want in (idn.sponsor, idn.operator, idn.postcode, demo_config.address, demo_config.phone,
                 demo_config.supervision_phone, demo_config.site_id):
        assert want in text, want
    cards = {squeeze(li.one("h4").text): li for li in main.find_all("li") if li.find_all("h4")}
    assert set(cards) == {o.name for o in demo_config.orgs}
    for org in demo_config.orgs:
        card = cards[org.name]
        body = squeeze(card.text)
        assert org.address and org.address in body, org.name
        tels = {a.attrs["href"] for a in card.find_all("a") if a.attrs["href"].startswith("tel:")}
        assert tels == {f"tel:{org.phone}", f"tel:{org.supervision_phone}"}, (org.name, tels)
        assert card.one("h4").one("a").attrs["href"] == f"/org/{org.code}/"
    assert main.links()["政府信息公开指南"].attrs["href"] == "/guide/"


def test_sitemap_page_lists_every_column(demo_public: Path, demo_config) -> None:
    doc = parse(demo_public / "sitemap" / "index.html")
    hrefs = {a.attrs["href"] for a in doc.one("main").find_all("a")}
    want = {"/", "/catalog/", "/domain/", "/org/", "/data/", "/search/", "/contact/", "/accessibility/"}
    want |= {f"/stage/{slug}/" for slug in STAGE_SLUGS.values()}
    want |= {f"/{c}/" for c in COLUMNS}
    want |= {f"/org/{o.code}/" for o in demo_config.orgs}
    for sub in ("rules", "annual"):
        subpages = [p for p in (demo_public / sub).glob("*/index.html") if p.parent.name != "page"]
        assert subpages
        want |= {f"/{sub}/{p.parent.name}/" for p in subpages}
    domains = sorted((demo_public / "domain").glob("*/index.html"))
    leaves = sorted((demo_public / "domain").glob("*/*/*/index.html"))
    assert domains and leaves
    for p in [*domains, *(demo_public / "domain").glob("*/*/index.html"), *leaves]:
        rel = p.parent.relative_to(demo_public).as_posix()
        if "/page/" not in f"/{rel}/":
            want.add(f"/{rel}/")
    missing = want - hrefs
    assert not missing, f"网站地图缺少：{sorted(missing)}"
    dead = [h for h in hrefs if h.startswith("/") and not local(demo_public, h).is_file()]
    assert not dead, dead


# -- site.toml --------------------------------------------------------------------------------

def with_site_keys(lines: str) -> str:
    return MINI_TOML.replace("page_size = 2\n", "page_size = 2\n" + lines)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def build(site: Path, out: Path, capsys) -> tuple[int, str]:
    code = run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat())
    return code, capsys.readouterr().err


MARK_CASES = [
    ("missing file", 'party_mark = "layouts/assets/dzjg.png"\n', ["site.party_mark", "找不到党政机关网站标识图片",
                                                                 "layouts/assets/dzjg.png"]),
    ("outside layouts/assets", 'party_mark = "images/dzjg.png"\n', ["不在 layouts/assets/ 中"]),
    ("escapes the site", 'party_mark = "layouts/assets/../../../dzjg.png"\n', ["不是站点目录中的相对路径"]),
    ("not an image", 'party_mark = "layouts/assets/dzjg.txt"\n', ["不是图片文件"]),
    ("police mark missing", 'police_beian = "滇公网安备 53990102000001号"\npolice_mark = "layouts/assets/ga.png"\n',
     ["site.police_mark", "找不到公安机关备案图标图片"]),
]


@pytest.mark.parametrize("name,lines,expected", MARK_CASES, ids=[c[0] for c in MARK_CASES])
def test_configured_mark_image_must_exist(mini_site: Path, tmp_path: Path, capsys, name, lines, expected) -> None:
    text = with_site_keys(lines)
    (mini_site / "site.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "public"
    code, err = build(mini_site, out, capsys)
    assert code == 1, err
    key = "police_mark" if "police_mark" in lines else "party_mark"
    first = [ln for ln in err.splitlines() if ln.startswith("site.toml")]
    assert first and first[0].startswith(f"site.toml:{line_of(text, key + ' =')}:"), err
    for e in expected:
        assert e in err, f"{e!r} not in:\n{err}"
    assert "Traceback" not in err
    assert not out.exists()


def test_marks_in_the_site_assets_are_published(mini_site: Path, tmp_path: Path, capsys) -> None:
    assets = mini_site / "layouts" / "assets" / "marks"
    assets.mkdir(parents=True)
    (assets / "dzjg.png").write_bytes((REPO / "gkpub/theme/layouts/assets/police-mark.svg").read_bytes())
    (assets / "ga.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"/>')
    (mini_site / "site.toml").write_text(with_site_keys(
        'party_mark = "layouts/assets/marks/dzjg.png"\npolice_beian = "京公网安备 11010502000001号"\n'
        'police_mark = "layouts/assets/marks/ga.svg"\nerror_report_url = "https://jiucuo.example.gov.cn/?site={site_id}"\n'
        'icp = "京ICP备2026000001号-2"\n'), encoding="utf-8")
    out = tmp_path / "public"
    code, err = build(mini_site, out, capsys)
    assert code == 0, err
    footer = parse(out / "index.html").one("footer", class_="site-footer")
    assert footer.one("img", alt="党政机关网站标识").attrs["src"] == "/assets/marks/dzjg.png"
    assert (out / "assets/marks/dzjg.png").read_bytes() == (assets / "dzjg.png").read_bytes()
    links = footer.links()
    assert links["京公网安备 11010502000001号"].attrs["href"] == POLICE_URL + "11010502000001"
    assert links["京公网安备 11010502000001号"].one("img").attrs["src"] == "/assets/marks/ga.svg"
    assert links["我为政府网站找错"].attrs["href"] == "https://jiucuo.example.gov.cn/?site=5300000001"
    assert links["京ICP备2026000001号-2"].attrs["href"] == ICP_URL
    # no 承办 or 党政机关 mark link configured: none shown; the 主办 is the government by default
    assert "承办" not in footer.text and not footer.find_all("a", href="")
    assert "主办单位：测试区人民政府" in squeeze(footer.text)


def test_optional_marks_left_out(mini_site: Path, tmp_path: Path, capsys) -> None:
    """The mini site has no ICP, 公安 number or mark: its footer shows none of them, no empty labels."""
    out = tmp_path / "public"
    code, err = build(mini_site, out, capsys)
    assert code == 0, err
    footer = parse(out / "index.html").one("footer", class_="site-footer")
    text = squeeze(footer.text)
    assert "公网安备" not in text and "ICP" not in text and not footer.find_all("img")
    assert "地址：" not in text and "邮编" not in text  # the mini site has neither
    assert footer.links()["我为政府网站找错"].attrs["href"] == "https://zfwzzc.www.gov.cn/"


FORMAT_CASES = [
    ("icp without province", 'icp = "ICP备20260001号"\n', "icp =", ["site.icp", "应写作如「滇ICP备20260001号」"]),
    ("icp short", 'icp = "滇ICP备2026号"\n', "icp =", ["site.icp", "ICP 备案编号"]),
    ("icp unknown province", 'icp = "港ICP备20260001号"\n', "icp =", ["site.icp"]),
    ("police 13 digits", 'police_beian = "滇公网安备 5399010200001号"\n', "police_beian =",
     ["site.police_beian", "14 位数字"]),
    ("police without 号", 'police_beian = "滇公网安备 53990102000001"\n', "police_beian =", ["site.police_beian"]),
    ("postcode 5 digits", 'postcode = "66510"\n', "postcode =", ["site.postcode", "6 位数字"]),
    ("postcode as number", "postcode = 665100\n", "postcode =", ["site.postcode", "6 位数字"]),
    ("mark url", 'party_mark_url = "bszs.conac.cn"\n', "party_mark_url =", ["site.party_mark_url", "网址"]),
    ("report url", 'error_report_url = "zfwzzc.www.gov.cn"\n', "error_report_url =", ["site.error_report_url"]),
    ("misspelt key", 'sponser = "测试区人民政府办公室"\n', "sponser =", ["site.sponser", "是不是「sponsor」"]),
]


@pytest.mark.parametrize("name,lines,needle,expected", FORMAT_CASES, ids=[c[0] for c in FORMAT_CASES])
def test_bad_mark_formats(mini_site: Path, capsys, name, lines, needle, expected) -> None:
    text = with_site_keys(lines)
    (mini_site / "site.toml").write_text(text, encoding="utf-8")
    code = run("check", "--site", str(mini_site), "--today", TODAY.isoformat())
    err = capsys.readouterr().err
    assert code == 1, err
    errs = [ln for ln in err.splitlines() if ln.startswith("site.toml")]
    assert len(errs) == 1 and errs[0].startswith(f"site.toml:{line_of(text, needle)}:"), err
    for e in expected:
        assert e in err, f"{e!r} not in:\n{err}"


# -- in the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(demo_public: Path):
    with serve(demo_public) as base, browser() as b:
        yield base, b


def reading(page) -> dict[str, float]:
    return page.evaluate("""() => { const s = getComputedStyle(document.body);
        return {font: parseFloat(s.fontSize), line: parseFloat(s.lineHeight)}; }""")


@pytest.mark.browser
def test_elder_link_switches_without_javascript(site) -> None:
    base, b = site
    context = b.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for url in ("/", "/contact/", "/catalog/", "/guide/"):
        page.goto(base + url)
        assert "js" not in page.evaluate("document.documentElement.className")
        normal = reading(page)
        assert normal["font"] < 20
        link = page.get_by_role("link", name="长辈版", exact=True)
        assert link.is_visible() and not page.get_by_role("button", name="长辈版").is_visible()
        link.click()
        assert page.url.endswith(url + "#elder")
        elder = reading(page)
        assert elder["font"] >= 20 > normal["font"] and elder["line"] >= 1.5 * elder["font"], (url, elder)
        leave = page.get_by_role("link", name="退出长辈版")
        assert leave.is_visible() and not link.is_visible()
        box = leave.bounding_box()
        assert box and box["height"] >= 47.5 and box["width"] >= 47.5, box  # 长辈版 tap target
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        leave.click()
        assert reading(page)["font"] == normal["font"]
        assert link.is_visible()
    # a plain address with #elder (bookmarked, or linked from elsewhere) opens the 长辈版
    page.goto(base + "/org/#elder")
    assert reading(page)["font"] >= 20
    context.close()


@pytest.mark.browser
def test_elder_address_turns_on_the_remembered_setting_with_javascript(site) -> None:
    base, b = site
    context = b.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + "/contact/#elder")
    assert "elder" in page.evaluate("document.documentElement.className").split()
    assert not page.get_by_role("link", name="长辈版", exact=True).is_visible()  # the button instead
    page.get_by_role("link", name="网站地图").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/sitemap/") and reading(page)["font"] >= 20  # remembered
    page.get_by_role("button", name="退出长辈版").click()
    assert reading(page)["font"] < 20
    page.goto(base + "/accessibility/")
    page.get_by_role("link", name="本页的长辈版").click()  # a link to #elder within the page
    assert "elder" in page.evaluate("document.documentElement.className").split()
    assert page.get_by_role("button", name="退出长辈版").is_visible()
    context.close()


@pytest.mark.browser
def test_new_pages_pass_axe(site) -> None:
    base, b = site
    source = axe_source()
    found: list[str] = []
    for width in (1280, 360):
        context = b.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for url in ("/contact/", "/sitemap/", "/accessibility/"):
            page.goto(base + url)
            violations = run_axe(page, source)
            if violations:
                found.append(f"{url} @ {width}px:\n{describe(violations)}")
            if page.evaluate("document.scrollingElement.scrollWidth") > width:
                found.append(f"{url} @ {width}px: 横向滚动")
        context.close()
    # the no-JavaScript 长辈版, where the header shows links instead of buttons: the page's own
    # scripts blocked (axe itself needs timers, which a context without JavaScript does not run)
    context = b.new_context(viewport=PHONE)
    page = context.new_page()
    page.route(re.compile(r".*/assets/a11y(-early)?\.js$"), lambda route: route.abort())
    for url in ("/#elder", "/contact/#elder"):
        page.goto(base + url)
        assert page.evaluate("document.documentElement.className") == ""
        assert reading(page)["font"] >= 20 and page.get_by_role("link", name="退出长辈版").is_visible()
        violations = run_axe(page, source)
        if violations:
            found.append(f"{url}（无脚本长辈版）:\n{describe(violations)}")
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_footer_fits_a_phone(site, tmp_path: Path) -> None:
    """The footer at 360px: nothing wider than the screen, the mark images loaded."""
    base, b = site
    for width in (1280, 360):
        context = b.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(base + "/")
        footer = page.locator("footer")
        footer.screenshot(path=str(tmp_path / f"footer-{width}.png"))
        widths = page.evaluate("""() => [...document.querySelectorAll('footer *')]
            .map(e => e.getBoundingClientRect().right)""")
        assert max(widths) <= width + 0.5, (width, max(widths))
        loaded = page.evaluate("""() => [...document.querySelectorAll('footer img')]
            .map(i => [i.getAttribute('alt'), i.complete && i.naturalWidth > 0])""")
        assert len(loaded) == 2 and all(ok for _, ok in loaded), loaded
        context.close()
