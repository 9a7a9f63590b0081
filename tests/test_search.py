"""Search, end to end: the demo built with its Pagefind index, served on 127.0.0.1, and
/search/ driven in headless Chromium. Missing Chromium or Pagefind fails, never skips."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import browser, serve
from conftest import REPO, TODAY, item_text, run, write_item
from search_support import SearchPage, expected, fragments, held_back_items, item_texts, watch_errors

from gkpub.content.schema import STAGES

DOC_NO = "青民发〔2026〕15号"



@pytest.fixture(scope="module")
def search(demo_public: Path):
    with serve(demo_public) as base, browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 900})
        errors = watch_errors(page, base)
        sp = SearchPage(page, base)
        sp.errors = errors  # type: ignore[attr-defined]
        yield sp


# ---------------------------------------------------------------- the index itself

def test_index_holds_every_item_page_fixed_pages_and_nothing_else(demo_public: Path) -> None:
    manifest = json.loads((demo_public / "pagefind" / "gkpub-search.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 4 and manifest["tokenizer"] == "gkpub-bigram-2"
    assert manifest["bundles"][0] == "/pagefind/" and all(b.startswith("/pagefind/s") for b in manifest["bundles"][1:])
    for b in manifest["bundles"]:
        assert (demo_public / b.strip("/") / "pagefind-entry.json").is_file(), b
    records = fragments(demo_public)
    items = item_texts(demo_public)
    urls = sorted(r["url"] for r in records)
    fixed = ["/contact/", "/guide/", "/search/"]  # /search/: the runtime bundle's placeholder
    assert sorted(u for u in urls if u.startswith("/xxgk/")) == sorted(items)
    assert set(fixed) <= set(urls) and all(u.startswith(("/xxgk/", "/rules/", "/annual/")) or u in fixed for u in urls)
    one = next(r for r in records if r["filters"].get("文号") == [DOC_NO])
    assert one["filters"]["过程"] == ["决策"] and one["meta"]["docno"] == DOC_NO
    assert set(one["filters"]) >= {"过程", "领域", "公开主体", "发布年份", "有效性", "索引号", "文号", "类型",
                                   "文件类型", "有无文号"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", one["meta"]["date"])
    assert "索引号" not in one["meta"]["text"] and "监督电话" not in one["meta"]["text"]  # metadata labels, footer
    assert one["content"] == ""  # the token string is emptied from fragments: the page never reads it


def test_only_the_runtime_the_page_uses_is_shipped(demo_public: Path) -> None:
    names = {p.relative_to(demo_public / "pagefind").as_posix() for p in (demo_public / "pagefind").rglob("*")
             if p.is_file()}
    assert {"pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind"} <= names
    assert not [n for n in names if "-ui" in n or "highlight" in n]
    assert not [n for n in names if "/" in n and n.rsplit("/", 1)[1] in ("pagefind.js", "pagefind-worker.js")]


def test_held_back_items_are_not_in_the_index(demo_public: Path) -> None:
    held = held_back_items(REPO)
    assert {h["公开属性"] for h in held} == {"不予公开", "依申请公开"}
    blob = json.dumps(fragments(demo_public), ensure_ascii=False).replace("\u200b", "")
    for h in held:
        assert h["标题"] not in blob
        assert h["索引号"] not in blob


# ---------------------------------------------------------------- queries in the browser

def test_two_characters_find_every_page_with_them_first(search: SearchPage, demo_public: Path) -> None:
    search.open()
    search.type("低保")
    assert "q=低保" in search.url()
    hits = search.hits()
    want = expected(demo_public, "低保")
    assert len(want) >= 10
    phrase = [h["url"] for h in hits if h["match"] == "exact"]
    assert want <= set(phrase)  # every page that has 低保 in its title or text, before the rest
    assert [h["match"] for h in hits[: len(phrase)]] == ["exact"] * len(phrase)
    assert all(h["data_url"] == h["url"] for h in hits)
    assert f"找到 {len(phrase)} 条" in search.status() and search.counts() == (len(hits), len(phrase))
    items = [h for h in hits if h["url"].startswith("/xxgk/")]
    assert items and all(h["title"] and h["stage"] and h["date"] and "发布机构" in h["meta"] for h in items)
    assert any("低" in "".join(h["marks"]) for h in hits[:5])  # highlighted excerpts


def test_four_character_term_inside_a_sentence(search: SearchPage, demo_public: Path) -> None:
    search.type("高龄津贴")
    hits = search.hits()
    want = expected(demo_public, "高龄津贴")
    assert want <= {h["url"] for h in hits if h["match"] == "exact"}
    inside = [h for h in hits if "高龄津贴" not in h["title"]]
    assert inside, "a page that has 高龄津贴 only in its text is found"


def test_document_number_finds_its_document_first(search: SearchPage, demo_public: Path) -> None:
    for typed in (DOC_NO, "青民发[2026]15号"):
        search.type(typed)
        hits = search.hits()
        assert hits[0]["group"] == "id" and f"文号：{DOC_NO}" in hits[0]["meta"], typed
        assert [h for h in hits if h["group"] == "id"] == hits[:1]
        # the rest only mention it in their text (the policy interpretation), none merely share digits
        for h in hits[1:]:
            assert DOC_NO in item_texts(demo_public)[h["url"]]
    # without the issuer's 代字: every document of that year and number (the demo has 青民发 and 青政发)
    search.type("〔2026〕15号")
    ids = [h for h in search.hits() if h["group"] == "id"]
    assert len(ids) >= 2 and any(f"文号：{DOC_NO}" in h["meta"] for h in ids)
    assert all(re.search(r"文号：\S+〔2026〕15号", h["meta"]) for h in ids)
    search.type("青民发〔2026〕999号")
    assert search.hits() == [] and "没有找到文号" in search.status()


def test_index_number_finds_its_page(search: SearchPage, demo_public: Path) -> None:
    record = next(r for r in fragments(demo_public) if r["filters"].get("文号") == [DOC_NO])
    index_no = record["filters"]["索引号"][0]
    search.type(index_no)
    hits = search.hits()
    assert [h["url"] for h in hits] == [record["url"]]


def test_stage_filter_removes_other_stages(search: SearchPage) -> None:
    search.open("低保")
    everything = search.hits()
    stages = {h["stage"] for h in everything}
    assert "结果" in stages and len(stages) > 1
    search.choose("#search-stages input[value='结果']")
    assert "过程=结果" in search.url()
    hits = search.hits()
    assert hits and {h["stage"] for h in hits} == {"结果"}
    assert len(hits) == sum(1 for h in everything if h["stage"] == "结果")
    assert f"结果（{len(hits)}）" in re.sub(r"\s+", "", search.page.inner_text("#search-stages"))
    search.page.reload()  # the address keeps the choice
    search.wait()
    assert {h["stage"] for h in search.hits()} == {"结果"}
    search.choose("#search-stages input[value='']")
    assert len(search.hits()) == len(everything)


def test_other_filters_narrow_the_results(search: SearchPage) -> None:
    search.open("补贴")
    everything = search.hits()
    search.page.locator("#search-filters").evaluate("d => d.open = true")
    search.choose("input[name='领域'][value='养老服务']")
    some = search.hits()
    assert 0 < len(some) < len(everything)
    assert "领域=养老服务" in search.url()


def test_sorted_by_date_newest_first_or_by_relevance(search: SearchPage) -> None:
    search.open("q=补贴&sort=date")
    hits = search.hits()
    assert len(hits) > 5
    for group in {h["group"] for h in hits}:
        dates = [h["date"] for h in hits if h["group"] == group]
        assert dates == sorted(dates, reverse=True)
    search.choose(".search-sort input[value='']")
    assert "sort=" not in search.url()
    by_relevance = search.hits()
    assert {h["url"] for h in by_relevance} == {h["url"] for h in hits}
    assert [h["url"] for h in by_relevance] != [h["url"] for h in hits]


def test_held_back_titles_and_index_numbers_find_nothing(search: SearchPage) -> None:
    for h in held_back_items(REPO):
        for typed in (h["标题"], h["索引号"]):
            search.type(typed)
            assert search.hits() == [], typed
            assert "没有找到" in search.status()


def test_empty_query_gives_a_hint_not_an_error(search: SearchPage) -> None:
    for query in ("", "q=", "q=%20%20"):
        search.open(query)
        assert search.hits() == []
        assert "请在上面的输入框中输入" in search.status()
        assert search.message() == ""
        assert search.page.locator("#search-hint").is_visible()


def test_header_search_box_leads_to_the_search_page(search: SearchPage) -> None:
    search.page.goto(search.base + "/")
    search.page.fill("#q", "就业")
    search.page.press("#q", "Enter")
    search.wait()
    assert search.url().endswith("/search/?q=就业")
    assert search.page.input_value("#search-q") == "就业" and search.hits(everything=False)


def test_keyboard_only(search: SearchPage) -> None:
    search.open()
    page = search.page
    page.focus("#search-q")
    page.keyboard.type("补贴")
    search._arm()
    page.keyboard.press("Enter")
    search.wait()
    everything = len(search.hits(everything=False))
    page.focus("#search-stages input[value='']")
    search._arm()
    page.keyboard.press("ArrowRight")  # a radio group: the arrow keys choose
    search.wait()
    assert "过程=决策" in search.url()
    assert {h["stage"] for h in search.hits()} == {"决策"}
    assert everything


def test_results_page_passes_axe_and_fits_a_phone(search: SearchPage) -> None:
    from a11y_support import axe_source, run_axe
    page = search.page
    search.open("低保")
    page.locator("#search-filters").evaluate("d => d.open = true")
    violations = run_axe(page, axe_source())
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    page.set_viewport_size({"width": 360, "height": 800})
    try:
        search.open("低保")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_no_script_errors(search: SearchPage) -> None:
    assert search.errors == []


# ---------------------------------------------------------------- builds

def test_missing_pagefind_is_a_clear_error(mini_site: Path, monkeypatch, capsys) -> None:
    import gkpub.outputs.search.pagefind as gs
    monkeypatch.setattr(gs, "candidates", lambda site_dir=None, engine_dir=gs.ENGINE_ROOT: [])
    assert run("build", "--site", str(mini_site), "--today", TODAY.isoformat()) == 2
    err = capsys.readouterr().err
    assert "Pagefind" in err and "npm install pagefind" in err and "GKPUB_PAGEFIND" in err and "--no-search" in err
    assert not (mini_site / "public").exists()
    assert run("build", "--site", str(mini_site), "--today", TODAY.isoformat(), "--no-search") == 0


def test_incremental_builds_keep_the_index_true(mini_site: Path) -> None:
    def build(*extra: str) -> None:
        assert run("build", "--site", str(mini_site), "--today", TODAY.isoformat(), *extra) == 0

    public = mini_site / "public"
    secret = "西岭村内部审核意见"
    write_item(mini_site, "second.md",
               item_text(标题="关于发放第二批高龄津贴的通知", 索引号="11530000MB00000025/2026-00002"))
    build()
    assert len(fragments(public, items_only=True)) == 2
    before = sorted(p.name for p in (public / "pagefind").rglob("*"))
    # withdrawn: the page goes, and so does its index record, in the same build
    write_item(mini_site, "second.md", item_text(标题=secret, 索引号="11530000MB00000025/2026-00002",
                                                 公开属性="不予公开"))
    build()
    records = fragments(public, items_only=True)
    assert [r["meta"]["title"] for r in records] == ["关于调整高龄津贴标准的通知"]
    assert secret not in json.dumps(records, ensure_ascii=False)
    assert sorted(p.name for p in (public / "pagefind").rglob("*")) != before
    assert not list(mini_site.glob(".public.pagefind-*"))  # the temporary index is gone
    # the same bytes as a full build
    full = mini_site.parent / "full"
    assert run("build", "--site", str(mini_site), "--out", str(full), "--today", TODAY.isoformat(), "--clean") == 0
    assert _tree(public / "pagefind") == _tree(full / "pagefind")
    # a build without search that changes pages drops the index rather than leave it stale
    write_item(mini_site, "third.md", item_text(标题="第三篇", 索引号="11530000MB00000025/2026-00003"))
    build("--no-search")
    assert not (public / "pagefind").exists()
    build()
    assert len(fragments(public, items_only=True)) == 2


def test_staged_shards_go_in_at_update_and_leave_nothing_when_the_build_stops(mini_site: Path, monkeypatch) -> None:
    """An edit's stale shards are written by real Pagefind beside the output while the build goes
    on (shards.Staged): the live index is untouched until update() swaps them in, and a build that
    stops first leaves no working folder."""
    from gkpub.content.loader import load_site
    from gkpub.outputs.search import shards
    from gkpub.outputs.search.pagefind import SearchIndexFailed

    public = mini_site / "public"
    assert run("build", "--site", str(mini_site), "--today", TODAY.isoformat(), "-q") == 0
    live = _tree(public / "pagefind")
    write_item(mini_site, "second.md",
               item_text(标题="关于发放第三批高龄津贴的通知", 索引号="11530000MB00000025/2026-00002"))
    site = load_site(mini_site, TODAY)
    plan = shards.plan(site, public)
    assert not plan.whole and len(plan.stale) == 1
    staged = shards.stage(plan, public)
    assert staged is not None
    staged.wait()
    assert (staged.tmp / plan.stale[0] / shards.SUMMARY).is_file()
    assert _tree(public / "pagefind") == live  # written beside, nothing live yet
    staged.discard()  # the build stopped (an error after the pages): no folder left
    assert not list(mini_site.glob(".public.pagefind-*"))
    assert _tree(public / "pagefind") == live
    staged = shards.stage(plan, public)
    shards.update(plan, public, staged)
    assert not list(mini_site.glob(".public.pagefind-*"))
    assert "第三批" in json.dumps(fragments(public, items_only=True), ensure_ascii=False)
    assert shards.stage(shards.plan(site, public), public) is None  # nothing stale now
    # Pagefind dies while it writes: a clear error, and still nothing left beside the output
    write_item(mini_site, "second.md",
               item_text(标题="关于发放第四批高龄津贴的通知", 索引号="11530000MB00000025/2026-00002"))
    site = load_site(mini_site, TODAY)
    plan = shards.plan(site, public)
    write_shard = shards._write_shard

    def killed_first(svc, *args):  # type: ignore[no-untyped-def]
        svc.proc.kill()  # the real Pagefind, stopped as an out-of-memory kill would
        svc.proc.wait()
        return write_shard(svc, *args)
    monkeypatch.setattr(shards, "_write_shard", killed_first)
    staged = shards.stage(plan, public)
    assert staged is not None
    live = _tree(public / "pagefind")
    with pytest.raises(SearchIndexFailed, match="生成检索索引失败（Pagefind）"):
        shards.update(plan, public, staged)
    assert not list(mini_site.glob(".public.pagefind-*")) and _tree(public / "pagefind") == live


def test_an_edit_rebuilds_one_shard_and_the_directory_matches_a_clean_build(tmp_path: Path, monkeypatch,
                                                                          search: SearchPage) -> None:
    """Shards by 领域 and year (split by URL hash when large) and the word directory: one edited
    item re-indexes its shard only, and the whole pagefind/ is the bytes of a clean build."""
    import subprocess
    import sys

    from gkpub.outputs.search import shards
    monkeypatch.setattr(shards, "SHARD_RECORDS", 24)  # 400 items: families per 领域 × 年份, some in parts
    monkeypatch.setattr(shards, "BUCKET_TOKENS", 64)
    site, public = tmp_path / "site", tmp_path / "public"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen_corpus.py"), "--items", "400", "--out", str(site)],
                   check=True, capture_output=True)

    def build(out: Path, *extra: str) -> None:
        assert run("build", "--site", str(site), "--out", str(out), "--today", "2026-11-23", "-q", *extra) == 0

    build(public)
    manifest = json.loads((public / "pagefind" / "gkpub-search.json").read_text(encoding="utf-8"))
    names = [b.strip("/").split("/")[-1] for b in manifest["bundles"][1:]]
    assert len(names) > 20 and any(n.endswith("-1") for n in names), names  # years, and parts of a large one
    assert manifest["words"]["buckets"] > 1
    assert sum(manifest["filters"]["类型"].values()) == len(fragments(public)) - 1  # all but the placeholder
    stamp = {n: (public / "pagefind" / n / "pagefind-entry.json").stat().st_ino for n in names}
    item = sorted((site / "content" / "items").rglob("*.md"))[7]
    item.write_text(item.read_text(encoding="utf-8") + "\n\n本段为补充说明：翠微溪畔。\n", encoding="utf-8")
    build(public)
    after = {n: (public / "pagefind" / n / "pagefind-entry.json").stat().st_ino for n in names}
    assert len([n for n in names if after[n] != stamp[n]]) == 1  # one shard re-indexed
    build(tmp_path / "clean", "--clean")
    assert _tree(public / "pagefind") == _tree(tmp_path / "clean" / "pagefind")
    item.unlink()  # a record leaves: its shard and the directory change, nothing else
    build(public)
    build(tmp_path / "clean2", "--clean")
    assert _tree(public / "pagefind") == _tree(tmp_path / "clean2" / "pagefind")
    # newest first across shards (Pagefind alone ranks each merged shard and mixes the ranks)
    with serve(public) as base:
        context = search.page.context.browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/search/?q={quote('公示')}&sort=date")
        page.wait_for_selector('#search-form[data-state="done"]')
        while page.is_visible("#search-more"):
            n = page.locator(".search-hit").count()
            page.click("#search-more")
            page.wait_for_function(f"document.querySelectorAll('.search-hit').length > {n}")
        dates = page.eval_on_selector_all(".search-hit time", "xs => xs.map(x => x.dateTime)")
        page.goto(f"{base}/search/?q={quote('公示')}")  # the counts beside the five stages, none chosen
        page.wait_for_selector('#search-form[data-state="done"]')
        shown = page.eval_on_selector_all(".search-stages .search-n", "xs => xs.map(x => [x.dataset.n, x.textContent])")
        # an 索引号 without its organisation code: the pages of every organisation, newest first
        serials = Counter(r["filters"]["索引号"][0].split("/")[1] for r in fragments(public, items_only=True))
        serial, n_serial = serials.most_common(1)[0]
        page.goto(f"{base}/search/?q={serial}")
        page.wait_for_selector('#search-form[data-state="done"]')
        by_serial = page.eval_on_selector_all(".search-hit time", "xs => xs.map(x => x.dateTime)")
        serial_status = page.inner_text("#search-status")
        serial_stages = dict(page.eval_on_selector_all(".search-stages .search-n",
                                                       "xs => xs.map(x => [x.dataset.n, x.textContent])"))
        context.close()
    # a lookup lists only its own pages: the counts beside the stages are theirs
    m = re.search(r"找到 (\d+) 条", serial_status)
    assert m and serial_stages.pop("") == f"（{m[1]}）", (serial_status, serial_stages)
    assert sum(int(v.strip("（）")) for v in serial_stages.values()) == int(m[1]), serial_stages
    want_serial = sorted((r["meta"]["date"] for r in fragments(public, items_only=True)
                          if r["filters"]["索引号"][0].endswith("/" + serial)), reverse=True)[:10]
    assert n_serial > 3 and by_serial[:len(want_serial)] == want_serial, (serial, by_serial, want_serial)
    found = [r for r in fragments(public, items_only=True) if "公示" in r["meta"]["title"] + r["meta"]["text"]]
    want = sorted((r["meta"]["date"] for r in found), reverse=True)
    assert len(dates) > 100 and dates == sorted(dates, reverse=True) and dates[:20] == want[:20]
    by_stage = {st: sum(1 for r in found if r["filters"]["过程"] == [st]) for st in STAGES}
    assert dict(shown) == {"": f"（{len(dates)}）", **{st: f"（{n}）" for st, n in by_stage.items()}}, shown
    assert sum(by_stage.values()) == len(found) and min(by_stage.values()) > 0


def test_a_large_family_is_split_by_whole_matters_where_they_fit() -> None:
    from gkpub.outputs.search import shards
    from gkpub.outputs.search.records import Entry

    def family(*sizes: int) -> list[Entry]:
        return [Entry(f"/xxgk/m{m}/{i:04d}/", "k", lambda: None, ("jiuzhu", "2025", f"m{m}"))  # type: ignore[arg-type,return-value]
                for m, n in enumerate(sizes) for i in range(n)]

    parts = shards._parts(family(150, 150, 150, 150))  # 600: two parts, each of two whole 事项
    assert [len(p) for p in parts] == [300, 300]
    assert all(len({e.group[2] for e in p}) == 2 for p in parts)
    def urls(ps: list[list[Entry]]) -> list[list[str]]:
        return [[e.url for e in p] for p in ps]

    assert urls(shards._parts(family(150, 150, 150, 150))) == urls(parts)  # the same records, the same parts
    parts = shards._parts(family(400, 100, 100))  # one 事项 too large for a part: by URL hash
    assert len(parts) == 2 and max(len(p) for p in parts) <= shards.SHARD_RECORDS
    assert len({e.group[2] for e in parts[0]}) == 3
    assert urls(shards._parts(family(100, 100))) == urls([family(100, 100)])  # small enough: one part
    # a large 领域 "a" split by year never meets a small 领域 whose slug is "a-2025"
    big = [Entry(f"/xxgk/a/{i:04d}/", "k", lambda: None, ("a", "2025", "m"))  # type: ignore[arg-type,return-value]
           for i in range(400)]
    small = [Entry(f"/xxgk/b/{i}/", "k", lambda: None, ("a-2025", "2025", "m"))  # type: ignore[arg-type,return-value]
             for i in range(5)]
    fams = shards._families(big + small)
    assert sorted(fams) == ["a-2025", "a_2025"] and sum(map(len, fams.values())) == 405


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_serve_style_rebuilds_update_the_index(mini_site: Path) -> None:
    """`gkpub serve --search`: pages first (the browser reloads), the index in run_extras()."""
    from gkpub.build.builder import Builder, BuildOptions
    builder = Builder(BuildOptions(site_dir=mini_site, out_dir=mini_site / "public", today=TODAY,
                                   search=True, cache_dir=mini_site / ".cache"), keep_state=True)
    builder.run()
    assert [r["meta"]["title"] for r in fragments(mini_site / "public", True)] == ["关于调整高龄津贴标准的通知"]
    write_item(mini_site, "policy.md", item_text(标题="关于调整高龄津贴标准的通知（修订）"))
    builder.run(extras=False)
    builder.run_extras()
    assert [r["meta"]["title"] for r in fragments(mini_site / "public", True)] == ["关于调整高龄津贴标准的通知（修订）"]
    builder.close()


def _pagefind_children() -> list[int]:
    """Pagefind processes this test process started and that are still running."""
    import os
    found = []
    for d in Path("/proc").iterdir():
        try:
            stat = (d / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and "pagefind" in stat.split(" ", 2)[1]:
                found.append(int(d.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_a_failed_extras_step_leaves_no_staged_shards_and_no_plan_for_later(mini_site: Path, monkeypatch) -> None:
    """`gkpub serve`: the edited item's shard is being written when the open data fail. Nothing
    is left (no working folder, no Pagefind), and no later build swaps in that shard: after the
    item is withdrawn, its text is in no index."""
    from gkpub.build import builder as builder_mod
    from gkpub.build.builder import Builder, BuildOptions
    public = mini_site / "public"
    opts = BuildOptions(site_dir=mini_site, out_dir=public, today=TODAY, search=True, cache_dir=mini_site / ".cache")
    write_item(mini_site, "second.md",
               item_text(标题="关于发放第二批高龄津贴的通知", 索引号="11530000MB00000025/2026-00002"))
    builder = Builder(opts, keep_state=True)
    builder.run()
    secret = "仅供内部核对的修订说明"
    write_item(mini_site, "policy.md", item_text(标题=f"关于调整高龄津贴标准的通知（{secret}）"))
    builder.run(extras=False)

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")
    with monkeypatch.context() as m:
        m.setattr(builder_mod, "write_channels", full_disk)
        with pytest.raises(OSError):
            builder.run_extras()
    assert not list(mini_site.glob(".public.pagefind-*")) and _pagefind_children() == []
    write_item(mini_site, "policy.md", item_text(标题=f"关于调整高龄津贴标准的通知（{secret}）", 公开属性="不予公开"))
    builder.run()  # the output was left half-changed: a full build
    builder.run()  # no page changes
    builder.close()
    assert secret not in json.dumps(fragments(public), ensure_ascii=False)
    assert [r["meta"]["title"] for r in fragments(public, True)] == ["关于发放第二批高龄津贴的通知"]


# ---------------------------------------------------------------- issue 15: a search a resident can trust

def page_text(public: Path, url: str) -> str:
    """All the text of an item's article as a resident reads it (metadata table included,
    hidden parts left out), without whitespace: what 'the page contains the words' means."""
    html = (public / url.strip("/") / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    article = re.sub(r"<p hidden[^>]*>.*?</p>", "", article, flags=re.S)
    from html import unescape
    return re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", "", article)))


def bearing(public: Path, term: str) -> set[str]:
    return {url for url in item_texts(public) if term in page_text(public, url)}


def exact_urls(search: SearchPage) -> set[str]:
    return {h["url"] for h in search.hits() if h["match"] == "exact"}


def test_page_and_index_make_the_same_tokens(search: SearchPage) -> None:
    from gkpub.outputs.search.tokens import index_tokens, query_tokens
    search.open()
    for text in ("柳溪乡人民政府", "有效身份证件", "公示期满无异议", "青民发〔2026〕15号", "ＡＢＣ１２３ 低保",
                 "保", "abc", "11539901MB00002030/2026-00003", "人民 政府", "，。！"):
        assert search.page.evaluate("t => window.gkpubQueryTokens(t)", text) == [list(t) for t in query_tokens(text)]
    # a compound inside a sentence: the query's tokens stand at their distances among the sentence's
    for sentence, word in (("请携带有效身份证件办理", "身份证"), ("公示期满无异议的，予以确认", "公示期"),
                           ("青民发〔2026〕15号文件", "15号"), ("编号ab12cd", "b12c"), ("社会保障局", "保")):
        whole, part = index_tokens(sentence), query_tokens(word)
        assert any(all(i + p < len(whole) and whole[i + p] == t for t, p in part) for i in range(len(whole))), \
            (sentence, word)
    # every token is a whole word of the index, none a prefix of another (no prefix search needed)
    words = set(index_tokens("青民发〔2026〕15号文件 社会保障局 低保 abc 1"))
    assert not [(a, b) for a in words for b in words if a != b and b.startswith(a)]


@pytest.mark.parametrize("term", ["柳溪乡人民政府", "青禾区民政局"])
def test_an_organization_is_found_on_every_page_that_bears_it(search: SearchPage, demo_public: Path,
                                                                 term: str) -> None:
    want = bearing(demo_public, term)
    assert len(want) >= 2
    search.open(term)
    got = exact_urls(search)
    assert want <= got
    assert all(term in page_text(demo_public, u) for u in got if u.startswith("/xxgk/"))
    assert search.counts()[1] == len(got)


@pytest.mark.parametrize("term", ["身份证", "公示期", "人民政府", "高龄津贴"])
def test_a_compound_is_found_inside_sentences(search: SearchPage, demo_public: Path, term: str) -> None:
    want = bearing(demo_public, term)
    inside = [u for u in want if not re.search(rf"(^|[，。：、（）\s]){term}", page_text(demo_public, u))]
    assert want and inside or term == "高龄津贴"
    search.open(term)
    assert want <= exact_urls(search)


def test_the_same_address_gives_the_same_count_after_other_searches(search: SearchPage) -> None:
    search.open("低保")
    first = search.counts(), [h["url"] for h in search.hits()]
    for other in ("保险", "保", "民政", "补贴", "低"):
        search.type(other)
    search.type("低保")
    assert (search.counts(), [h["url"] for h in search.hits()]) == first
    search.open("保")
    fresh = search.counts()
    search.type("高龄津贴")
    search.type("保")
    assert search.counts() == fresh


def test_results_grouped_by_the_five_stages(search: SearchPage) -> None:
    search.open("q=低保&sort=stage")
    groups = search.page.evaluate("[...document.querySelectorAll('#search-list ol')].map(o => o.dataset.group)")
    slugs = ["juece", "zhixing", "guanli", "fuwu", "jieguo", "other"]
    assert len(groups) >= 3 and groups == [g for g in slugs if g in groups]
    names = dict(zip(slugs, ["决策", "执行", "管理", "服务", "结果"], strict=False))
    for h in search.hits():
        assert h["stage"] == names.get(h["group"], ""), h
    headings = search.page.locator("#search-list h3").all_inner_texts()
    assert headings[0] in ("决策公开", "执行公开", "管理公开", "服务公开", "结果公开")


def test_nothing_found_says_so_and_suggests_a_synonym(search: SearchPage) -> None:
    search.open("高龄补贴")
    assert search.hits() == []
    message = search.page.locator("#search-message")
    assert message.get_attribute("data-empty") == "1"
    assert "没有找到「高龄补贴」" in search.message()
    link = message.locator("a", has_text="高龄津贴")
    assert link.count() == 1
    search._arm()
    link.click()
    search.wait()
    assert "q=高龄津贴" in search.url() and search.hits()
    for nothing in ("火星移民", "醫保局长", "青民发2025年12号"):
        search.open(nothing)
        assert search.hits() == [] and search.page.locator("#search-message").get_attribute("data-empty") == "1"


def test_fixed_pages_are_found_as_their_own_kind(search: SearchPage) -> None:
    search.open("公开查阅点")
    hits = search.hits()
    guide = [h for h in hits if h["url"] == "/guide/"]
    assert guide and "政府信息公开指南" in search.page.locator(".search-hit[data-url='/guide/'] .tag-kind").inner_text()
    search.open("0871-65110000")
    assert "/contact/" in {h["url"] for h in search.hits()}
    search.open("q=公开查阅点&类型=政府信息公开指南")
    assert {h["url"] for h in search.hits()} == {"/guide/"}


def test_filters_keep_their_other_values_choosable(search: SearchPage) -> None:
    search.open("补贴")
    search.page.locator("#search-filters").evaluate("d => d.open = true")
    years = search.page.locator("fieldset[data-filter='发布年份'] label")
    years.first.wait_for()
    before = {t.split("（")[0].strip() for t in years.all_inner_texts()}
    assert len(before) >= 2
    first, second = sorted(before, reverse=True)[:2]
    search.choose(f"input[name='发布年份'][value='{first}']")
    one = search.hits()
    other = search.page.locator(f"fieldset[data-filter='发布年份'] input[value='{second}']")
    assert other.is_visible() and not other.is_checked()
    label = search.page.locator(f"fieldset[data-filter='发布年份'] label:has(input[value='{second}'])").inner_text()
    n = int(re.search(r"（(\d+)）", label).group(1))
    assert n > 0
    search.choose(f"input[name='发布年份'][value='{second}']")
    assert "发布年份=" + first in search.url() and "发布年份=" + second in search.url()
    assert len(search.hits()) == len(one) + n
    for group in ("文件类型", "有无文号", "类型"):
        assert search.page.locator(f"fieldset[data-filter='{group}']").count() == 1, group


def test_first_result_above_the_fold_on_a_phone(search: SearchPage) -> None:
    page = search.page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        search.open("低保")
        box = page.locator(".search-hit").first.bounding_box()
        assert box and box["y"] + 40 < 844, box
        skip = page.locator("#search-skip")
        assert skip.is_visible() and skip.get_attribute("href") == "#search-results-h"
        page.screenshot(path=str(REPO / ".cache" / "search-phone.png")) if (REPO / ".cache").is_dir() else None
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# ---------------------------------------------------------------- the 2k corpus (benchmarks/search_recall.py)

@pytest.fixture(scope="module")
def corpus2k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """benchmarks/gen_corpus.py's 2,000 items, built with search on."""
    import subprocess
    import sys
    work = tmp_path_factory.mktemp("corpus2k")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen_corpus.py"), "--items", "2000",
                    "--out", str(work / "site")], check=True, capture_output=True)
    assert run("build", "--site", str(work / "site"), "--out", str(work / "public"), "--today", "2026-11-23") == 0
    return work / "public"


