"""`gkpub admin`: the Decap CMS configuration generated from the schema, and the form driven in
real Chromium against the local backend (decap-server)."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import browser
from conftest import run

from gkpub.authoring import admin
from gkpub.authoring.admin import leaf_label
from gkpub.authoring.new_item import item_path, next_index_no
from gkpub.content.catalog import load_catalog
from gkpub.content.config import SiteConfig, load_config
from gkpub.content.model import Catalog
from gkpub.content.schema import ATTRIBUTES, FIELDS, STAGES
from gkpub.content.vocab import FIXED_VOCABS
from gkpub.util.errors import ErrorList, UsageError

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
            assert got["required"] is fld.required, fld.key  # existing items without the key still save
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
    assert fields["草稿"]["default"] is False
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


def test_the_install_hint_pins_what_package_json_pins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed gkpub has no node_modules beside it (the engine root of a wheel is
    site-packages): the site is told to install the versions the engine was tested with."""
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert {name: pinned[name] for name in admin.NPM_VERSIONS} == admin.NPM_VERSIONS
    monkeypatch.setattr(admin, "ENGINE_ROOT", tmp_path / "site-packages")
    with pytest.raises(UsageError) as exc:
        admin.decap_dist(tmp_path)
    assert f"npm install --save-exact decap-cms@{admin.NPM_VERSIONS['decap-cms']}" in str(exc.value)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert " ".join(f"{n}@{v}" for n, v in admin.NPM_VERSIONS.items()) in readme


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


# ---------------------------------------------------------------- the form in Chromium

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@contextlib.contextmanager
def local_admin(site: Path) -> Iterator[str]:
    """`gkpub admin --local --port 0` as a clerk starts it; yields the admin URL; stops it with
    Ctrl-C (SIGINT) and checks that decap-server went with it."""
    proc = subprocess.Popen([sys.executable, "-m", "gkpub", "admin", "--local", "--port", "0", "--site", str(site),
                             "--today", TODAY], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=site)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the first line comes once both servers listen
        m = re.search(r"表单编辑：(http://localhost:(\d+)/admin/)", line)
        assert m, line + proc.stderr.read() if proc.poll() is not None else line
        config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
        api = urllib.parse.urlsplit(config["local_backend"]["url"])
        assert api.port and api.port != int(m.group(2))
        yield m.group(1)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "已停止" in out
    with socket.socket() as s:  # decap-server stopped too: its port is free again
        assert s.connect_ex(("127.0.0.1", api.port)) != 0


def _item_page(site: Path, index_no: str) -> str:
    assert run("build", "--site", str(site), "--today", TODAY, "--no-search") == 0
    return (site / "public" / "xxgk" / index_no / "index.html").read_text(encoding="utf-8")


