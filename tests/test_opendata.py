"""Open data, feeds, sitemap and robots.txt: valid, complete, deterministic, and never a held-back item."""
from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, TODAY, run

from gkpub.content.catalog_table import COLUMNS
from gkpub.content.loader import load_site
from gkpub.content.model import Site

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
STANDARD_ORDER = ["序号", "一级事项(领域)", "二级事项", "三级事项(公开内容)", "公开内容(要素)", "过程", "事项类型",
                  "事项编码", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式",
                  "公开层级", "公开格式"]
BASE = "https://www.qinghe.example.gov.cn/"


@pytest.fixture(scope="module")
def demo_site() -> Site:
    return load_site(REPO, TODAY)


def feed_files(public: Path) -> list[Path]:
    return [public / "feed.xml", *sorted(public.glob("stage/*/feed.xml")), *sorted(public.glob("domain/*/feed.xml"))]


def test_feeds_are_atom_with_entries_from_the_portal(demo_public: Path, demo_site: Site) -> None:
    feeds = feed_files(demo_public)
    assert len(feeds) == 1 + 5 + len(demo_site.catalog.domains)
    urls = {BASE + i.url.lstrip("/") for i in demo_site.published}
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) <= 50
        for e in entries:
            assert e.find(f"{ATOM}link").get("href") in urls
            assert e.find(f"{ATOM}updated").text.endswith("T00:00:00+08:00")
        if entries:  # updated = the newest entry, never the build time
            assert root.find(f"{ATOM}updated").text == entries[0].find(f"{ATOM}updated").text
    site_feed = ET.parse(demo_public / "feed.xml").getroot()
    newest = demo_site.published[0]
    assert site_feed.find(f"{ATOM}entry/{ATOM}title").text == newest.title
    assert len(site_feed.findall(f"{ATOM}entry")) == min(50, len(demo_site.published))


def test_sitemap_lists_portal_pages_only(demo_public: Path, demo_site: Site) -> None:
    root = ET.parse(demo_public / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    locs = {u.find(f"{SM}loc").text: u.find(f"{SM}lastmod") for u in root.findall(f"{SM}url")}
    assert all(loc.startswith(BASE) for loc in locs)
    assert BASE in locs and BASE + "data/" in locs and BASE + "catalog/" in locs
    assert not [loc for loc in locs if "_report" in loc or loc.endswith("404.html")]
    for item in demo_site.published:
        lastmod = locs[BASE + item.url.lstrip("/")]
        assert lastmod is not None and lastmod.text == item.published.isoformat()
    robots = (demo_public / "robots.txt").read_text(encoding="utf-8")
    assert "_report" not in robots and "Disallow:\n" in robots and f"Sitemap: {BASE}sitemap.xml" in robots


def test_no_held_back_item_anywhere_in_data_feeds_or_sitemap(demo_public: Path, demo_site: Site) -> None:
    published = {id(i) for i in demo_site.published}
    held = [i for i in demo_site.items if id(i) not in published]
    assert {i.attribute for i in held} >= {"依申请公开", "不予公开"}
    texts = {p: p.read_text(encoding="utf-8") for p in
             [*feed_files(demo_public), demo_public / "sitemap.xml", *(demo_public / "data").glob("*.json"),
              demo_public / "data" / "catalog.csv", demo_public / "data" / "index.html"]}
    for item in held:
        for path, text in texts.items():
            assert item.title not in text, (item.source, path)
            assert item.index_no not in text, (item.source, path)


def test_items_json_is_the_published_items(demo_public: Path, demo_site: Site) -> None:
    data = json.loads((demo_public / "data" / "items.json").read_text(encoding="utf-8"))
    records = data["信息"]
    assert [r["索引号"] for r in records] == [i.index_no for i in demo_site.published]
    first, item = records[0], demo_site.published[0]
    assert first["标题"] == item.title and first["发布日期"] == item.published.isoformat()
    assert first["网址"] == BASE + item.url.lstrip("/") and first["公开主体"] == item.org.name
    assert "草稿" not in first


def test_catalog_csv_xlsx_json_in_the_standard_order(demo_public: Path, demo_site: Site) -> None:
    raw = (demo_public / "data" / "catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:16] == STANDARD_ORDER and rows[0] == list(COLUMNS)
    assert len(rows) - 1 == len(demo_site.catalog.leaves)
    ws = openpyxl.load_workbook(demo_public / "data" / "catalog.xlsx").active
    sheet = [[c or "" for c in row] for row in ws.iter_rows(values_only=True)]
    assert sheet[0][:16] == STANDARD_ORDER
    assert [[str(c) for c in r] for r in sheet[1:]] == rows[1:]
    leaf = demo_site.catalog.leaves[0]
    assert rows[1][1:4] == [leaf.domain.name, leaf.matter.name, leaf.name]
    cat = json.loads((demo_public / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert [d["领域"] for d in cat["标准目录"]] == [d.name for d in demo_site.catalog.domains]


def test_data_page_and_footer_links(demo_public: Path) -> None:
    page = (demo_public / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("catalog.xlsx", "catalog.csv", "catalog.json", "items.json", "feed.xml", "sitemap.xml"):
        assert name in page
    home = (demo_public / "index.html").read_text(encoding="utf-8")
    assert 'href="/data/"' in home and 'type="application/atom+xml"' in home
    assert "_report" not in home


def test_open_data_bytes_are_identical_across_builds(tmp_path: Path) -> None:
    outs = []
    for n in range(2):
        out = tmp_path / f"public{n}"
        assert run("build", "--site", str(REPO), "--out", str(out), "--today", TODAY.isoformat(), "--no-search") == 0
        outs.append(out)
        if n == 0:
            time.sleep(2.1)  # zip headers have a 2-second clock: a timestamp would show
    names = ["data/catalog.xlsx", "data/catalog.csv", "data/catalog.json", "data/items.json", "data/index.html",
             "feed.xml", "stage/juece/feed.xml", "sitemap.xml", "robots.txt"]
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    for a in outs[0].glob("domain/*/feed.xml"):
        assert a.read_bytes() == (outs[1] / a.relative_to(outs[0])).read_bytes()
