"""A city site's /search/ that also searches its districts (issue 16 item 4, small scale).

Three district sites of 200 generated items each (benchmarks/gen_corpus.py, one seed each,
every title marked with the district's own word) and a small city site are built with their
Pagefind indexes, each under its own path of one local HTTP server (/d1/ /d2/ /d3/ /city/).
The city's site.toml merges the three and a fourth district that has no index (/d9/). Real
Chromium, real Pagefind; missing either fails, never skips.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from browser import browser, serve
from conftest import REPO, TODAY, run
from search_support import SearchPage, expected, fragments, watch_errors

from gkpub.content.schema import STAGES

DISTRICTS = [("d1", "禾东区", "澄江", 11), ("d2", "禾西区", "沐川", 12), ("d3", "禾南区", "临溪", 13)]
MISSING = ("d9", "禾北区")  # listed by the city, never built: its index cannot be read
OTHER = ("d8", "禾中区")  # a copy of d1 whose manifest names another tokenizer: not merged
BROKEN = ("d7", "禾新区")  # a copy of d2 whose manifest lists a shard that is not there (a deploy half done)
LEFT_OUT = [MISSING, OTHER, BROKEN]
CITY = "云岭市本级"
WORD = "低保"  # in items of every district
TITLE = re.compile(r'^(标题: "?)', re.MULTILINE)


def _generate(src: Path, path: str, items: int, seed: int, marker: str | None) -> None:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen_corpus.py"), "--items", str(items),
                    "--seed", str(seed), "--out", str(src)], check=True, capture_output=True)
    toml = src / "site.toml"
    text = re.sub(r'(?m)^base_url = .*$', f'base_url = "http://127.0.0.1/{path}/"', toml.read_text(encoding="utf-8"))
    if marker is None:  # the city: its own name and the districts it merges
        text = text.replace("[search]\n", f'[search]\nname = "{CITY}"\n', 1)
        for p, name, _, _ in DISTRICTS + [(p, name, "", 0) for p, name in LEFT_OUT]:
            text += f'\n[[search.merge]]\nname = "{name}"\nurl = "/{p}/"\n'
    toml.write_text(text, encoding="utf-8")
    if marker:
        for md in (src / "content" / "items").rglob("*.md"):
            md.write_text(TITLE.sub(rf"\g<1>{marker}", md.read_text(encoding="utf-8"), count=1), encoding="utf-8")


def _build(src: Path, out: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "gkpub", "build", "--site", str(src), "--out", str(out),
                           "--today", TODAY.isoformat(), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("city")
    sites = [(p, 200, seed, marker) for p, _, marker, seed in DISTRICTS] + [("city", 12, 9, None)]
    for p, items, seed, marker in sites:
        _generate(tmp / "src" / p, p, items, seed, marker)
    with ThreadPoolExecutor(2) as pool:  # as CI would: each site on its own
        for f in [pool.submit(_build, tmp / "src" / p, tmp / "www" / p) for p, *_ in sites]:
            f.result()
    www = tmp / "www"
    shutil.copytree(www / "d1", www / OTHER[0])
    manifest = www / OTHER[0] / "pagefind" / "gkpub-search.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("gkpub-bigram-2", "gkpub-bigram-0"),
                        encoding="utf-8")
    shutil.copytree(www / "d2", www / BROKEN[0])
    shard = json.loads((www / BROKEN[0] / "pagefind" / "gkpub-search.json").read_text(encoding="utf-8"))["bundles"][-1]
    shutil.rmtree(www / BROKEN[0] / shard.strip("/"))
    return www


@pytest.fixture(scope="module")
def city(www: Path):
    with serve(www) as base, browser() as b:
        page = b.new_page(viewport={"width": 1366, "height": 900})
        errors = watch_errors(page, base, allowed=(f"{base}/{MISSING[0]}/", f"{base}/{BROKEN[0]}/"),
                              console_ok=("Failed to load Pagefind metadata",))  # BROKEN's missing shard
        sp = SearchPage(page, base + "/city")
        sp.errors = errors  # type: ignore[attr-defined]
        sp.root = base  # type: ignore[attr-defined]
        sp.browser = b  # type: ignore[attr-defined]  # one Playwright per module
        yield sp
        assert not errors, errors


def _truth(www: Path, word: str) -> dict[str, dict[str, str]]:
    """Region → url (as the city links it) → 过程, of the item pages that contain ``word``."""
    out = {}
    for p, name, _, _ in DISTRICTS + [("city", CITY, "", 0)]:
        stage = {r["url"]: r["filters"]["过程"][0] for r in fragments(www / p, items_only=True)}
        out[name] = {f"/{p}{u}": stage[u] for u in expected(www / p, word)}
    return out


def _regions(hits: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for h in hits:
        out[h["region"]] = out.get(h["region"], 0) + 1
    return out


READ = """() => [...document.querySelectorAll('.search-hit')].map(li => ({
  region: li.dataset.region, match: li.dataset.match, url: li.dataset.url,
  href: li.querySelector('.search-hit-title a').href,
  path: new URL(li.querySelector('.search-hit-title a').href).pathname,
  title: li.querySelector('.search-hit-title a').textContent,
  stage: (li.querySelector('.stage') || {}).textContent || '',
  meta: li.querySelector('.search-hit-meta').textContent,
}))"""


def _hits(sp: SearchPage) -> list[dict]:
    sp.hits()  # loads every page of results
    return sp.page.evaluate(READ)


def _count(sp: SearchPage, name: str, value: str) -> int:
    text = sp.page.inner_text(f'.search-group input[name="{name}"][value="{value}"] ~ .search-c')
    return int(text.strip("（）"))


def test_the_city_page_finds_every_district_and_names_the_missing_one(city: SearchPage, www: Path) -> None:
    manifest = json.loads((www / "d1" / "pagefind" / "gkpub-search.json").read_text(encoding="utf-8"))
    assert manifest["bundles"][0] == "/pagefind/"  # root-relative to the district's own base
    city.open(WORD)  # shards are merged as a query needs them: the broken one is found by a search
    note = city.page.locator("#search-regions-note")
    assert note.is_visible() and "、".join(name for _, name in LEFT_OUT) + "。" in note.inner_text()
    assert note.locator("a").evaluate_all("xs => xs.map(x => x.getAttribute('href'))") == \
        [f"/{p}/" for p, _ in LEFT_OUT]
    for name in (n for _, n, _, _ in DISTRICTS):
        assert name in city.page.inner_text("#search-regions")
    for p, name, marker, _ in DISTRICTS:
        city.type(marker)
        hits = _hits(city)
        published = len(list((www / p / "xxgk").glob("*/*/index.html")))
        assert len(hits) == published > 150, (marker, len(hits), published)
        assert {h["region"] for h in hits} == {name}
        assert all(h["match"] == "exact" and marker in h["title"] for h in hits)
        assert all(h["url"].startswith(f"{city.root}/{p}/xxgk/") and h["href"] == h["url"] for h in hits)  # type: ignore[attr-defined]
        assert f"地区：{name}" in hits[0]["meta"]


def test_the_region_filter_narrows_to_one_district_with_its_count(city: SearchPage, www: Path) -> None:
    truth = _truth(www, WORD)
    assert truth[CITY] and all(len(truth[n]) >= 5 for _, n, _, _ in DISTRICTS), {k: len(v) for k, v in truth.items()}
    city.open(WORD)
    hits = _hits(city)
    exact = [h for h in hits if h["match"] == "exact"]
    assert _regions(exact) == {k: len(v) for k, v in truth.items()}
    city.page.locator("#search-filters").evaluate("d => d.open = true")
    city.page.wait_for_selector('.search-group[data-filter="地区"] input')
    values = city.page.eval_on_selector_all('.search-group[data-filter="地区"] input', "xs => xs.map(x => x.value)")
    assert values == [CITY] + [n for _, n, _, _ in DISTRICTS]  # the missing district has no value
    city.page.wait_for_function("document.querySelector('.search-group[data-filter=\"地区\"] .search-c').textContent")
    total = city.counts()[0]
    assert sum(_count(city, "地区", v) for v in values) == total == len(hits)
    name = DISTRICTS[1][1]
    city.choose(f'.search-group input[name="地区"][value="{name}"]')
    assert "地区=" in city.url()
    narrowed = _hits(city)
    assert {h["region"] for h in narrowed} == {name}
    assert sorted(h["path"] for h in narrowed if h["match"] == "exact") == sorted(truth[name])
    assert _count(city, "地区", name) == len(narrowed) and _count(city, "地区", CITY) == _regions(hits)[CITY]
    city.open(f"q={WORD}&地区={name}")  # the address alone gives the same
    assert [h["path"] for h in _hits(city)] == [h["path"] for h in narrowed]
    other = DISTRICTS[2][1]  # multi-select: the other values stay choosable
    city.choose(f'.search-group input[name="地区"][value="{other}"]')
    assert _regions(_hits(city)) == {name: _regions(hits)[name], other: _regions(hits)[other]}


def test_an_index_number_lookup_counts_its_own_pages_by_district(city: SearchPage, www: Path) -> None:
    """An 索引号 without its organisation code, in several districts: the 地区 and 过程 counts
    are of the pages it lists (not of every page that has the digits)."""
    serials: dict[str, set[str]] = {}
    for p, name, _, _ in DISTRICTS:
        for r in fragments(www / p, items_only=True):
            serials.setdefault(r["filters"]["索引号"][0].split("/")[1], set()).add(name)
    serial = max(sorted(serials), key=lambda k: len(serials[k]))
    assert len(serials[serial]) >= 2, serials[serial]
    city.open(f"q={serial}")
    hits = _hits(city)
    assert hits and {h["region"] for h in hits} >= serials[serial]
    city.page.locator("#search-filters").evaluate("d => d.open = true")
    city.page.wait_for_selector('.search-group[data-filter="地区"] input')
    city.page.wait_for_function("document.querySelector('.search-group[data-filter=\"地区\"] .search-c').textContent")
    for region, n in _regions(hits).items():
        assert _count(city, "地区", region) == n, (region, n)
    stages = city.page.eval_on_selector_all(".search-stages .search-n",
                                            "xs => xs.map(x => [x.dataset.n, x.textContent])")
    assert dict(stages)[""] == f"（{len(hits)}）", stages
    name = sorted(serials[serial])[0]  # one district chosen: the list is what its count said
    want = _count(city, "地区", name)
    city.choose(f'.search-group input[name="地区"][value="{name}"]')
    narrowed = _hits(city)
    assert len(narrowed) == want and {h["region"] for h in narrowed} == {name}


def test_the_stage_filter_and_grouping_work_across_districts(city: SearchPage, www: Path) -> None:
    truth = _truth(www, WORD)
    def want_of(stage: str) -> dict[str, list[str]]:
        return {n: sorted(u for u, s in urls.items() if s == stage) for n, urls in truth.items()}

    # the stage whose hits are in the most districts (the corpus decides which)
    stage = max(STAGES, key=lambda st: (sum(1 for v in want_of(st).values() if v), STAGES.index(st) * -1))
    want = want_of(stage)
    assert sum(1 for _, n, _, _ in DISTRICTS if want[n]) == 3, (stage, want)
    city.open(f"q={WORD}&过程={stage}")
    hits = _hits(city)
    assert {h["stage"] for h in hits} == {stage}
    got = {n: sorted(h["path"] for h in hits if h["region"] == n and h["match"] == "exact") for n in truth}
    assert got == want
    city.open(f"q={WORD}&sort=stage")
    city.hits()
    slugs = {"决策": "juece", "执行": "zhixing", "管理": "guanli", "服务": "fuwu", "结果": "jieguo"}
    groups = city.page.eval_on_selector_all("ol.search-hits", "xs => xs.map(x => x.dataset.group)")
    present = {s for urls in truth.values() for s in urls.values()}
    assert groups == [slugs[st] for st in STAGES if st in present], groups  # in the five stages' order
    slug = slugs[stage]
    regions = city.page.eval_on_selector_all(f"ol[data-group='{slug}'] .search-hit[data-match='exact']",
                                             "xs => xs.map(x => x.dataset.region)")
    assert sorted(regions) == sorted(n for n, v in want.items() for _ in v)


def test_a_district_failing_for_one_query_spares_the_search_under_way(city: SearchPage) -> None:
    """A search waits for a district's index chunk (held back here) when the next query finds
    that another district cannot be merged, so the page makes its Pagefind again without it.
    The search under way is let finish first (not broken, and no error shown), and the tab
    ends with the later query's results, the broken district named."""
    base = city.root  # type: ignore[attr-defined]
    context = city.browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors = watch_errors(page, base, allowed=(f"{base}/{MISSING[0]}/", f"{base}/{BROKEN[0]}/"),
                          console_ok=("Failed to load Pagefind metadata",))
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    sp = SearchPage(page, base + "/city")
    sp.open(DISTRICTS[0][2])  # d1's word: no shard of d3 or of the broken district is needed
    held: list = []
    let_go = False
    chunks = f"{base}/{DISTRICTS[2][0]}/pagefind/**/*.pf_index"
    page.route(chunks, lambda route: route.continue_() if let_go else held.append(route))
    box = page.locator("#search-q")
    box.fill(DISTRICTS[2][2])  # d3's word: its search waits for d3's chunk
    box.press("Enter")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(25)
    assert held, "the search never asked for d3's index"
    box.fill(WORD)  # merges every district's shards for 低保: the broken one fails
    with page.expect_response(lambda r: r.url.startswith(f"{base}/{BROKEN[0]}/") and r.status == 404):
        box.press("Enter")
    page.wait_for_timeout(500)  # the page makes its Pagefind again while d3's chunk is held
    let_go = True
    for route in held:
        route.continue_()
    sp.wait()
    assert "检索出错" not in sp.message(), sp.message()
    assert not [w for w in warnings if "较早的检索出错" in w], warnings  # it finished, not failed
    assert sp.status().startswith("找到"), sp.status()
    assert BROKEN[1] in page.inner_text("#search-regions-note")
    hits = page.evaluate(READ)
    assert {h["region"] for h in hits} >= {name for _, name, _, _ in DISTRICTS}
    context.close()
    assert not errors, errors


