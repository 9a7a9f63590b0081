"""`gkpub admin`: a Decap CMS admin whose form is generated from the front-matter schema.

The configuration comes from three sources and nothing else: ``schema.FIELDS`` (one form field
per key, its widget chosen by the key's kind in ``WIDGETS``), the catalogue (a collection per
domain folder, where `gkpub new item` writes, with a select of that domain's leaves) and
site.toml (the organizations, the vocabularies and the ``[admin]`` backend). The CMS itself is
Decap's prebuilt bundle from npm (package.json pins it), copied next to the configuration, so
the admin loads nothing from another host.

The admin is written beside the site (``admin/`` in the site folder by default), never into the
built site: the public portal does not carry an editor.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gkpub.authoring.new_item import next_index_nos
from gkpub.content.catalog import load_catalog
from gkpub.content.config import SiteConfig, load_config
from gkpub.content.elements import DOC_NO_RE, INDEX_NO_RE, TIME_RE
from gkpub.content.model import Catalog, Domain, Leaf
from gkpub.content.schema import FIELDS, Field
from gkpub.content.siteschema import Lines
from gkpub.content.vocab import FIXED_VOCABS
from gkpub.store.outguard import output_holding
from gkpub.util.errors import BuildFailed, ErrorList, UsageError

BODY = "body"  # Decap's name for the Markdown body of a front-matter file
ALL_ITEMS = "all_items"  # the hidden collection over every domain folder: what 解读 may point to
DATE_FORMAT = "YYYY-MM-DD"
CONFIG_HEAD = "# 由 gkpub admin"  # the first line of every config.yml it writes
DEFAULT_PORT = 8080  # `gkpub admin --local`: the admin page; decap-server listens on the next port

# The files of Decap's dist/ folder the admin needs: the bundle, the chunks it loads on demand
# (same folder, by relative URL), its WebAssembly module and the licence notice. Not the
# source maps nor the second copy named cms.js.
_BUNDLE = "decap-cms.js"


@dataclass(frozen=True)
class AdminSettings:
    """site.toml [admin] (validated by siteschema); empty backend: the local backend only."""

    backend: str = ""
    repo: str = ""
    branch: str = "main"
    base_url: str = ""
    api_root: str = ""
    app_id: str = ""


# -- widgets --------------------------------------------------------------------------------

def _pattern(regex: str, message: str) -> list[str]:
    """A Decap ``pattern`` from one of the validator's regexes (Python and JavaScript read
    these the same way: anchors, classes and counted repeats only)."""
    return [regex, message]


def _date(fld: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT,
                           "time_format": False}
    if not fld.required:
        out["default"] = ""  # an optional date starts empty, not today
    return out


def _select(options: list[Any], multiple: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"widget": "select", "options": options}
    if multiple:
        out["multiple"] = True
    return out


def _vocab_widget(fld: Field, cfg: SiteConfig) -> dict[str, Any]:
    if fld.vocab == "orgs":
        options: list[Any] = [{"label": o.name if o.short in ("", o.name) else f"{o.name}（{o.short}）",
                               "value": o.name} for o in cfg.orgs]
    else:
        options = list(FIXED_VOCABS.get(fld.vocab or "") or cfg.vocabulary(fld.vocab or ""))
    return _select(options, multiple=fld.kind == "list")


def _str(fld: Field) -> dict[str, Any]:
    return {"widget": "string"}


def _attachments(fld: Field) -> dict[str, Any]:
    return {"widget": "list", "summary": "{{fields.名称}} {{fields.文件}}", "fields": [
        {"label": "名称", "name": "名称", "widget": "string", "required": False,
         "hint": "页面上显示的附件名称；省略时用文件名"},
        {"label": "文件", "name": "文件", "widget": "file", "choose_url": False,
         "hint": "上传到本篇所在目录的 files/ 文件夹"},
    ]}


def _period(fld: Field) -> dict[str, Any]:
    return {"widget": "object", "collapsed": False, "fields": [
        {"label": "开始", "name": "开始", "required": False, **_date(Field("开始", "date", ""))},
        {"label": "结束", "name": "结束", "required": False, **_date(Field("结束", "date", ""))},
    ]}


# The widget of each front-matter kind (schema.Field.kind). A new kind needs a line here:
# tests/test_admin.py checks that every field of the schema gets its widget.
WIDGETS: dict[str, Callable[[Field], dict[str, Any]]] = {
    "str": _str,
    "text": lambda f: {"widget": "text"},
    "date": _date,
    "time": lambda f: {"widget": "string", "pattern": _pattern(TIME_RE.pattern, "请写作 HH:MM，如 09:30")},
    "list": lambda f: {"widget": "list"},
    "bool": lambda f: {"widget": "boolean"},
    "int": lambda f: {"widget": "number", "value_type": "int", "min": 0},
    "number": lambda f: {"widget": "number", "value_type": "float", "min": 0},
    "period": _period,
    "attachments": _attachments,
}

# Keys that point to another item by its 索引号.
RELATIONS = ("解读", "意见反馈")


def _relation() -> dict[str, Any]:
    return {"widget": "relation", "collection": ALL_ITEMS, "value_field": "索引号",
            "search_fields": ["标题", "索引号", "文号"], "display_fields": ["标题", "索引号"]}


def leaf_label(leaf: Leaf) -> str:
    """What the 目录 select shows: 领域 › 事项 › 公开内容 and the stage."""
    stage = f"（{leaf.stage}）" if leaf.stage else ""
    return f"{leaf.domain.name} › {leaf.matter.name} › {leaf.name}{stage}"


def leaf_headings(leaf: Leaf) -> str:
    """The leaf's 要素 as the body's headings (what the body of such an item should cover)."""
    return "".join(f"## {e}\n\n" for e in _elements(leaf))


def _elements(leaf: Leaf) -> list[str]:
    value = leaf.elements.get("要素") or []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _hint(fld: Field, cfg: SiteConfig, next_numbers: dict[str, str]) -> str:
    hint = fld.doc
    if fld.inherit:
        hint += "。不填时从目录继承"
    if fld.key == "索引号":
        hint += "。各机关的下一个空号：" + "；".join(f"{o.short or o.name} {next_numbers[o.name]}" for o in cfg.orgs)
    if fld.key == "删减说明":
        hint += "（公开属性选「删减后公开」时必填，否则检查不通过）"
    if fld.key == "公开属性":
        hint += "。不选时按主动公开；选「删减后公开」时必须填写下面的「删减说明」"
    return hint


def form_field(fld: Field, cfg: SiteConfig, leaves: list[Leaf], next_numbers: dict[str, str]) -> dict[str, Any]:
    """The Decap field for one schema field, within the collection whose leaves are ``leaves``."""
    out: dict[str, Any] = {"label": fld.key, "name": fld.key}
    if fld.key == "目录":
        out.update(_select([{"label": leaf_label(leaf), "value": leaf.path} for leaf in leaves]))
    elif fld.key in RELATIONS:
        out.update(_relation())
    elif fld.vocab:
        out.update(_vocab_widget(fld, cfg))
    else:
        out.update(WIDGETS[fld.kind](fld))
    if fld.key == "文号":
        out["pattern"] = _pattern(DOC_NO_RE.pattern,
                                  "文号写作 机关代字〔年份〕序号号，如 青民发〔2026〕5号（六角括号〔〕）")
    if fld.key == "索引号":
        out["pattern"] = _pattern(INDEX_NO_RE.pattern,
                                  "索引号写作 机构代码/年份-五位序号，如 11539901MB00002030/2026-00012")
    # A new item shows a gate field's default (公开属性 主动公开, 草稿 false) so that it is written;
    # not one a leaf may supply (公开方式): a value the form wrote would hide the leaf's 依申请公开.
    # Not required: an existing item that leaves the key out (the default) must still save, and a
    # choice cleared is left out of the file (gkpub-admin.js), which is what the default means.
    out["required"] = fld.required
    if fld.gate and not fld.inherit and fld.default is not None:
        out["default"] = fld.default
    out["hint"] = _hint(fld, cfg, next_numbers)
    return out


def _body(domain: Domain) -> dict[str, Any]:
    parts = [f"{leaf.name}：{'、'.join(_elements(leaf))}" for leaf in domain.leaves if _elements(leaf)]
    hint = ("正文用 Markdown 书写，每个公开内容要素写一个小标题（## 要素）；正文留空保存时，"
            "自动填入所选目录条目的要素作为小标题，再打开修改即可。")
    if parts:
        hint += "本领域各条目的要素——" + "；".join(parts)
    return {"label": "正文", "name": BODY, "widget": "markdown", "required": False, "hint": hint}


def items_folder(domain: Domain) -> str:
    """The folder `gkpub new item` writes this domain's items into (new_item.item_path)."""
    return f"content/items/{domain.slug}"


