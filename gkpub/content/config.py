"""Read and validate site.toml into a SiteConfig."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gkpub.content import siteschema, vocab
from gkpub.content.columnmeta import ColumnText, load_columns
from gkpub.content.identity import Identity, load_identity
from gkpub.content.siteopts import load_calendar
from gkpub.rules.workdays import WorkCalendar
from gkpub.util.errors import ErrorList, did_you_mean

ORG_KINDS = siteschema.ORG_KINDS


@dataclass(frozen=True)
class Office:
    """An org's receiving office for 依申请公开 (政府信息公开工作机构, 条例 第四条、第十二条)."""

    name: str
    address: str = ""
    hours: str = ""
    postcode: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    url: str = ""  # the online channel (在线申请)


# site.toml keys of an office, by Office field ("name" is the key "office" itself)
OFFICE_KEYS = {"name": "office", "address": "office_address", "hours": "office_hours",
               "postcode": "office_postcode", "phone": "office_phone", "fax": "office_fax",
               "email": "office_email", "url": "office_url"}
OFFICE_REQUIRED = ("address", "phone")  # an office a resident cannot find or call is no office
_OFFICE_LABELS = {"office_address": "办公地址", "office_phone": "联系电话"}


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
    office: Office | None = None  # None: the government's office receives (SiteConfig.receiver)
    # issue 14 item 5: 机构信息 (条例 第二十条第（二）项) on the body's page
    functions: str = ""
    leaders: tuple[str, ...] = ()
    hours: str = ""
    departments: tuple[str, ...] = ()


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
    identity: Identity = field(default_factory=Identity)  # the footer's marks (content.identity)
    orgs: list[Org] = field(default_factory=list)
    townships: list[Township] = field(default_factory=list)
    channels: tuple[str, ...] = vocab.DEFAULT_CHANNELS
    matter_types: tuple[str, ...] = vocab.DEFAULT_MATTER_TYPES
    domains: tuple[str, ...] = vocab.DEFAULT_DOMAINS
    privacy_allow: tuple[str, ...] = ()  # [privacy] allow: numbers that may stand unmasked
    mask_names: bool = False  # [privacy] mask_names: names in 公示 tables must be masked
    search_synonyms: tuple[tuple[str, ...], ...] = ()  # [search] synonyms: groups of words, each "甲、乙"
    search_name: str = ""  # [search] name: this site's 地区 when it merges others (default: district)
    search_merge: tuple[tuple[str, str], ...] = ()  # [[search.merge]]: (name, url ending in /) of merged sites
    calendar: WorkCalendar = field(default_factory=WorkCalendar)  # built-in tables + [calendar]
    # [limits] / [files]: sizes and attachment types a build accepts (see DEFAULT_ATTACHMENT_TYPES)
    max_item_bytes: int = 2 * 1024 * 1024
    max_attachment_bytes: int = 50 * 1024 * 1024
    max_image_bytes: int = 1024 * 1024  # [limits] image_max_kb: one image in a page body
    attachment_types: tuple[str, ...] = vocab.DEFAULT_ATTACHMENT_TYPES
    columns: dict[str, ColumnText] = field(default_factory=dict)  # [[column]]: a column page's own metadata
    raw: dict[str, Any] = field(default_factory=dict)
    # an org code in site.toml failed its check: items' 索引号 are then not matched against
    # the codes (the site.toml error is the one to fix; matching would only echo it)
    codes_unsure: bool = False

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
    def government_org(self) -> Org | None:
        return self.org_by_name(self.government)

    def receiver(self, org: Org) -> Org | None:
        """The org whose office receives ``org``'s 依申请公开 requests: the org itself when it has
        an office, else the government (its office receives for every body without one)."""
        if org.office is not None:
            return org
        gov = self.government_org
        return gov if gov is not None and gov.office is not None else None

    @property
    def receiving_orgs(self) -> list[Org]:
        """The orgs with their own office, the government first."""
        gov = self.government_org
        own = [o for o in self.orgs if o.office is not None]
        return sorted(own, key=lambda o: o is not gov)

    @property
    def received_by_government(self) -> list[Org]:
        """The orgs without an office of their own, whose requests the government's office receives."""
        gov = self.government_org
        if gov is None or gov.office is None:
            return []
        return [o for o in self.orgs if o.office is None and o is not gov]

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