def test_screenshot_with_a_region_chosen(city: SearchPage) -> None:
    city.open(f"q={WORD}&地区={DISTRICTS[0][1]}&地区={DISTRICTS[2][1]}")
    assert city.page.locator(f'.search-group input[value="{DISTRICTS[0][1]}"]').is_checked()
    if (REPO / ".cache").is_dir():
        city.page.screenshot(path=str(REPO / ".cache" / "city-search-region.png"), full_page=True)


def test_a_hit_opens_the_district_page(city: SearchPage, www: Path) -> None:
    p, name, marker, _ = DISTRICTS[2]
    city.open(marker)
    first = city.page.locator(".search-hit").first
    title = first.locator(".search-hit-title a").inner_text()
    first.locator(".search-hit-title a").click()
    city.page.wait_for_load_state()
    assert city.page.url.startswith(f"{city.root}/{p}/xxgk/")  # type: ignore[attr-defined]
    assert city.page.inner_text("h1").strip() == title
    assert city.page.title().endswith("青禾区人民政府") or marker in city.page.title()


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 900)])
def test_screenshots(city: SearchPage, width: int, height: int) -> None:
    city.page.set_viewport_size({"width": width, "height": height})
    city.open(WORD)
    assert city.page.locator(".search-hit").first.is_visible()
    shots = REPO / ".cache"
    if shots.is_dir():
        city.page.screenshot(path=str(shots / f"city-search-{width}.png"))
    city.page.set_viewport_size({"width": 1366, "height": 900})