def _collection(domain: Domain, cfg: SiteConfig, next_numbers: dict[str, str]) -> dict[str, Any]:
    leaves = domain.leaves
    return {
        "name": domain.slug, "label": domain.name, "label_singular": f"{domain.name}信息",
        "folder": items_folder(domain), "extension": "md", "format": "frontmatter",
        "create": True, "delete": True, "identifier_field": "标题",
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
        "summary": "{{fields.发布日期}} {{fields.标题}}",
        "sortable_fields": ["发布日期", "标题"],
        "media_folder": "files", "public_folder": "files",
        "description": f"{domain.name}领域的公开信息（保存在 {items_folder(domain)}/）",
        "fields": [form_field(f, cfg, leaves, next_numbers) for f in FIELDS] + [_body(domain)],
    }


def _all_items() -> dict[str, Any]:
    """Every item of every domain folder, for the relation widgets; hidden in the sidebar.
    The path's two levels make Decap list the files one folder below content/items."""
    return {"name": ALL_ITEMS, "label": "全部信息", "folder": "content/items", "extension": "md",
            "format": "frontmatter", "create": False, "delete": False, "hide": True,
            "path": "{{domain}}/{{slug}}", "identifier_field": "标题",
            "fields": [{"label": k, "name": k, "widget": "string"} for k in ("标题", "索引号", "文号")]}


