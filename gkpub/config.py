"""Read and validate site.toml into a SiteConfig."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import vocab
from .errors import ErrorList, allowed_list, did_you_mean
from .siteopts import load_calendar, load_privacy_allow
from .workdays import WorkCalendar

ORG_KINDS = ("区政府", "区级部门", "街镇")
ORG_CODE_RE = re.compile(r"^[0-9A-Z]{9,18}$")


@dataclass(frozen=True)
class Org:
    name: str
    short: str
    code: str
    kind: str
    doc_prefix: tuple[str, ...] = ()
    address: str = ""
    phone: str = ""
    supervision_phone: str = ""


@dataclass(frozen=True)
class Township:
    name: str
    org: str
    communities: tuple[str, ...]


@dataclass
class SiteConfig:
    root: Path
    title: str
    subtitle: str
    base_url: str
    site_id: str
    district: str
    city: str
    level: str
    government: str
    icp: str = ""
    address: str = ""
    phone: str = ""
    supervision_phone: str = ""
    page_size: int = 20
    home_latest: int = 6
    orgs: list[Org] = field(default_factory=list)
    townships: list[Township] = field(default_factory=list)
    channels: tuple[str, ...] = vocab.DEFAULT_CHANNELS
    matter_types: tuple[str, ...] = vocab.DEFAULT_MATTER_TYPES
    domains: tuple[str, ...] = vocab.DEFAULT_DOMAINS
    privacy_allow: tuple[str, ...] = ()  # [privacy] allow: numbers that may stand unmasked
    calendar: WorkCalendar = field(default_factory=WorkCalendar)  # built-in tables + [calendar]
    # [limits] / [files]: sizes and attachment types a build accepts (see DEFAULT_ATTACHMENT_TYPES)
    max_item_bytes: int = 2 * 1024 * 1024
    max_attachment_bytes: int = 50 * 1024 * 1024
    attachment_types: tuple[str, ...] = vocab.DEFAULT_ATTACHMENT_TYPES
    raw: dict[str, Any] = field(default_factory=dict)

    # lookups -------------------------------------------------------------
    def org_by_name(self, name: str) -> Org | None:
        for o in self.orgs:
            if name in (o.name, o.short):
                return o
        return None

    def org_by_code(self, code: str) -> Org | None:
        for o in self.orgs:
            if o.code == code:
                return o
        return None

    @property
    def org_names(self) -> list[str]:
        return [o.name for o in self.orgs]

    def vocabulary(self, name: str) -> tuple[str, ...]:
        if name == "orgs":
            return tuple(self.org_names) + tuple(o.short for o in self.orgs)
        if name == "channels":
            return self.channels
        if name == "matter_types":
            return self.matter_types
        return vocab.FIXED_VOCABS[name]

    @property
    def boards(self) -> list[str]:
        return [c for t in self.townships for c in t.communities]

    def url(self, path: str) -> str:
        """Absolute URL on the portal for a site-relative path."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


def _line_of(text: str, key: str, start: int = 0) -> int:
    """Best-effort line of ``key =`` in TOML text (tomllib keeps no positions)."""
    rx = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=', re.M)
    m = rx.search(text, start)
    return text.count("\n", 0, m.start()) + 1 if m else 0


