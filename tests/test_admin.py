"""`gkpub admin`: the Decap CMS configuration generated from the schema, and the form driven in
real Chromium against the local backend (decap-server)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from gkpub.authoring.new_item import item_path
from gkpub.content.catalog import load_catalog
from gkpub.content.config import SiteConfig, load_config
from gkpub.content.model import Catalog
from gkpub.content.schema import ATTRIBUTES, FIELDS, STAGES
from gkpub.content.vocab import FIXED_VOCABS
from gkpub.util.errors import ErrorList
from tests.conftest import run

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-12-03"

# What a clerk must get for each kind of front-matter value (independent of the generator's table).
KIND_WIDGETS = {"str": "string", "text": "text", "date": "datetime", "time": "string", "list": "list",
                "bool": "boolean", "int": "number", "number": "number", "period": "object",
                "attachments": "list"}


def copy_demo(dest: Path) -> Path:
    site = dest / "site"
    site.mkdir()
    for name in ("site.toml", "content", "layouts", "data"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, site / name)
        elif src.exists():
            shutil.copy(src, site / name)
    return site


def _site(site: Path) -> tuple[SiteConfig, Catalog]:
    errors = ErrorList(root=site)
    cfg = load_config(site, errors)
    assert cfg is not None and not errors, errors.report()
    return cfg, load_catalog(site, cfg, errors)


@pytest.fixture(scope="module")
def demo_admin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    site = copy_demo(tmp_path_factory.mktemp("admin"))
    assert run("admin", "--site", str(site), "--today", TODAY) == 0
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    return site, config


def _collections(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in config["collections"]}


def test_every_schema_field_has_its_widget(demo_admin: tuple[Path, dict[str, Any]]) -> None:
    site, config = demo_admin
    cfg, catalog = _site(site)
    cols = _collections(config)
    assert set(cols) == {d.slug for d in catalog.domains} | {"all_items"}
    for domain in catalog.domains:
        col = cols[domain.slug]
        fields = {f["name"]: f for f in col["fields"]}
        assert list(fields) == [f.key for f in FIELDS] + ["body"]
        for fld in FIELDS:
            got = fields[fld.key]
            assert got["label"] == fld.key and got["hint"].startswith(fld.doc)
            assert got["required"] is (fld.required or (fld.gate and not fld.inherit)), fld.key
            if fld.key in ("解读", "意见反馈"):
                assert got["widget"] == "relation" and got["collection"] == "all_items"
                assert got["value_field"] == "索引号" and "标题" in got["search_fields"]
            elif fld.key == "目录":
                assert got["widget"] == "select"
            elif fld.vocab:
                assert got["widget"] == "select", fld.key
                values = [o["value"] if isinstance(o, dict) else o for o in got["options"]]
                # orgs: the official names (the vocabulary also takes the short ones)
                expected = [o.name for o in cfg.orgs] if fld.vocab == "orgs" else list(cfg.vocabulary(fld.vocab))
                assert values == expected, fld.key
                assert got.get("multiple", False) is (fld.kind == "list"), fld.key
            else:
                assert got["widget"] == KIND_WIDGETS[fld.kind], fld.key
            if fld.kind == "date":
                assert got["format"] == got["date_format"] == "YYYY-MM-DD" and got["time_format"] is False
                assert ("default" in got) is (not fld.required), fld.key  # optional dates start empty
            if fld.inherit:  # a value written by the form would hide what the leaf says
                assert "default" not in got and not got["required"], fld.key
        assert fields["body"]["widget"] == "markdown"


def test_catalogue_organizations_and_vocabularies(demo_admin: tuple[Path, dict[str, Any]]) -> None:
    site, config = demo_admin
    cfg, catalog = _site(site)
    cols = _collections(config)
    yanglao = next(d for d in catalog.domains if d.slug == "yanglao")
    fields = {f["name"]: f for f in cols["yanglao"]["fields"]}
    options = fields["目录"]["options"]
    assert [o["value"] for o in options] == [leaf.path for leaf in yanglao.leaves]
    for option, leaf in zip(options, yanglao.leaves, strict=True):
        assert option["label"] == f"养老服务 › {leaf.matter.name} › {leaf.name}（{leaf.stage}）"
        assert leaf.stage in STAGES
    assert [o["value"] for o in fields["公开主体"]["options"]] == [o.name for o in cfg.orgs]
    assert "青禾区民政局（区民政局）" in [o["label"] for o in fields["公开主体"]["options"]]
    assert fields["公开属性"]["options"] == list(ATTRIBUTES) and fields["公开属性"]["default"] == "主动公开"
    assert "删减说明" in fields["公开属性"]["hint"] and "必填" in fields["删减说明"]["hint"]
    assert fields["草稿"]["default"] is False and fields["草稿"]["required"] is True
    assert "default" not in fields["公开方式"] and fields["公开方式"]["required"] is False
    assert fields["过程"]["options"] == list(FIXED_VOCABS["stages"])
    # the body hint names the leaves' 要素
    assert "发放名单：姓名（脱敏）、年龄段" in fields["body"]["hint"]
    # the next free 索引号 of each org is in the hint
    assert "区民政局 11539901MB00002030/2026-" in fields["索引号"]["hint"]


def test_patterns_are_the_validators(demo_admin: tuple[Path, dict[str, Any]]) -> None:
    _, config = demo_admin
    fields = {f["name"]: f for f in _collections(config)["jiuye"]["fields"]}
    doc_no = re.compile(fields["文号"]["pattern"][0])
    assert doc_no.match("青民发〔2026〕5号") and not doc_no.match("青民发[2026]5号")
    assert not doc_no.match("青民发（2026）5号")
    assert "〔" in fields["文号"]["pattern"][1] and "青民发〔2026〕5号" in fields["文号"]["hint"]
    index_no = re.compile(fields["索引号"]["pattern"][0])
    assert index_no.match("11539901MB00002030/2026-00012") and not index_no.match("11539901MB00002030/2026-12")
    time_re = re.compile(fields["发布时间"]["pattern"][0])
    assert time_re.match("09:30") and not time_re.match("9点30")


def test_collections_write_where_new_item_does(demo_admin: tuple[Path, dict[str, Any]]) -> None:
    site, config = demo_admin
    _, catalog = _site(site)
    cols = _collections(config)
    for leaf in catalog.leaves:
        expected = item_path(site, leaf, "11539901MB00002030/2026-00001").parent
        col = cols[leaf.domain.slug]
        assert site / col["folder"] == expected
        assert col["create"] is True and col["delete"] is True and col["format"] == "frontmatter"
        # uploads go into the item's own folder, written relative to the item (as 附件 wants)
        assert col["media_folder"] == col["public_folder"] == "files"
        attach = {f["name"]: f for f in next(f for f in col["fields"] if f["name"] == "附件")["fields"]}
        assert attach["文件"]["widget"] == "file" and attach["名称"]["widget"] == "string"
    hidden = cols["all_items"]
    assert hidden["hide"] is True and hidden["folder"] == "content/items" and hidden["create"] is False
    assert hidden["path"].count("/") == 1  # lists the files one folder below content/items


def test_admin_page_loads_nothing_from_elsewhere(demo_admin: tuple[Path, dict[str, Any]]) -> None:
    site, config = demo_admin
    assert config["locale"] == "zh_Hans"
    assert config["local_backend"]["url"].startswith("http://localhost:")
    assert config["backend"]["name"] == "proxy"  # no [admin]: only the local backend
    admin = site / "admin"
    html = (admin / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == ["decap-cms.js", "gkpub-admin.js"]
    assert "http" not in html and "noindex" in html
    bundle = REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
    assert (admin / "decap-cms.js").read_bytes() == bundle.read_bytes()
    chunks = sorted(p.name for p in bundle.parent.glob("*.decap-cms.js"))
    assert chunks and sorted(p.name for p in admin.glob("*.decap-cms.js")) == chunks
    assert not list(admin.glob("*.map"))
    js = (admin / "gkpub-admin.js").read_text(encoding="utf-8")
    assert "preSave" in js and "## 姓名（脱敏）" in js


def test_config_is_deterministic(demo_admin: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    site, _ = demo_admin
    assert run("admin", "--site", str(site), "--today", TODAY, "--out", str(tmp_path / "a")) == 0
    first = (tmp_path / "a" / "config.yml").read_bytes()
    assert first == (site / "admin" / "config.yml").read_bytes()


def test_never_written_into_the_built_site(demo_admin: tuple[Path, dict[str, Any]],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    site, _ = demo_admin
    assert run("admin", "--site", str(site), "--today", TODAY, "--out", str(site / "public" / "admin")) == 2
    assert "不能把表单编辑写进生成的网站" in capsys.readouterr().err
    assert not (site / "public").exists()
    ignore = REPO / "gkpub" / "authoring" / "starter" / ".gitignore"  # what `gkpub new site` writes
    assert "/admin/" in ignore.read_text(encoding="utf-8").splitlines()


def test_git_hosting_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_demo(tmp_path)
    toml = site / "site.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(base + '\n[admin]\nbackend = "gitlab"\nrepo = "qinghe/zwgk"\n'
                    'base_url = "https://git.qinghe.example.gov.cn"\n'
                    'api_root = "https://git.qinghe.example.gov.cn/api/v4"\napp_id = "abc123"\n',
                    encoding="utf-8")
    assert run("admin", "--site", str(site), "--today", TODAY) == 0
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "gitlab", "repo": "qinghe/zwgk", "branch": "main",
                                 "base_url": "https://git.qinghe.example.gov.cn",
                                 "api_root": "https://git.qinghe.example.gov.cn/api/v4",
                                 "app_id": "abc123", "auth_type": "pkce"}
    lines = base.count("\n") + 1
    toml.write_text(base + '\n[admin]\nbackend = "gitee"\n', encoding="utf-8")
    assert run("admin", "--site", str(site), "--today", TODAY) == 1
    err = capsys.readouterr().err
    assert f"site.toml:{lines + 2}" in err and "gitlab、gitea" in err
    toml.write_text(base + '\n[admin]\nbackend = "gitea"\n', encoding="utf-8")
    assert run("admin", "--site", str(site), "--today", TODAY) == 1
    err = capsys.readouterr().err
    assert f"site.toml:{lines + 2}" in err and "admin.repo" in err and "repo = " in err


def test_today_decides_the_next_numbers(tmp_path: Path) -> None:
    site = copy_demo(tmp_path)
    assert run("admin", "--site", str(site), "--today", "2031-01-05") == 0
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    hint = next(f for f in config["collections"][0]["fields"] if f["name"] == "索引号")["hint"]
    assert "区民政局 11539901MB00002030/2031-00001" in hint
    assert dt.date.fromisoformat(TODAY).year == 2026
