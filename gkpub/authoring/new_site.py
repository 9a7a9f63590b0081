"""`gkpub new site DIR`: a minimal, valid site a district starts from.

site.toml is generated from siteschema (every table and key, each key's doc as its comment,
optional tables commented out), so it cannot drift from the schema. The other files come from
the ``starter/`` data folder next to this module: ``{{name}}`` placeholders in their text and
file names are filled in from the command's options.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shlex
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from gkpub import __version__
from gkpub.content import siteschema
from gkpub.util.errors import ErrorList, UsageError

STARTER = "starter"
PLACEHOLDER_SITE_ID = "0000000000"
PLACEHOLDER_URL = "https://www.example.gov.cn/"
# 登记管理部门 1 (机构编制) · 机构类别 1 (机关) · 行政区划 000000 · 主体标识码 MB0000000
PLACEHOLDER_CODE_BODY = "11000000MB0000000"
PLACEHOLDER_CODE = PLACEHOLDER_CODE_BODY + siteschema.credit_check_char(PLACEHOLDER_CODE_BODY)
TODO = "（请填写）"

_TOKEN = re.compile(r"\{\{(\w+)\}\}")
_NAME_OK = re.compile(r"^[^\s\"'#:：{}\[\],，/\\]+$")


@dataclass(frozen=True)
class SiteValues:
    """What the options say about the new site; placeholders where they say nothing."""

    today: dt.date
    district: str = "某某区"
    city: str = "某某市"
    base_url: str = PLACEHOLDER_URL
    code: str = PLACEHOLDER_CODE
    site_id: str = PLACEHOLDER_SITE_ID

    @property
    def government(self) -> str:
        return f"{self.district}人民政府"

    @property
    def short(self) -> str:
        """「区政府」, 「县政府」…: the last character of the district's name names its kind."""
        return f"{self.district[-1]}政府"

    @property
    def doc_prefixes(self) -> list[str]:
        return [f"{self.district[0]}政发", f"{self.district[0]}政办发"]

    def tokens(self) -> dict[str, str]:
        """The values of the ``{{name}}`` placeholders in the starter files."""
        year = self.today.year
        return {
            "district": self.district, "government": self.government, "today": self.today.isoformat(),
            "year": str(year), "last_year": str(year - 1), "index_no": f"{self.code}/{year}-00001",
            "gkpub_version": __version__,  # the ci/ templates install the gkpub that made the site
        }


def normalize_url(text: str) -> str:
    """``www.x.gov.cn`` → ``https://www.x.gov.cn/``; UsageError when it is not a web address."""
    url = text.strip()
    if not re.match(r"^https?://", url):
        url = "https://" + url
    if not url.endswith("/"):
        url += "/"
    if not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/\S*)?$", url) or "." not in url.split("/")[2]:
        raise UsageError(f"--domain「{text}」不是网址；应写门户的网址，如 https://www.example.gov.cn/")
    return url


def check_name(option: str, value: str, required: bool = True) -> str:
    value = value.strip()
    if not value and not required:
        return value
    if not value or not _NAME_OK.match(value):
        raise UsageError(f"{option}「{value}」不能作名称；请写行政区的规范名称，如「青禾区」，不含空格和标点")
    return value