def load_config(site_dir: Path, errors: ErrorList) -> SiteConfig | None:
    """site.toml → SiteConfig, checked against siteschema; None when it cannot be used at all."""
    path = site_dir / "site.toml"
    rel = siteschema.REL
    if not path.is_file():
        errors.add(rel, 0, "", f"找不到站点配置文件 {path}；请在站点目录中创建 site.toml"
                   "（gkpub new site 目录 可生成一个），或用 --site 指定站点目录")
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        errors.add(rel, 0, "", "site.toml 不是 UTF-8 编码；请另存为 UTF-8")
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        errors.add(rel, *_toml_problem(exc, text))
        return None
    before = len(errors)
    lines = siteschema.validate(data, text, errors)
    site = data.get("site")
    if site is None:
        return None
    if len(errors) > before and any(k.required and k.name not in site
                                    for k in siteschema.KEYS if k.table == "site"):
        return None  # a required [site] key is missing: nothing sensible can be built
    base_url = site["base_url"] if site.get("base_url", "").endswith("/") else site.get("base_url", "") + "/"
    cfg = SiteConfig(
        root=site_dir, title=site["title"], subtitle=site["subtitle"], base_url=base_url,
        site_id=site["site_id"], district=site["district"], city=site["city"],
        level=site.get("level", ""), government=site["government"], icp=site["icp"],
        address=site["address"], phone=site["phone"], supervision_phone=site["supervision_phone"],
        page_size=site["page_size"], home_latest=site["home_latest"], raw=data,
    )
    cfg.identity = load_identity(site_dir, site, cfg.government, cfg.site_id, lines, errors)
    _load_orgs(cfg, data, lines, errors)
    _load_townships(cfg, data, lines, errors)
    cfg.columns = load_columns(data, lines, errors, [o.code for o in cfg.orgs])
    voc = data.get("vocab", {})
    for key in ("channels", "matter_types", "domains"):
        if key in voc:
            if not voc[key]:
                errors.add(rel, lines.key_line("vocab", 0, key), f"vocab.{key}", "不能是空列表")
            else:
                setattr(cfg, key, tuple(voc[key]))
    cfg.privacy_allow = tuple(a.strip() for a in data.get("privacy", {}).get("allow", []))
    cfg.mask_names = data.get("privacy", {}).get("mask_names", False) is True
    cfg.search_synonyms = tuple(g for g in (tuple(w.strip() for w in re.split(r"[、,，=]", line) if w.strip())
                                           for line in data.get("search", {}).get("synonyms", [])) if len(g) > 1)
    _load_search_merge(cfg, data, lines, errors)
    cfg.calendar = load_calendar(data, text, errors)
    limits = data.get("limits", {})
    cfg.max_item_bytes = limits.get("item_max_kb", 2048) * 1024
    cfg.max_attachment_bytes = limits.get("attachment_max_mb", 50) * 1024 * 1024
    cfg.max_image_bytes = limits.get("image_max_kb", 1024) * 1024
    types = data.get("files", {}).get("attachment_types")
    if types is not None:
        risky = [t for t in types if t in vocab.SCRIPT_CAPABLE_TYPES]
        if risky:
            errors.add(rel, lines.key_line("files", 0, "attachment_types"), "files.attachment_types",
                       f"「{risky[0]}」类型的文件可能在浏览器中执行脚本，不能作为附件类型")
        cfg.attachment_types = tuple(t for t in types if t not in risky)
    return cfg


def _load_search_merge(cfg: SiteConfig, data: dict[str, Any], lines: siteschema.Lines,
                       errors: ErrorList) -> None:
    """[[search.merge]]: the other sites whose search indexes this site's /search/ merges."""
    rel = siteschema.REL
    cfg.search_name = (data.get("search", {}).get("name") or "").strip() or cfg.district
    seen: dict[str, str] = {cfg.search_name: "本站（[search] name，省略时为 [site] district）"}
    out = []
    for i, m in siteschema.instances(data, "search.merge"):
        where = f"search.merge[{i + 1}]"
        name, url = (m.get("name") or "").strip(), (m.get("url") or "").strip()
        if name in seen:
            errors.add(rel, lines.key_line("search.merge", i, "name"), f"{where}.name",
                       f"地区名称「{name}」与{seen[name]}重复；每个地区的名称应不同")
            continue
        if name:
            seen[name] = f"第 {lines.key_line('search.merge', i, 'name')} 行的地区"
        if not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?|/[^\s?#]*", url) or url.startswith("//"):
            errors.add(rel, lines.key_line("search.merge", i, "url"), f"{where}.url",
                       f"「{url}」不是网站根地址；应写 http(s):// 开头的网址，如 \"https://www.qinghe.example.gov.cn/\"，"
                       "或以 / 开头的同域路径，如 \"/qinghe/\"")
            continue
        if name:
            out.append((name, url if url.endswith("/") else url + "/"))
    cfg.search_merge = tuple(out)


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str = "") -> tuple[int, str, str]:
    """(line, field, Chinese message) for a TOML syntax error; a Chinese-keyboard mark on
    the line (“”, ＃, ＝) is named with the line as it should be."""
    msg = str(exc)
    m = re.search(r"line (\d+)", msg)
    line = int(m.group(1)) if m else 0
    if "Cannot overwrite a value" in msg or "Cannot declare" in msg:
        return line, "", f"同一个键或段写了两次（{msg}）；每个键在一段中只能写一次"
    lines = text.split("\n")
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    parts = re.split(r'("[^"]*")', raw.strip())  # odd parts: "…" strings, where “” are text
    outside = "".join(parts[0::2])
    wide = [c for c in "“”＃＝" if c in outside]
    if wide:
        table = str.maketrans({"“": '"', "”": '"', "＃": "#", "＝": "="})
        fixed = "".join(p if k % 2 else p.translate(table) for k, p in enumerate(parts))
        marks = "".join(f"「{c}」" for c in wide)
        return line, "", (f"TOML 格式错误：这一行用了中文标点{marks}；引号、井号和等号都要用英文半角的"
                          f"（切换到英文输入法），应写作：{fixed}")
    return line, "", f"TOML 格式错误：{msg}；文字值要用英文双引号括起来，如 title = \"青禾区人民政府\""


