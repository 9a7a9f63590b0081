"""The common base catalogue of 条例 第二十条 (issue #14 item 5) in a new site and the demo, and the
机构信息 of site.toml [[org]] (职能, 负责人, 办公时间, 内设机构) on the org pages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from conftest import MINI_TOML, REPO, TODAY, run

from gkpub.authoring.new_site import STARTER, fill
from gkpub.compliance.checks import check_site
from gkpub.content.config import load_config
from gkpub.content.loader import load_site
from gkpub.content.schema import STAGES
from gkpub.util.errors import ErrorList

DAY = TODAY.isoformat()
REGULATION = "《中华人民共和国政府信息公开条例》"
# file → (domain, the item of 第二十条 its columns cite); 财政预决算's 资金管理 and 补贴 leaves cite the article
BASE: dict[str, tuple[str, str]] = {
    "jigou": ("机构信息", "第二十条第（二）项"),
    "zhengce": ("政策文件", "第二十条第（一）项"),
    "guihua": ("规划计划", "第二十条第（三）项"),
    "tongji": ("统计数据", "第二十条第（四）项"),
    "caizheng": ("财政预决算", "第二十条第（七）项"),
    "shoufei": ("行政事业性收费", "第二十条第（八）项"),
    "caigou": ("政府采购", "第二十条第（九）项"),
    "xiangmu": ("重大建设项目", "第二十条第（十）项"),
    "yingji": ("突发事件应对", "第二十条第（十二）项"),
    "zhaokao": ("公务员招考", "第二十条第（十四）项"),
}
STARTER_CATALOG = REPO / "gkpub" / "authoring" / STARTER / "content" / "catalog"


def leaves(data: dict) -> list[dict]:
    return [leaf for matter in data["事项"] for leaf in matter["公开内容"]]


def test_the_starter_catalogue_is_article_20() -> None:
    assert {p.stem for p in STARTER_CATALOG.glob("*.yaml")} == set(BASE)
    stages = set()
    for slug, (domain, item) in BASE.items():
        text = (STARTER_CATALOG / f"{slug}.yaml").read_text(encoding="utf-8")
        assert "公开主体: {{government}}\n" in text  # filled in by gkpub new site
        data = yaml.safe_load(fill(text, {"government": "某某区人民政府"}))
        assert data["领域"] == domain and data["公开方式"] == "主动公开"
        cited = []
        for leaf in leaves(data):
            basis = leaf["公开依据"]
            assert any(b.startswith(REGULATION + "第二十条") for b in basis), (slug, leaf["名称"])
            cited += [b for b in basis if b.startswith(REGULATION)]
            assert leaf["公开时限"] and leaf["更新周期"] and leaf["要素"], (slug, leaf["名称"])
            # the default of 第二十六条, or a rule of its own (即时, a law's 20 日)
            assert re.search(r"20个工作日内$|^即时$|20日内$", leaf["公开时限"]), leaf["公开时限"]
            stages.add(leaf["过程"])
        assert REGULATION + item in cited, slug
        # no other item of 第二十条 is cited for this domain
        assert {c for c in cited if "项" in c} == {REGULATION + item}, slug
    assert stages == set(STAGES)


def test_a_new_site_has_the_base_catalogue_and_sees_only_its_empty_columns(tmp_path: Path, capsys) -> None:
    site = tmp_path / "new"
    assert run("new", "site", str(site), "--district", "青禾区", "--city", "云岭市", "--today", DAY) == 0
    for slug, (domain, _) in BASE.items():
        data = yaml.safe_load((site / "content" / "catalog" / f"{slug}.yaml").read_text(encoding="utf-8"))
        assert data["领域"] == domain and data["公开主体"] == "青禾区人民政府"
    total = sum(len(leaves(yaml.safe_load(p.read_text(encoding="utf-8"))))
                for p in (site / "content" / "catalog").glob("*.yaml"))
    capsys.readouterr()
    assert run("check", "--site", str(site), "--today", DAY, "--format", "json") == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    # what a new site should see: columns with nothing in them yet, and last year's annual report to write
    assert {f["kind"] for f in found} == {"empty_leaf", "annual_late"}
    empty = {f["subject"] for f in found if f["kind"] == "empty_leaf"}
    assert len(empty) == total - 1 and "财政预决算/惠民惠农财政补贴/补贴政策清单" not in empty  # the starter item's
    assert "机构信息/领导信息/负责人及分工" in empty and "公务员招考/考试录用/录用结果" in empty


def test_the_demo_base_catalogue_is_the_starters() -> None:
    for slug in BASE:
        starter = fill((STARTER_CATALOG / f"{slug}.yaml").read_text(encoding="utf-8"),
                       {"government": "青禾区人民政府"})
        demo = (REPO / "content" / "catalog" / f"{slug}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(demo) == yaml.safe_load(starter), slug


def test_every_demo_base_column_has_an_item_and_no_warning() -> None:
    site = load_site(REPO, TODAY)
    base_leaves = [leaf for leaf in site.catalog.leaves if Path(leaf.source).stem in BASE]
    assert len(base_leaves) == 23
    published = {id(i.leaf) for i in site.published}
    assert all(id(leaf) in published for leaf in base_leaves), [
        leaf.path for leaf in base_leaves if id(leaf) not in published]
    base_files = {leaf.source for leaf in base_leaves}
    base_items = {i.source for i in site.items if i.leaf.source in base_files}
    report = check_site(site)
    about = [f for f in report.findings if f.file in base_files | base_items]
    # the 公示 of 录用结果 is over (a hint, as for the demo's other ended 公示); nothing else
    assert [(f.kind, Path(f.file).name) for f in about] == [("notice_ended", "2026-07-luyong-gongshi.md")]


ORG_KEYS = '''functions = "负责全区社会救助和养老服务工作。"
leaders = ["局长 甲某某 主持全面工作", "副局长 乙某某 负责社会救助"]
hours = "工作日 8:30—12:00、14:00—17:30"
departments = ["办公室 负责机关日常运转", "社会救助股 负责低保和临时救助"]
'''


def _mini_with_org_keys(root: Path, keys: str) -> Path:
    site = root / "site"
    (site / "content" / "catalog").mkdir(parents=True)
    marker = 'phone = "0871-60000002"\n'
    assert marker in MINI_TOML
    (site / "site.toml").write_text(MINI_TOML.replace(marker, marker + keys), encoding="utf-8")
    (site / "content" / "catalog" / "jigou.yaml").write_text(
        fill((STARTER_CATALOG / "jigou.yaml").read_text(encoding="utf-8"), {"government": "测试区人民政府"}),
        encoding="utf-8")
    return site


def test_org_page_shows_its_functions_leaders_hours_and_departments(tmp_path: Path) -> None:
    site = _mini_with_org_keys(tmp_path, ORG_KEYS)
    assert run("build", "--site", str(site), "--no-search", "--today", DAY) == 0
    page = (site / "public" / "org" / "11530000MB00000025" / "index.html").read_text(encoding="utf-8")
    assert "<h2 id=\"org-info-h\">机构信息</h2>" in page
    for text in ("<h3>机关职能</h3>", "负责全区社会救助和养老服务工作。", "<h3>负责人</h3>",
                 "<li>局长 甲某某 主持全面工作</li>", "<li>副局长 乙某某 负责社会救助</li>",
                 "<dt>办公时间</dt><dd>工作日 8:30—12:00、14:00—17:30</dd>", "<h3>内设机构</h3>",
                 "<li>办公室 负责机关日常运转</li>", "<li>社会救助股 负责低保和临时救助</li>"):
        assert text in page, text
    gov = (site / "public" / "org" / "11530000MB00000012" / "index.html").read_text(encoding="utf-8")
    assert "机构信息" not in gov and "<dt>办公时间</dt>" not in gov  # nothing written, nothing shown


def test_org_keys_of_the_wrong_type_are_reported_at_their_line(tmp_path: Path) -> None:
    site = _mini_with_org_keys(tmp_path, 'leaders = "局长 甲某某"\n')
    errors = ErrorList(root=site)
    load_config(site, errors)
    text = (site / "site.toml").read_text(encoding="utf-8")
    line = text.splitlines().index('leaders = "局长 甲某某"') + 1
    report = errors.report()
    assert errors and "leaders" in report and f"site.toml:{line}" in report, report


def test_every_demo_org_has_its_organization_facts() -> None:
    errors = ErrorList(root=REPO)
    cfg = load_config(REPO, errors)
    assert cfg is not None and not errors
    for org in cfg.orgs:
        assert org.functions and org.leaders and org.hours and org.departments, org.name