def backend_config(settings: AdminSettings, local_port: int) -> dict[str, Any]:
    if not settings.backend:
        # No hosting configured: the proxy to decap-server on this PC (what local_backend does too).
        return {"name": "proxy", "proxy_url": f"http://localhost:{local_port}/api/v1", "branch": settings.branch}
    out: dict[str, Any] = {"name": settings.backend, "repo": settings.repo, "branch": settings.branch}
    if settings.base_url:
        out["base_url"] = settings.base_url
    if settings.api_root:
        out["api_root"] = settings.api_root
    if settings.app_id:
        out["app_id"] = settings.app_id
        if settings.backend == "gitlab":
            out["auth_type"] = "pkce"
    return out


def admin_config(cfg: SiteConfig, catalog: Catalog, settings: AdminSettings, next_numbers: dict[str, str],
                 local_port: int = DEFAULT_PORT + 1) -> dict[str, Any]:
    """The whole Decap configuration (config.yml) as data."""
    return {
        "backend": backend_config(settings, local_port),
        "local_backend": {"url": f"http://localhost:{local_port}/api/v1",
                          "allowed_hosts": ["localhost", "127.0.0.1"]},
        "locale": "zh_Hans",
        "site_url": cfg.base_url,
        "display_url": cfg.base_url,
        "media_folder": "content/files",
        "public_folder": "/files",
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "collections": [_collection(d, cfg, next_numbers) for d in catalog.domains] + [_all_items()],
    }


def config_yaml(config: dict[str, Any]) -> str:
    head = (f"{CONFIG_HEAD} 根据 schema.py、标准目录和 site.toml 生成，请勿手工修改：\n"
            "# 改了目录或 site.toml 后重新运行 gkpub admin。\n")
    return head + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


# -- the page -------------------------------------------------------------------------------

INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>{title} · 表单编辑</title>
</head>
<body>
<script src="decap-cms.js"></script>
<script src="gkpub-admin.js"></script>
</body>
</html>
"""

# Registered after the bundle, before Decap starts (it starts once the page has loaded):
# optional fields left empty are removed before saving, so that the file carries no
# `文号: ""` or `有效期至: ""` (which gkpub would read as a value, not as left out); an
# empty body gets the chosen leaf's 要素 as headings. 删减后公开 without a 删减说明 is not saved
# (Decap has no fields shown on a condition: the check that gkpub check makes, made at once).
ADMIN_JS = """/* 由 gkpub admin 生成，请勿手工修改 */
(function () {
  "use strict";
  var HEADINGS = %s;
  var KEEP = %s;
  function empty(v) {
    if (v === null || v === undefined || v === "") return true;
    return typeof v.size === "number" && typeof v.map === "function" && v.size === 0;
  }
  function clean(v) {  // Immutable Map or List (a 公示期, 附件 and their entries): cleaned inside
    if (v && typeof v.map === "function" && typeof v.filter === "function") {
      return v.map(clean).filter(function (x) { return !empty(x); });
    }
    return v;
  }
  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var data = args.entry.get("data").map(clean).filter(function (v, k) {
        return KEEP.indexOf(k) >= 0 || !empty(v);
      });
      if (data.get("公开属性") === "删减后公开" && empty(data.get("删减说明"))) {
        throw new Error("公开属性为「删减后公开」时必须填写「删减说明」：删去了什么、依据哪条。请填写后再保存。");
      }
      var body = data.get("body");
      var leaf = data.get("目录");
      if ((!body || !String(body).trim()) && HEADINGS[leaf]) data = data.set("body", HEADINGS[leaf]);
      return data;
    }
  });
})();
"""


def admin_js(catalog: Catalog) -> str:
    headings = {leaf.path: leaf_headings(leaf) for leaf in catalog.leaves if _elements(leaf)}
    keep = [f.key for f in FIELDS if f.required or f.gate]
    return ADMIN_JS % (json.dumps(headings, ensure_ascii=False, sort_keys=True),
                       json.dumps(keep, ensure_ascii=False))


# -- where things are -----------------------------------------------------------------------

ENGINE_ROOT = Path(__file__).resolve().parents[2]
NPM_VERSIONS = {"decap-cms": "3.16.3", "decap-server": "3.11.3"}  # pinned in package.json as well


def _node_package(site_dir: Path, name: str) -> Path:
    for root in (site_dir, ENGINE_ROOT):
        path = root / "node_modules" / name
        if (path / "package.json").is_file():
            return path
    raise UsageError(f"找不到 npm 包 {name}：请在 gkpub 目录运行 scripts/setup.sh（或 npm ci），"
                     f"或在站点目录运行 npm install --save-exact {name}@{NPM_VERSIONS[name]}")


def decap_dist(site_dir: Path) -> Path:
    dist = _node_package(site_dir, "decap-cms") / "dist"
    if not (dist / _BUNDLE).is_file():
        raise UsageError(f"npm 包 decap-cms 不完整：缺少 {dist / _BUNDLE}；请重新运行 npm ci")
    return dist


def decap_server(site_dir: Path) -> Path:
    path = _node_package(site_dir, "decap-server") / "dist" / "index.js"
    if not path.is_file():
        raise UsageError(f"npm 包 decap-server 不完整：缺少 {path}；请重新运行 npm ci")
    return path


def bundle_files(dist: Path) -> list[Path]:
    """The files of Decap's dist/ folder the admin serves, in a stable order."""
    names = sorted(os.listdir(dist))
    return [dist / n for n in names
            if n == _BUNDLE or n.endswith("." + _BUNDLE) or n.endswith(".wasm") or n == _BUNDLE + ".LICENSE.txt"]


