"""依申请公开 a resident can use (issue 12, item 3): receiving offices, the 申请表 PDF, the 指南.

条例 第十二条: the 指南 gives the receiving office's name, address, office hours, phone, fax and
internet contact; 第二十九条: what an application contains. Every org page says who receives
for it; the two 申请表 versions are printable A4 PDFs the 指南 links, present in the output.
"""
from __future__ import annotations

import html
import re
from collections import OrderedDict
from pathlib import Path

import pytest
from conftest import MINI_TOML, REPO, TODAY, run
from pdfcheck import assert_cjk_fonts_embedded, assert_paper, page_texts

from gkpub.content.config import Org, SiteConfig
from gkpub.content.forms import FORMS
from gkpub.content.loader import load_site
from gkpub.outputs.print import fonts, form

pytestmark = pytest.mark.pdf  # renders and reads PDF files (WeasyPrint, poppler, CJK fonts)

OFFICE = """\
office = "测试区人民政府办公室"
office_address = "测试市测试区政和路1号"
office_hours = "工作日 9:00—17:00"
office_postcode = "650000"
office_phone = "0871-60000010"
office_fax = "0871-60000011"
office_email = "zwgk@test.example.gov.cn"
office_url = "https://ysq.test.example.gov.cn/"
"""
GOV_ANCHOR = 'kind = "区政府"\n'


def with_office(toml: str, office: str = OFFICE) -> str:
    """The mini site with ``office`` in the government's [[org]]."""
    assert toml.count(GOV_ANCHOR) == 1
    return toml.replace(GOV_ANCHOR, GOV_ANCHOR + office)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- site.toml: bad office values are site.toml:LINE errors ---------------------------------

BAD = [
    # (name, replace this in OFFICE, with this, the line to report, fragments)
    ("email", 'office_email = "zwgk@test.example.gov.cn"', 'office_email = "zwgk at test.gov.cn"',
     "office_email", ["org[1].office_email", "不是电子邮箱地址"]),
    ("email without domain dot", 'office_email = "zwgk@test.example.gov.cn"', 'office_email = "zwgk@localhost"',
     "office_email", ["org[1].office_email", "不是电子邮箱地址"]),
    ("postcode five digits", 'office_postcode = "650000"', 'office_postcode = "65000"',
     "office_postcode", ["org[1].office_postcode", "不是邮政编码", "6 位数字"]),
    ("postcode as a number", 'office_postcode = "650000"', "office_postcode = 650000",
     "office_postcode", ["org[1].office_postcode", "6 位数字", "英文双引号"]),
    ("url", 'office_url = "https://ysq.test.example.gov.cn/"', 'office_url = "ysq.test.example.gov.cn"',
     "office_url", ["org[1].office_url", "http:// 或 https://"]),
    ("url ftp", 'office_url = "https://ysq.test.example.gov.cn/"', 'office_url = "ftp://ysq.test.gov.cn/"',
     "office_url", ["org[1].office_url", "http:// 或 https://"]),
    ("no name", 'office = "测试区人民政府办公室"\n', "",
     "office_address", ["org[1].office", "缺少受理机构名称"]),
    ("no phone", 'office_phone = "0871-60000010"\n', "",
     'office = "', ["org[1].office_phone", "缺少 office_phone（联系电话）", "第十二条"]),
    ("misspelt key", 'office_fax = "0871-60000011"', 'office_facs = "0871-60000011"',
     "office_facs", ["org[1].office_facs", "未知的配置项", "是不是「office_fax」"]),
]


@pytest.mark.parametrize("name,old,new,needle,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_office_values_are_site_toml_line_errors(mini_site: Path, capsys, name, old, new,
                                                     needle, expected) -> None:
    assert OFFICE.count(old) == 1
    text = with_office(MINI_TOML, OFFICE.replace(old, new))
    (mini_site / "site.toml").write_text(text, encoding="utf-8")
    code = run("check", "--site", str(mini_site), "--today", "2026-11-23")
    err = capsys.readouterr().err
    assert code == 1, err
    line = line_of(text, needle)
    assert f"site.toml:{line}: " in err, err
    for fragment in expected:
        assert fragment in err, (fragment, err)


def test_good_office_loads_and_the_government_receives_for_the_rest(mini_site: Path) -> None:
    from gkpub.content.config import load_config
    from gkpub.util.errors import ErrorList

    (mini_site / "site.toml").write_text(with_office(MINI_TOML), encoding="utf-8")
    errors = ErrorList()
    cfg = load_config(mini_site, errors)
    assert cfg is not None and not errors, errors.report()
    gov, dept = cfg.orgs
    assert gov.office is not None and gov.office.postcode == "650000"
    assert gov.office.url == "https://ysq.test.example.gov.cn/"
    assert dept.office is None
    assert cfg.receiver(dept) is gov and cfg.receiver(gov) is gov
    assert cfg.receiving_orgs == [gov] and cfg.received_by_government == [dept]