def load_config(site_dir: Path, errors: ErrorList) -> SiteConfig | None:
    path = site_dir / "site.toml"
    rel = "site.toml"
    if not path.is_file():
        errors.add(rel, 0, "", f"找不到站点配置文件 {path}；请在站点目录中创建 site.toml，或用 --site 指定站点目录")
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        errors.add(rel, 0, "", "site.toml 不是 UTF-8 编码；请另存为 UTF-8")
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        errors.add(rel, int(m.group(1)) if m else 0, "", f"TOML 格式错误：{exc}")
        return None

    site = data.get("site")
    if not isinstance(site, dict):
        errors.add(rel, 0, "[site]", "缺少 [site] 段（网站名称、base_url、网站标识码等）")
        return None

    def need(key: str, kind: type = str) -> Any:
        v = site.get(key)
        if v is None:
            errors.add(rel, 0, f"site.{key}", "缺少此项")
            return kind()
        if not isinstance(v, kind):
            errors.add(rel, _line_of(text, key), f"site.{key}", f"类型不对，应为{'文字' if kind is str else '数字'}")
            return kind()
        return v

    known_site = {"title", "subtitle", "base_url", "site_id", "district", "city", "level",
                  "government", "icp", "address", "phone", "supervision_phone", "page_size",
                  "home_latest"}
    for k in site:
        if k not in known_site:
            errors.add(rel, _line_of(text, k), f"site.{k}",
                       f"未知的配置项；{did_you_mean(k, known_site)}可用：{allowed_list(sorted(known_site))}")
    base_url = need("base_url")
    if base_url and not re.match(r"^https?://[^/\s]+(/.*)?$", base_url):
        errors.add(rel, _line_of(text, "base_url"), "site.base_url", "应是 http:// 或 https:// 开头的网址")
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    level = need("level")
    if level and level not in ("市级", "区县级", "街镇级"):
        errors.add(rel, _line_of(text, "level"), "site.level", f"「{level}」不是公开层级；可用：市级、区县级、街镇级")

    cfg = SiteConfig(
        root=site_dir, title=need("title"), subtitle=site.get("subtitle", "政府信息公开"),
        base_url=base_url, site_id=need("site_id"), district=need("district"),
        city=site.get("city", ""), level=level, government=need("government"),
        icp=site.get("icp", ""), address=site.get("address", ""), phone=site.get("phone", ""),
        supervision_phone=site.get("supervision_phone", ""),
        page_size=int(site.get("page_size", 20)), home_latest=int(site.get("home_latest", 6)),
        raw=data,
    )
    if cfg.page_size < 1:
        errors.add(rel, _line_of(text, "page_size"), "site.page_size", "应是正整数")
        cfg.page_size = 20

    org_keys = {"name", "short", "code", "kind", "doc_prefix", "address", "phone", "supervision_phone"}
    seen_names: set[str] = set()
    seen_codes: set[str] = set()
    pos = 0
    for i, o in enumerate(data.get("org", [])):
        pos = text.find("[[org]]", pos) + 1
        line = text.count("\n", 0, pos) + 1 if pos else 0
        where = f"org[{i + 1}]"
        for k in o:
            if k not in org_keys:
                errors.add(rel, line, f"{where}.{k}", f"未知的配置项；{did_you_mean(k, org_keys)}可用：{allowed_list(sorted(org_keys))}")
        name, code, kind = o.get("name", ""), o.get("code", ""), o.get("kind", "")
        if not name:
            errors.add(rel, line, f"{where}.name", "缺少机关全称")
        if name in seen_names:
            errors.add(rel, line, f"{where}.name", f"机关「{name}」重复")
        if not ORG_CODE_RE.match(code or ""):
            errors.add(rel, line, f"{where}.code", f"机构代码「{code}」应是 9–18 位数字或大写字母（用作索引号前缀）")
        if code in seen_codes:
            errors.add(rel, line, f"{where}.code", f"机构代码「{code}」与其他机关重复")
        if kind not in ORG_KINDS:
            errors.add(rel, line, f"{where}.kind", f"「{kind}」不是机关类型；可用：{'、'.join(ORG_KINDS)}")
        prefix = o.get("doc_prefix", [])
        if isinstance(prefix, str):
            prefix = [prefix]
        seen_names.add(name)
        seen_codes.add(code)
        cfg.orgs.append(Org(name=name, short=o.get("short", name), code=code, kind=kind,
                            doc_prefix=tuple(prefix), address=o.get("address", ""),
                            phone=o.get("phone", ""),
                            supervision_phone=o.get("supervision_phone", "")))
    if not cfg.orgs:
        errors.add(rel, 0, "[[org]]", "至少要配置一个公开主体（[[org]] 段）")
    if cfg.government and cfg.orgs and not cfg.org_by_name(cfg.government):
        errors.add(rel, _line_of(text, "government"), "site.government",
                   f"「{cfg.government}」不在 [[org]] 中；{did_you_mean(cfg.government, cfg.org_names)}")

    pos = 0
    for i, t in enumerate(data.get("township", [])):
        pos = text.find("[[township]]", pos) + 1
        line = text.count("\n", 0, pos) + 1 if pos else 0
        org = t.get("org", "")
        if not cfg.org_by_name(org):
            errors.add(rel, line, f"township[{i + 1}].org",
                       f"「{org}」不在 [[org]] 中；{did_you_mean(org, cfg.org_names)}")
        comms = t.get("communities", [])
        if not isinstance(comms, list) or not all(isinstance(c, str) for c in comms):
            errors.add(rel, line, f"township[{i + 1}].communities", "应是社区/村名称的列表")
            comms = []
        cfg.townships.append(Township(name=t.get("name", ""), org=org, communities=tuple(comms)))

    voc = data.get("vocab", {})
    for key, attr in (("channels", "channels"), ("matter_types", "matter_types"), ("domains", "domains")):
        if key in voc:
            v = voc[key]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v) or not v:
                errors.add(rel, _line_of(text, key), f"vocab.{key}", "应是非空的文字列表")
            else:
                setattr(cfg, attr, tuple(v))
    cfg.privacy_allow = load_privacy_allow(data, text, errors)
    cfg.calendar = load_calendar(data, text, errors)
    return cfg