def _split(path: Path) -> tuple[dict[str, Any], str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def _new(page: Any, url: str, collection: str, label: str) -> None:
    """Open a new entry's form, from the collection's list (so no other form is still shown)."""
    page.goto(url + f"#/collections/{collection}")
    page.get_by_role("link", name=f"{label}信息").click()
    page.get_by_text(f"正在集合“{label}”中编写").wait_for()


def _save(page: Any) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.get_by_text("含未保存的修改").wait_for(state="detached")


@pytest.mark.browser
def test_create_edit_delete_in_chromium(tmp_path: Path) -> None:
    site = copy_demo(tmp_path)
    pdf = tmp_path / "发放名单.pdf"
    pdf.write_bytes(PDF)
    cfg, _ = _site(site)
    org = cfg.org_by_name("区民政局")
    assert org is not None
    index_no = next_index_no(site, org.code, 2026)
    folder = site / "content" / "items" / "yanglao"
    before = set(folder.glob("*.md"))
    title = "青禾区2026年第四季度高龄津贴发放名单公示"
    with local_admin(site) as url, browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: d.accept())  # 「确定要删除…？」
        page.goto(url)
        page.get_by_role("button", name="登录").click()
        page.get_by_text("养老服务").first.wait_for()
        assert "集合" in page.inner_text("body")  # the Chinese UI
        _new(page, url, "yanglao", "养老服务")
        page.get_by_label("标题").fill(title)
        page.get_by_label("索引号").fill(index_no)
        page.locator('[id^="目录-field"]').fill("发放名单")
        page.keyboard.press("Enter")
        page.locator('[id^="公开主体-field"]').fill("区民政局")
        page.keyboard.press("Enter")
        page.locator('[id^="成文日期-field"]').fill("2026-11-30")
        page.locator('[id^="发布日期-field"]').fill("2026-12-01")
        page.locator('[id^="开始-field"]').fill("2026-12-01")
        page.locator('[id^="结束-field"]').fill("2026-12-07")
        page.get_by_role("button", name="新增附件").click()
        page.locator('[id^="名称-field"]').fill("高龄津贴发放名单")
        page.get_by_role("button", name="选择文件").click()
        page.locator('input[type="file"]').set_input_files(str(pdf))
        page.get_by_role("button", name="选用已选中项目").click()
        page.locator('[data-slate-editor="true"]').click()
        page.keyboard.type("本季度共有1286名老人领取高龄津贴。")
        _save(page)
        page.screenshot(path=str(tmp_path / "saved.png"))

        created = set(folder.glob("*.md")) - before
        assert len(created) == 1, created
        path = created.pop()
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        assert meta == {"标题": title, "索引号": index_no, "目录": "养老服务/高龄津贴/发放名单",
                        "公开主体": "青禾区民政局", "公开属性": "主动公开",
                        "成文日期": dt.date(2026, 11, 30), "发布日期": dt.date(2026, 12, 1),
                        "公示期": {"开始": dt.date(2026, 12, 1), "结束": dt.date(2026, 12, 7)},
                        "附件": [{"名称": "高龄津贴发放名单", "文件": "files/发放名单.pdf"}], "草稿": False}
        assert text.rstrip().endswith("本季度共有1286名老人领取高龄津贴。")
        assert (folder / "files" / "发放名单.pdf").read_bytes() == PDF
        assert run("check", "--site", str(site), "--today", TODAY) == 0
        html = _item_page(site, index_no)
        for shown in (title, "本季度共有1286名老人领取高龄津贴。", "高龄津贴发放名单", "青禾区民政局", "2026-12-07"):
            assert shown in html, shown
        assert (site / "public" / "files" / "items" / "yanglao" / "files" / "发放名单.pdf").read_bytes() == PDF

        # edit: the entry opens from the list, the body is replaced, the file rewritten in place
        page.goto(url + "#/collections/yanglao")
        page.get_by_text(title).first.click()
        page.locator('[data-slate-editor="true"]').click()
        page.keyboard.press("Control+A")
        page.keyboard.type("本季度共有1290名老人领取高龄津贴。")
        _save(page)
        assert set(folder.glob("*.md")) - before == {path}
        assert path.read_text(encoding="utf-8").rstrip().endswith("本季度共有1290名老人领取高龄津贴。")
        html = _item_page(site, index_no)
        assert "1290名老人" in html and "1286名老人" not in html

        # delete
        page.get_by_role("button", name="删除内容").click()
        page.wait_for_url(re.compile(r"#/collections/yanglao$"))
        assert not path.exists()

        # a body left empty gets the leaf's 要素 as headings
        _, catalog = _site(site)
        leaf = catalog.leaf_by_path()["养老服务/高龄津贴/办事指南"]
        _new(page, url, "yanglao", "养老服务")
        page.get_by_label("标题").fill("青禾区高龄津贴申领指南")
        page.get_by_label("索引号").fill(index_no)
        page.locator('[id^="目录-field"]').fill(leaf_label(leaf))
        page.keyboard.press("Enter")
        page.locator('[id^="成文日期-field"]').fill("2026-12-01")
        page.locator('[id^="发布日期-field"]').fill("2026-12-02")
        _save(page)
        (guide,) = set(folder.glob("*.md")) - before
        body = guide.read_text(encoding="utf-8").split("---\n", 2)[2]
        assert body.split() == [w for e in leaf.elements["要素"] for w in ("##", e)]
        assert run("check", "--site", str(site), "--today", TODAY) == 0

        assert errors == []
        # 解读 chosen among the items of every domain; 删减后公开 is not saved without 删减说明
        jiuye = site / "content" / "items" / "jiuye"
        before_jiuye = set(jiuye.glob("*.md"))
        rsj = cfg.org_by_name("区人社局")
        assert rsj is not None
        jiedu_no = next_index_no(site, rsj.code, 2026)
        policy = "11539901MB00001027/2026-00007"  # 关于印发《青禾区进一步稳就业促创业若干措施》的通知
        _new(page, url, "jiuye", "就业创业")
        page.get_by_label("标题").fill("《若干措施》补充说明的解读")
        page.get_by_label("索引号").fill(jiedu_no)
        page.locator('[id^="目录-field"]').fill(leaf_label(catalog.leaf_by_path()["就业创业/就业创业政策/政策解读"]))
        page.keyboard.press("Enter")
        page.locator('[id^="公开属性-field"]').fill("删减后公开")
        page.keyboard.press("Enter")
        page.locator('[id^="成文日期-field"]').fill("2026-12-01")
        page.locator('[id^="发布日期-field"]').fill("2026-12-01")
        page.locator('[id^="解读-field"]').fill("稳就业促创业若干措施》的通知")
        page.get_by_text(policy).wait_for()
        page.keyboard.press("Enter")
        page.get_by_role("button", name="发布").first.click()
        page.get_by_text("立即发布").click()
        page.get_by_text("必须填写「删减说明」").wait_for()
        assert set(jiuye.glob("*.md")) == before_jiuye
        # Decap shows the refusal and leaves its failed save action unhandled (as for any failed save)
        assert errors == ["Object"]
        errors.clear()
        page.locator('[id^="删减说明-field"]').fill("删去了企业名单，依据条例第十五条")
        _save(page)
        (jiedu,) = set(jiuye.glob("*.md")) - before_jiuye
        meta = yaml.safe_load(jiedu.read_text(encoding="utf-8").split("---\n")[1])
        assert meta["解读"] == policy and meta["删减说明"] == "删去了企业名单，依据条例第十五条"
        assert meta["公开属性"] == "删减后公开" and "公开方式" not in meta  # inherited from the leaf
        assert run("check", "--site", str(site), "--today", TODAY) == 0

        # an existing item (a table in the body, no 公开属性 written) saves with its body untouched
        old = site / "content" / "items" / "caizheng" / "2026-03-butie-qingdan.md"
        old_meta, old_body = _split(old)
        page.goto(url + "#/collections/caizheng")
        page.get_by_text(old_meta["标题"]).first.click()
        page.get_by_label("标题").press("End")
        page.keyboard.type("（修订）")
        _save(page)
        meta, body = _split(old)
        assert body == old_body and "| 序号 | 补贴项目 |" in body
        assert meta == {**old_meta, "标题": old_meta["标题"] + "（修订）"}
        assert run("check", "--site", str(site), "--today", TODAY) == 0
        assert errors == []
    html = _item_page(site, index_no)  # the 索引号 of the deleted item went to the guide
    assert "青禾区高龄津贴申领指南" in html and title not in html and "<h2" in html


def test_refuses_a_folder_it_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_demo(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "config.yml").write_text("backend: {name: git-gateway}\n", encoding="utf-8")
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("admin", "--site", str(site), "--today", TODAY, "--out", str(other)) == 2
    assert "已有别的文件" in capsys.readouterr().err
    assert (other / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert run("admin", "--site", str(site), "--today", TODAY, "--out", str(site)) == 2


def test_local_port_in_use_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_demo(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run("admin", "--local", "--port", str(port - 1), "--site", str(site), "--today", TODAY) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"端口 {port} 已被占用" in err and "--port" in err