# -- the 申请表 PDFs ---------------------------------------------------------------------------

# 条例 第二十九条, in the words the form prints (whitespace ignored)
ARTICLE_29 = {
    "ziranren": ["申请人姓名", "身份证明", "联系方式",
                 "所需政府信息的名称", "文号", "便于查询的其他特征性描述",
                 "形式要求", "信息的提供形式", "获取信息的方式、途径"],
    "faren": ["申请人名称", "身份证明", "联系方式",
              "所需政府信息的名称", "文号", "便于查询的其他特征性描述",
              "形式要求", "信息的提供形式", "获取信息的方式、途径"],
}
PRACTICAL = {
    "ziranren": ["证件名称", "证件号码", "居民身份证", "工作单位"],
    "faren": ["统一社会信用代码", "法定代表人或负责人", "联系人姓名", "营业执照"],
}
BOTH = ["通信地址", "邮政编码", "联系电话", "电子邮箱", "传真", "申请时间", "申请人签名或盖章",
        "受理机关", "邮寄", "电子邮件", "当面领取", "纸质文本", "电子文档", "以下由受理机关填写", "填表说明"]


@pytest.fixture(scope="module")
def demo_cfg() -> SiteConfig:
    return load_site(REPO, TODAY).config


def text(page: str) -> str:
    """A page's visible text, tags dropped and whitespace removed, entities decoded."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("kind", [f.kind for f in FORMS])
def test_form_pdf_has_every_article_29_field_on_one_a4_page(demo_public: Path, demo_cfg: SiteConfig,
                                                           kind: str) -> None:
    spec = next(f for f in FORMS if f.kind == kind)
    pdf = demo_public / spec.path
    assert pdf.is_file(), f"{spec.path} is not in the output"
    pages = page_texts(pdf)
    assert len(pages) == 1, f"{spec.path}: {len(pages)} pages; the form must fit on one A4 sheet"
    assert_paper(pdf, 210, 297)
    assert_cjk_fonts_embedded(pdf)
    page = pages[0]
    assert f"政府信息公开申请表（{spec.applicant}）" in page
    missing = [f for f in ARTICLE_29[kind] + PRACTICAL[kind] + BOTH if f not in page]
    assert not missing, f"{spec.path} lacks {missing}"
    other = "faren" if kind == "ziranren" else "ziranren"
    assert not [f for f in PRACTICAL[other] if f in page], "the two versions are not the same form"
    # where to hand it in: the government's office, and the 指南 for the others
    gov = demo_cfg.government_org
    assert gov is not None and gov.office is not None
    for value in (gov.office.name, gov.office.address, gov.office.phone, gov.office.fax, gov.office.email,
                  gov.office.postcode, gov.office.url, demo_cfg.url("guide/")):
        assert value.replace(" ", "") in page, value


def test_form_metadata_is_fixed_and_dateless(demo_public: Path) -> None:
    import pypdf

    for spec in FORMS:
        meta = pypdf.PdfReader(demo_public / spec.path).metadata
        assert meta is not None and meta.title == spec.title
        assert "/CreationDate" not in meta and "/ModDate" not in meta, \
            "a blank form carries no date: its bytes must not change from one day to the next"


# -- the 指南 and the org pages ----------------------------------------------------------------

def test_guide_links_both_forms_and_every_link_is_in_the_output(demo_public: Path) -> None:
    page = (demo_public / "guide" / "index.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="([^"]+\.pdf)"', page))
    for spec in FORMS:
        assert f"/{spec.path}" in hrefs, (spec.path, hrefs)
        assert spec.title in text(page)
    for href in hrefs:
        assert (demo_public / href.lstrip("/")).is_file(), f"dead link {href}"


def office_values(org: Org) -> list[str]:
    o = org.office
    assert o is not None
    return [o.name, o.address, o.hours, o.postcode, o.phone, o.fax, o.email, o.url]


def test_guide_shows_every_receiving_office_with_the_article_12_contacts(demo_public: Path,
                                                                         demo_cfg: SiteConfig) -> None:
    page = text((demo_public / "guide" / "index.html").read_text(encoding="utf-8"))
    receiving = demo_cfg.receiving_orgs
    assert len(receiving) >= 6 and receiving[0].name == demo_cfg.government
    for org in receiving:
        for value in office_values(org):
            assert value.replace(" ", "") in page, (org.name, value)
    # 第十二条: name, address, office hours, phone, fax and internet contact, each labelled
    for label in ("受理机构", "办公地址", "办公时间", "邮政编码", "联系电话", "传真", "电子邮箱", "在线申请"):
        assert label in page
    # the bodies without an office of their own are named, with who receives for them
    others = demo_cfg.received_by_government
    assert len(others) >= 3
    gov_office = demo_cfg.government_org.office  # type: ignore[union-attr]
    sentence = re.search(r"下列机关未单独设立受理机构，其政府信息公开申请由(.+?)统一受理：(.+?)。", page)
    assert sentence and sentence.group(1) == gov_office.name
    assert sentence.group(2).split("、") == [o.name for o in others]
    assert "见各部门页面" not in page


def test_every_org_page_shows_who_receives_its_requests(demo_public: Path, demo_cfg: SiteConfig) -> None:
    own = fallback = 0
    for org in demo_cfg.orgs:
        page = text((demo_public / "org" / org.code / "index.html").read_text(encoding="utf-8"))
        receiver = demo_cfg.receiver(org)
        assert receiver is not None
        for value in office_values(receiver):
            assert value.replace(" ", "") in page, (org.name, value)
        if receiver is org:
            own += 1
            assert "统一受理" not in page
        else:
            fallback += 1
            assert f"本机关未单独设立受理机构，向本机关申请获取政府信息的，由{receiver.office.name}统一受理" in page  # type: ignore[union-attr]
        assert "政府信息公开指南" in page
    assert own >= 4 and fallback >= 3


# -- builds of a small site: cache, font check, no office at all ---------------------------------

GUIDE = "---\n标题: 政府信息公开指南\n发布日期: 2026-03-01\n---\n本指南说明如何申请政府信息公开。\n"


def add_guide(site: Path) -> None:
    path = site / "content" / "pages" / "guide.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GUIDE, encoding="utf-8")


@pytest.fixture
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """No forms remembered from other tests in this process: the build must use its cache or render."""
    monkeypatch.setattr(form, "_MEMO", OrderedDict())


def build(site: Path, out: Path, *more: str) -> int:
    return run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat(), "--no-search", *more)


def test_forms_are_cached_by_their_inputs_and_follow_site_toml(mini_site: Path, tmp_path: Path,
                                                               fresh_memo: None) -> None:
    toml = mini_site / "site.toml"
    toml.write_text(with_office(MINI_TOML), encoding="utf-8")
    add_guide(mini_site)
    out = tmp_path / "public"
    cache = mini_site / ".cache" / "gkpub" / form.CACHE_SUBDIR
    assert build(mini_site, out) == 0
    first = {f.path: (out / f.path).read_bytes() for f in FORMS}
    cached = sorted(cache.glob("*.pdf"))
    assert len(cached) == 2 and {p.read_bytes() for p in cached} == set(first.values())
    assert all("0871-60000010" in page_texts(out / f.path)[0] for f in FORMS)

    # unchanged inputs: the cached bytes, and a clean build without the cache gives the same bytes
    form._MEMO.clear()
    assert build(mini_site, out) == 0
    assert {f.path: (out / f.path).read_bytes() for f in FORMS} == first
    clean = tmp_path / "clean"
    form._MEMO.clear()
    assert build(mini_site, clean, "--cache", str(tmp_path / "other-cache")) == 0
    assert {f.path: (clean / f.path).read_bytes() for f in FORMS} == first

    # a new phone number in site.toml is on the new forms
    toml.write_text(with_office(MINI_TOML).replace("0871-60000010", "0871-60000099"), encoding="utf-8")
    assert build(mini_site, out) == 0
    assert all("0871-60000099" in page_texts(out / f.path)[0] for f in FORMS)
    assert len(list(cache.glob("*.pdf"))) == 4


def test_no_cjk_font_stops_a_build_that_must_render_the_forms(mini_site: Path, tmp_path: Path, capsys,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              fresh_memo: None) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: "")
    add_guide(mini_site)
    out = tmp_path / "public"
    assert build(mini_site, out) == 2
    err = capsys.readouterr().err
    assert "申请表" in err and "没有中文字体" in err and "fonts-noto-cjk" in err
    assert not out.exists() or not any(out.iterdir()), "nothing is published without its forms"


def test_a_site_without_a_guide_builds_without_fonts(mini_site: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, fresh_memo: None) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: "")
    out = tmp_path / "public"
    assert build(mini_site, out) == 0
    assert not list(out.rglob("*.pdf"))


def test_without_any_office_the_pages_say_so(mini_site: Path, tmp_path: Path, fresh_memo: None) -> None:
    add_guide(mini_site)
    out = tmp_path / "public"
    assert build(mini_site, out) == 0
    guide = text((out / "guide" / "index.html").read_text(encoding="utf-8"))
    assert "受理机构的联系方式尚未在本网站公布" in guide
    assert all((out / f.path).is_file() for f in FORMS)
    org = text((out / "org" / "11530000MB00000025" / "index.html").read_text(encoding="utf-8"))
    assert "本机关的政府信息公开受理机构尚未在本网站公布" in org