def check_site_id(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[0-9A-Za-z]{4,20}", value):
        raise UsageError(f"--site-id「{value}」不是网站标识码；网站标识码只含数字和字母（通常是 10 位数字）")
    return value


def check_code(value: str) -> str:
    code = value.strip().upper()
    problem = siteschema.credit_code_problem(code)
    if problem:
        raise UsageError(f"--code：{problem}")
    return code


# -- site.toml ------------------------------------------------------------------------------

# Guidance beyond each key's one-line doc: what to fill in and where the codes come from.
NOTES: dict[str, tuple[str, ...]] = {
    "site": ("网站的基本信息，显示在每个页面的页头、页脚和网页元数据中。",),
    "site.base_url": ("测试时可以先写测试地址，上线前改为门户的正式网址。",),
    "site.site_id": (
        "网站标识码是政府网站开办时在政府网站信息报送系统登记、列入全国政府网站基本数据库后得到的代码，",
        "可以向本级政府办公室（负责政府网站管理的部门）查询。这里是占位值，上线前必须改为本站的标识码。",
    ),
    "site.icp": (
        "ICP 备案编号在工业和信息化部的 ICP/IP 地址/域名信息备案管理系统中办理，也在那里查询，",
        "形如「某ICP备12345678号」（某为省份简称）；下面的编号只是格式示例。填写后显示在页脚，并链接到该系统。",
    ),
    # issue 12 part A: the footer's identity marks
    "site.sponsor": ("《政府网站发展指引》要求页脚写明主办单位：通常是本级政府办公室，不是政府本身。",),
    "site.police_beian": (
        "公安机关备案号在全国互联网安全管理平台（www.beian.gov.cn）办理，形如「某公网安备 12345678901234号」",
        "（某为省份简称，后面是 14 位数字）；下面的编号只是格式示例。填写后显示在页脚，并链接到该平台的备案信息页面。",
    ),
    "site.party_mark": (
        "党政机关网站标识由机构编制部门核发。把标识图片放到站点的 layouts/assets/ 文件夹中，再写出它的路径；",
        "写了路径而文件不存在时，生成会失败并指出这一行。party_mark_url 是点击标识打开的网址。",
    ),
    "site.error_report_url": (
        "页脚「我为政府网站找错」的链接，默认是国务院办公厅政府网站与政务新媒体找错平台；",
        "如果本省或本市给出了带网站标识码的入口，写在这里，其中的 {site_id} 生成时换为网站标识码。",
    ),
    "org": (
        "每个发布信息的机关写一段 [[org]]：本级政府、各部门、各街镇各一段。",
        "信息的「公开主体」可以写全称或简称；每个机关自动有自己的公开页面 /org/<机构代码>/。",
        "functions、leaders、hours、departments 是《条例》第二十条第（二）项要求主动公开的机构信息"
        "（职能、负责人、办公时间、内设机构），显示在该机关的公开页面上。",
    ),
    "org.code": (
        "统一社会信用代码由机构编制部门（编办）在为机关赋码时核发，可以在全国组织机构统一社会信用代码",
        "数据服务中心的网站上查询。下面是格式正确（校验码有效）的占位代码，不是真实代码：发布第一条信息之前",
        "必须换成本机关的代码。每条信息的索引号都以它开头，而索引号一经公开就不再改变。",
    ),
    "org.office": (
        "依申请公开的受理机构（office 开头的各项）显示在政府信息公开指南和本机关的公开页面上，",
        "《条例》第十二条要求公布它的名称、办公地址、办公时间、联系电话、传真号码和互联网联系方式。",
        "本级政府应当填写；部门、街镇没有填写的，页面上写明其申请由本级政府的受理机构统一受理。",
    ),
    "township": ("每个社区、村有一块公开栏（公示栏），gkpub print boards 为每块公开栏生成海报。",),
    "vocab": ("写出的词表替换内置词表（不是追加），所以要列出全部可用的值。",),
    # issue 12 part B: a column page's own page metadata
    "column": (
        "每个网页都带有《政府网站发展指引》的网页元数据。栏目页的栏目描述和栏目关键词由标准目录和栏目内容自动生成；",
        "要用本站自己的说法时，按栏目网址写一段 [[column]]。领域、事项页的描述取自标准目录文件的「说明」。",
        "网页分享到微信等时显示的图片是 layouts/assets/share.png（不放时用主题自带的图片），建议 300×300 像素以上。",
    ),
    "calendar": (
        "内置了国务院办公厅已公布年份的节假日安排。新一年的安排公布后（通常在11月），",
        "如果 gkpub 还没有更新，在这里补充。下面的日期只是格式示例，请按通知填写。",
    ),
}

# Example values for keys a new site leaves out (shown commented out); the rest show their default.
EXAMPLES: dict[str, Any] = {
    "site.icp": "京ICP备00000000号",
    "township.name": "某某街道",
    "search.merge.name": "（另一区县名称）", "search.merge.url": "/qita/",  # issue 16: a city merges districts
    "township.communities": ["某某社区", "某某村"],
    "vocab.channels": ["政府网站", "政府公报", "两微一端", "政务服务中心", "社区/村/企事业单位公示栏"],
    "vocab.matter_types": ["公共服务", "行政许可", "行政处罚", "行政给付", "其他行政行为"],
    "vocab.domains": ["财政预决算", "社会救助", "养老服务"],
    "privacy.allow": ["13800000000"],
    # issue 14 item 5: 机构信息 on the body's page
    "org.functions": "贯彻执行国家和省、市的方针政策和法律法规，负责本区……（按机构职能规定填写）",
    "org.leaders": ["区长 某某某 主持区政府全面工作", "副区长 某某某 负责……方面工作"],
    "org.hours": "工作日 9:00—12:00、13:30—17:30（法定节假日除外）",
    "org.departments": ["区政府办公室 负责区政府机关日常运转和政务公开", "……"],
    "files.attachment_types": ["pdf", "docx", "xlsx", "ofd"],
    # issue 12 part B
    "column.url": "/",
    "column.description": "某某区人民政府信息公开平台：按五公开环节和基层政务公开标准目录公开全区的政府信息。",
    "column.keywords": ["某某区", "政务公开", "政府信息公开"],
}


def _values(v: SiteValues) -> dict[str, Any]:
    """The values written (not commented out) in the new site.toml."""
    return {
        "site.title": v.government, "site.subtitle": "政府信息公开", "site.base_url": v.base_url,
        "site.site_id": v.site_id, "site.district": v.district, "site.city": v.city,
        "site.level": "区县级", "site.government": v.government,
        "site.address": f"{v.city}{v.district}{TODO}", "site.phone": TODO,
        "site.supervision_phone": TODO, "site.sponsor": f"{v.government}办公室",
        "org.name": v.government, "org.short": v.short, "org.code": v.code, "org.kind": "区政府",
        "org.doc_prefix": v.doc_prefixes, "org.address": f"{v.city}{v.district}{TODO}",
        "org.phone": TODO, "org.supervision_phone": TODO,
    }


def _examples(v: SiteValues) -> dict[str, Any]:
    nxt = v.today.year + 1
    office = {
        "org.office": f"{v.government}办公室", "org.office_address": f"{v.city}{v.district}……",
        "org.office_hours": "工作日 9:00—12:00、13:30—17:30", "org.office_postcode": "000000",
        "org.office_phone": "0000-00000000", "org.office_fax": "0000-00000000",
        "org.office_email": "zwgk@example.gov.cn", "org.office_url": "https://www.example.gov.cn/ysq/",
    }
    identity = {  # issue 12 part A
        "site.operator": f"{v.district}……中心", "site.postcode": "000000",
        "site.police_beian": "京公网安备 00000000000000号",
        # the mark images: empty (none) as examples, since an uncommented path must name a file
        "site.police_mark": "", "site.party_mark": "",
        "site.party_mark_url": "https://bszs.conac.cn/……",
    }
    admin = {  # issue 13 item 1: the form editor's git hosting
        "admin.backend": "gitlab", "admin.repo": "zwgk/site", "admin.base_url": "https://git.example.gov.cn",
        "admin.api_root": "https://git.example.gov.cn/api/v4", "admin.app_id": "……",
    }
    return {**EXAMPLES, **office, **identity, **admin, "township.org": v.government,
            "calendar.holidays": [f"{nxt}-01-01"], "calendar.workdays": [f"{nxt}-02-06"], "calendar.years": [nxt]}


def toml_value(value: Any) -> str:
    """A TOML literal for a str, int, bool or list of them (JSON strings are TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(x) for x in value) + "]"
    raise TypeError(type(value))


def _key_doc(key: siteschema.Key) -> str:
    doc = key.doc
    if key.allowed:
        doc += f"；可用：{'、'.join(key.allowed)}"
    if key.kind == "int" and key.low is not None:
        doc += f"；{key.low} 到 {key.high}"
    if key.required:
        return doc + "（必填）"
    if key.default not in (None, "", []):
        return doc + f"（可省略，默认 {toml_value(key.default)}）"
    return doc + "（可省略）"


def site_toml(v: SiteValues) -> str:
    """The commented site.toml of a new site, table by table and key by key from siteschema."""
    values, examples = _values(v), _examples(v)
    out = [
        f"# gkpub 站点配置：{v.government}",
        "# 由 gkpub new site 生成。键名用英文（TOML 的规定），每一项上方的注释说明它是什么、要填什么。",
        f"# 标有「必填」的项不能省略；写着「{TODO}」或占位代码的地方，上线前都要改为本站的真实信息。",
        "# 以「# 」开头的段和项是可选的：要使用时，去掉 [段名] 和键所在行行首的「# 」。",
        "# 全部的段和键见 README「站点配置 site.toml 与添加公开主体」；写错段名、键名或类型时 gkpub 会报错。",
    ]
    for table in siteschema.TABLES:
        header = f"[[{table.name}]]" if table.array else f"[{table.name}]"
        used = table.required
        out += ["", f"# {'-' * 20} {header} {table.doc}{'' if used else '（可选）'}"]
        out += [f"# {line}" for line in NOTES.get(table.name, ())]
        out.append(header if used else f"# {header}")
        for key in siteschema.KEYS:
            if key.table != table.name:
                continue
            ref = f"{table.name}.{key.name}"
            out.append(f"# {_key_doc(key)}")
            out += [f"# {line}" for line in NOTES.get(ref, ())]
            if used and ref in values:
                out.append(f"{key.name} = {toml_value(values[ref])}")
            else:
                example = examples.get(ref, key.default)
                out.append(f"# {key.name} = {toml_value(example)}")
    return "\n".join(out) + "\n"


def check_site_toml(text: str) -> None:
    """The generated site.toml must pass the schema; a failure here is a bug in gkpub."""
    errors = ErrorList()
    data = tomllib.loads(text)
    siteschema.validate(data, text, errors)
    for _, org in siteschema.instances(data, "org"):
        problem = siteschema.credit_code_problem(org.get("code", ""))
        if problem:
            errors.add(siteschema.REL, 0, "org.code", problem)
    if errors:
        raise AssertionError(errors.report())


# -- the starter files -----------------------------------------------------------------------


def fill(text: str, tokens: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) not in tokens:
            raise KeyError(f"starter placeholder {{{{{m.group(1)}}}}} has no value")
        return tokens[m.group(1)]

    return _TOKEN.sub(one, text)


def _walk(node: Traversable, rel: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        path = f"{rel}{child.name}"
        if child.is_dir():
            found += _walk(child, path + "/")
        elif not child.name.endswith((".pyc", ".pyo")):
            found.append((path, child))
    return found


def starter_files(v: SiteValues) -> dict[str, str]:
    """Every file of the new site: relative path → text."""
    tokens = v.tokens()
    root = resources.files(__package__ or "gkpub").joinpath(STARTER)
    files = {fill(rel, tokens): fill(node.read_text(encoding="utf-8"), tokens)
             for rel, node in _walk(root)}
    toml = site_toml(v)
    check_site_toml(toml)
    files["site.toml"] = toml
    return files


def new_site(target: Path, values: SiteValues) -> list[str]:
    """Write the new site into ``target`` (absent or empty); the relative paths written."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} 已存在且不是文件夹；请换一个新的或空的文件夹")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"文件夹 {target} 不是空的；新站点只能建在新的或空的文件夹中，"
                         "以免覆盖已有文件（已有站点请直接编辑其中的 site.toml）")
    files = starter_files(values)
    try:
        for rel, text in sorted(files.items()):
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    return sorted(files)