def test_2k_every_page_with_the_words_is_found_and_labelled_exact(corpus2k: Path, search: SearchPage) -> None:
    """The recall benchmark's own check, through the page, on queries that used to fail: a
    character whose index words spanned two Pagefind chunks (「保」 found 1,512 of 1,769 pages,
    more after other searches), a phrase ending in one character after digits (「15号」), an
    organization's code inside an 索引号, a compound inside sentences, and a query no page has."""
    import sys
    sys.path.insert(0, str(REPO / "benchmarks"))
    from search_recall import corpus_pages, failures, id_urls, run_query, server, truth
    pages, urls = corpus_pages(corpus2k), id_urls(corpus2k)
    code = next(p.index_no for p in pages if p.index_no).split("/")[0]
    cases = [("保", "short", 1700), ("证", "short", 1000), ("15号", "compound", 5), (code.upper(), "code", 10),
             ("有效身份证件", "compound", 100), ("柳溪乡人民政府", "org", 50), ("高龄补贴", "synonym", 0)]
    b = search.page.context.browser  # one Playwright per process: the module's browser, a fresh context per query
    with server("python", corpus2k) as base:
        for query, kind, at_least in cases:
            want = truth(pages, query, kind)
            assert len(want) >= at_least, (query, len(want))
            r = run_query(b, base, query, kind, want, urls, {"width": 390, "height": 844})
            assert failures(r) == [], (query, failures(r))
            assert r.found == len(want) and r.mislabelled == [] and r.extra == [], query
            if not want:
                assert r.not_found and "高龄津贴" in r.suggestions