def _load_orgs(cfg: SiteConfig, data: dict[str, Any], lines: siteschema.Lines,
               errors: ErrorList) -> None:
    rel = siteschema.REL
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for i, o in siteschema.instances(data, "org"):
        where = f"org[{i + 1}]"
        name, code = o.get("name", ""), o.get("code", "")
        if code:
            problem = siteschema.credit_code_problem(code)
            if problem:
                errors.add(rel, lines.key_line("org", i, "code"), f"{where}.code", problem)
                cfg.codes_unsure = True
        for value, seen, what, key in ((name, seen_names, "机关名称", "name"),
                                       (code, seen_codes, "机构代码", "code")):
            if value and value in seen:
                errors.add(rel, lines.key_line("org", i, key), f"{where}.{key}",
                           f"{what}「{value}」与第 {seen[value]} 行的机关重复")
            elif value:
                seen[value] = lines.key_line("org", i, key)
        if not name or not code:
            continue
        # kept even with a bad kind, so that one wrong value does not turn every item
        # of this org into "unknown org" errors
        cfg.orgs.append(Org(name=name, short=o.get("short") or name, code=code, kind=o.get("kind", ""),
                            doc_prefix=tuple(o["doc_prefix"]), address=o["address"],
                            phone=o["phone"], supervision_phone=o["supervision_phone"],
                            office=_office(o, i, lines, errors), functions=o["functions"],
                            leaders=tuple(o["leaders"]), hours=o["hours"], departments=tuple(o["departments"])))
    if "org" in data and not cfg.orgs and not errors:
        errors.add(rel, 0, "[[org]]", "至少要配置一个公开主体（[[org]] 段）")
    if cfg.government and cfg.orgs and not cfg.org_by_name(cfg.government):
        errors.add(rel, lines.key_line("site", 0, "government"), "site.government",
                   f"「{cfg.government}」不在 [[org]] 中；{did_you_mean(cfg.government, cfg.org_names)}"
                   "本级政府要先在 [[org]] 中写一段")


def _office(o: dict[str, Any], i: int, lines: siteschema.Lines, errors: ErrorList) -> Office | None:
    """The org's receiving office from its office_* keys (already schema-checked), or None."""
    values = {f: o.get(k, "").strip() for f, k in OFFICE_KEYS.items()}
    where = f"org[{i + 1}]"
    given = [k for f, k in OFFICE_KEYS.items() if values[f] and f != "name"]
    if not values["name"]:
        if given:
            errors.add(siteschema.REL, lines.key_line("org", i, given[0]), f"{where}.office",
                       f"写了受理机构的联系方式（{given[0]}），但缺少受理机构名称；请加一行 "
                       "office = \"……（政府信息公开工作机构名称）\"，或删去 office_ 开头的各项，"
                       "由本级政府的受理机构统一受理")
        return None
    missing = [OFFICE_KEYS[f] for f in OFFICE_REQUIRED if not values[f]]
    if missing:
        shown = "、".join(f"{k}（{_OFFICE_LABELS[k]}）" for k in missing)
        errors.add(siteschema.REL, lines.key_line("org", i, "office"), f"{where}.{missing[0]}",
                   f"受理机构「{values['name']}」缺少 {shown}；《条例》第十二条要求公布受理机构的"
                   "名称、办公地址、办公时间、联系电话、传真号码和互联网联系方式")
    return Office(**values)


def _load_townships(cfg: SiteConfig, data: dict[str, Any], lines: siteschema.Lines,
                    errors: ErrorList) -> None:
    seen: dict[str, str] = {}
    for i, t in siteschema.instances(data, "township"):
        org = t.get("org", "")
        if org and cfg.orgs and not cfg.org_by_name(org):
            errors.add(siteschema.REL, lines.key_line("township", i, "org"), f"township[{i + 1}].org",
                       f"「{org}」不在 [[org]] 中；{did_you_mean(org, cfg.org_names)}")
        comms = t.get("communities", [])
        for c in comms:
            if c in seen:
                errors.add(siteschema.REL, lines.key_line("township", i, "communities"),
                           f"township[{i + 1}].communities",
                           f"社区/村「{c}」已在「{seen[c]}」中写过；两块公开栏不能同名"
                           "（可写全称以区分，如「石桥镇东坪村」）")
            seen[c] = t.get("name", "")
        cfg.townships.append(Township(name=t.get("name", ""), org=org, communities=tuple(comms)))