def load_settings(cfg: SiteConfig, errors: ErrorList) -> AdminSettings:
    raw = cfg.raw.get("admin") or {}
    settings = AdminSettings(**{k: raw[k] for k in AdminSettings.__dataclass_fields__ if k in raw})
    if settings.backend and not settings.repo.strip():
        text = (cfg.root / "site.toml").read_text(encoding="utf-8")
        errors.add("site.toml", Lines(text).key_line("admin", 0, "backend"), "admin.repo",
                   f"写了 backend = \"{settings.backend}\" 就要写仓库 repo，如 repo = \"qinghe/zwgk\"")
    return settings


def default_out(site_dir: Path) -> Path:
    return site_dir / "admin"


def _check_out(out: Path, site_dir: Path) -> None:
    """The admin never goes into a built site (public/, preview/ or any gkpub output)."""
    if output_holding(out, site_dir) is not None:
        raise UsageError(f"不能把表单编辑写进生成的网站（{out}）：公开的网站不带编辑器；"
                         "请用默认的 站点目录/admin，或另选一个目录")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} 是一个文件，不是目录")
    if out.is_dir() and any(out.iterdir()) and not _ours(out / "config.yml"):
        raise UsageError(f"目录 {out} 已有别的文件；请另选一个空目录或用默认的 站点目录/admin")


def _ours(config: Path) -> bool:
    """Was this folder written by `gkpub admin` (so that its other files may be replaced)?"""
    try:
        with config.open(encoding="utf-8") as f:
            return f.readline().startswith(CONFIG_HEAD)
    except (OSError, UnicodeDecodeError):
        return False


def write_admin(site_dir: Path, today: dt.date, out: Path | None = None, local_port: int = DEFAULT_PORT + 1) -> Path:
    """Write the admin (index.html, config.yml, gkpub-admin.js, the CMS bundle) into ``out``."""
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if cfg is None or errors:
        raise BuildFailed(errors)
    catalog = load_catalog(site_dir, cfg, errors)
    settings = load_settings(cfg, errors)
    if errors:
        raise BuildFailed(errors)
    out = (out or default_out(site_dir)).resolve()
    _check_out(out, site_dir.resolve())
    dist = decap_dist(site_dir)
    by_code = next_index_nos(site_dir, [o.code for o in cfg.orgs], today.year)
    next_numbers = {o.name: by_code[o.code] for o in cfg.orgs}
    config = admin_config(cfg, catalog, settings, next_numbers, local_port)
    out.mkdir(parents=True, exist_ok=True)
    wanted = {"index.html", "config.yml", "gkpub-admin.js"} | {p.name for p in bundle_files(dist)}
    for old in out.iterdir():  # a bundle of another Decap version leaves no stale chunks behind
        if old.is_file() and old.name not in wanted:
            old.unlink()
    (out / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    (out / "gkpub-admin.js").write_text(admin_js(catalog), encoding="utf-8")
    (out / "index.html").write_text(INDEX_HTML.format(title=_html(cfg.title)), encoding="utf-8")
    for src in bundle_files(dist):
        dest = out / src.name
        if not dest.is_file() or dest.stat().st_size != src.stat().st_size:
            shutil.copyfile(src, dest)
    return out


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