def next_steps(target: Path, values: SiteValues) -> str:
    """What to do next, printed after the site is written."""
    site = str(target)
    if re.search(r"[\s'\"$`\\;&|<>()*?!#~]", site):
        site = shlex.quote(site)
    return "\n".join([
        f"已新建站点：{target}",
        "",
        "接下来：",
        f"  1. 编辑 {target / 'site.toml'}：填写网址、网站标识码、ICP 备案编号、地址和电话，",
        "     把占位的统一社会信用代码换成真实代码（发布第一条信息之前），再为各部门、街镇各加一段 [[org]]。",
        "  2. 按本区的标准目录修改 content/catalog/ 中的目录，补充指南、制度和年报（content/pages/）。",
        (f"  3. 新建一篇信息：gkpub new item --site {site} --org {values.short} "
         "--catalog 财政预决算/政府预算/预算报告 --title \"……\""),
        f"  4. 检查内容：gkpub check --site {site}（合规检查会列出还没有信息的栏目）",
        f"  5. 生成网站：gkpub build --site {site}（输出在 {target / 'public'}）",
        f"  6. 本机预览：gkpub serve --site {site}，再打开 http://127.0.0.1:8000/",
    ])


# -- the command -----------------------------------------------------------------------------


def add_new_site_args(p: argparse.ArgumentParser, date_type: Callable[[str], dt.date]) -> None:
    p.add_argument("dir", type=Path, metavar="目录", help="新站点的文件夹（不存在或为空）")
    p.add_argument("--district", default="某某区",
                   help="本级行政区名称，如 青禾区（默认：某某区，之后在 site.toml 中修改）")
    p.add_argument("--city", default="某某市", help="上级市名称，如 云岭市")
    p.add_argument("--domain", default=PLACEHOLDER_URL, help="门户网址，如 https://www.qinghe.gov.cn/")
    p.add_argument("--code", default=None, help="本级政府的统一社会信用代码（18 位）；省略时写入占位代码")
    p.add_argument("--site-id", default=PLACEHOLDER_SITE_ID, help="网站标识码；省略时写入占位值")
    p.add_argument("--today", type=date_type, default=None, help="按这一天填写日期和索引号年份（YYYY-MM-DD），默认今天")
    p.set_defaults(site=Path("."))  # the CLI's site directory; a new site does not read one


def run_new_site(args: argparse.Namespace, today: dt.date) -> int:
    values = SiteValues(
        today=today, district=check_name("--district", args.district),
        city=check_name("--city", args.city, required=False), base_url=normalize_url(args.domain),
        code=check_code(args.code) if args.code else PLACEHOLDER_CODE,
        site_id=check_site_id(args.site_id),
    )
    target = args.dir.resolve()
    new_site(target, values)
    print(next_steps(target, values))
    return 0