def test_site_toml_merge_errors_name_the_line_and_what_to_write(mini_site: Path, capsys) -> None:
    toml = mini_site / "site.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(base + '\n[[search.merge]]\nname = "禾东区"\nurl = "d1"\n'
                    '\n[[search.merge]]\nname = "禾东区"\nurl = "/d2/"\nnmae = "x"\n', encoding="utf-8")
    lines = toml.read_text(encoding="utf-8").splitlines()
    at = {text: n for n, text in enumerate(lines, 1)}
    assert run("check", "--site", str(mini_site), "--today", TODAY.isoformat()) != 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    bad_url, typo = at['url = "d1"'], at['nmae = "x"']
    assert f"site.toml:{bad_url}" in text and "search.merge[1].url" in text and '"/qinghe/"' in text
    assert f"site.toml:{typo}" in text and "是不是「name」" in text
    assert "search.merge[2].name" in text and "禾东区" in text and "重复" in text
    toml.write_text(base + '\n[[search.merge]]\nname = "禾东区"\nurl = "https://d1.example.gov.cn"\n', encoding="utf-8")
    assert run("check", "--site", str(mini_site), "--today", TODAY.isoformat()) in (0, 1)
    assert "search.merge" not in "".join(capsys.readouterr())


def test_the_city_search_works_under_the_nginx_csp(city: SearchPage, www: Path, tmp_path: Path) -> None:
    """deploy/nginx as shipped (connect-src 'self'): districts under paths of the same domain
    need no change of the policy."""
    from test_nginx import Watch, nginx, root_conf, watched_page

    watch = Watch()
    p, name, marker, _ = DISTRICTS[0]
    with nginx(tmp_path, root_conf(www)) as base:
        page = watched_page(city.browser, watch)  # type: ignore[attr-defined]
        answer = page.goto(f"{base}/city/search/?q={marker}")
        assert answer is not None and "connect-src 'self'" in answer.headers["content-security-policy"]
        SearchPage(page, base + "/city").wait()
        regions = page.eval_on_selector_all(".search-hit", "xs => xs.map(x => x.dataset.region)")
        assert len(regions) == 10 and set(regions) == {name}
        assert "找到" in page.inner_text("#search-status")
        page.context.close()
    expected_misses = (f"/{MISSING[0]}/", f"/{BROKEN[0]}/", "Failed to load Pagefind metadata",
                       *(f"「{name}」未能" for _, name in LEFT_OUT))
    problems = [x for x in watch.problems if not any(m in x for m in expected_misses)]
    assert not problems, problems
