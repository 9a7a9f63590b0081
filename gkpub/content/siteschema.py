"""The site.toml schema: every table and key a site may write, in one declarative table.

This table is the single source for validating site.toml (config.py), for the README's
site.toml table (docs.py) and for the commented site.toml that `gkpub new site` writes.
Unknown tables and keys at every level are errors with their line and a did-you-mean;
wrong types are errors, never tracebacks.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from gkpub.util.errors import ErrorList, allowed_list, did_you_mean

REL = "site.toml"


@dataclass(frozen=True)
class Table:
    name: str
    array: bool  # [[name]] (a list of tables) or [name]
    required: bool
    doc: str


@dataclass(frozen=True)
class Key:
    table: str
    name: str
    kind: str  # str | url | email | postcode | int | bool | strlist | datelist | intlist | extlist
    required: bool = False
    default: Any = None
    allowed: tuple[str, ...] = ()
    low: int | None = None  # inclusive range for int
    high: int | None = None
    doc: str = ""
    label: str = ""  # what the value is, for messages ("机关类型"); the doc when empty
    pattern: str = ""  # a str value, when given, must match it in full (e.g. an ICP number)
    example: str = ""  # a well-formed value, shown when the pattern does not match


TABLES: tuple[Table, ...] = (
    Table("site", False, True, "网站本身：名称、网址、网站标识码、本级政府"),
    Table("org", True, True, "公开主体（每个机关一段）：区政府、区级部门、街镇"),
    Table("township", True, False, "街镇及其社区/村（每个社区、村有一块公开栏）"),
    Table("vocab", False, False, "词表：公开渠道、事项类型、领域；省略时用内置词表"),
    Table("privacy", False, False, "个人信息检查的例外"),
    Table("calendar", False, False, "工作日历的补充：节假日、调休上班日"),
    Table("limits", False, False, "生成时接受的文件大小上限"),
    Table("files", False, False, "附件"),
    # issue 12 part B: page metadata (政府网站发展指引 网页元数据) of the column pages
    Table("column", True, False, "栏目页的网页元数据：改写自动生成的栏目描述和关键词（每个栏目一段）"),
    Table("search", False, False, "站内检索"),
    # issue 16 item 4: a city site's /search/ also searches these district sites' indexes
    Table("search.merge", True, False, "合并检索的其他 gkpub 网站（市级网站的检索页同时检索各区县网站）"),
    # issue 13 item 1: the form editor (gkpub admin) and the git hosting it saves to
    Table("admin", False, False, "表单编辑（gkpub admin）保存到哪个代码托管平台；只在本机用时不必写"),
)

ORG_KINDS = ("区政府", "区级部门", "街镇")
ADMIN_BACKENDS = ("gitlab", "gitea")  # Decap CMS backends a district hosts itself
# How pages head each kind's group of organizations (home, 公开主体, 联系我们)
ORG_GROUPS = (("区政府", "区政府"), ("区级部门", "区级部门"), ("街镇", "街道、乡镇"))
LEVELS = ("市级", "区县级", "街镇级")
# issue 12 part A: record numbers of the footer. Provinces by the one-character names the
# record systems use (both forms where two are in use: 川/蜀, 贵/黔, 云/滇, 甘/陇).
PROVINCE_CHARS = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕甘陇青宁新"
ICP_RE = rf"[{PROVINCE_CHARS}]ICP备[0-9]{{6,12}}号(?:-[0-9]{{1,3}})?"  # MIIT: 滇ICP备20260001号-1
POLICE_BEIAN_RE = rf"[{PROVINCE_CHARS}]公网安备 ?([0-9]{{14}})号"  # 滇公网安备 53990102000001号

KEYS: tuple[Key, ...] = (
    Key("site", "title", "str", True, doc="网站名称（SiteName），如「青禾区人民政府」"),
    Key("site", "subtitle", "str", False, "政府信息公开", doc="副标题，显示在网站名称后"),
    Key("site", "base_url", "url", True, doc="门户根地址，http(s):// 开头、以 / 结尾"),
    Key("site", "site_id", "str", True, doc="网站标识码（SiteIDCode），由政府网站信息报送系统分配"),
    Key("site", "district", "str", True, doc="本级行政区名称，如「青禾区」"),
    Key("site", "city", "str", False, "", doc="上级市名称"),
    Key("site", "level", "str", True, allowed=LEVELS, doc="本级政府的公开层级", label="公开层级"),
    Key("site", "government", "str", True, doc="本级政府，必须是某个 [[org]] 的 name"),
    Key("site", "icp", "str", False, "", doc="ICP 备案编号，如「滇ICP备20260001号」，页脚链接到工业和信息化部备案查询",
        label="ICP 备案编号（省份简称、「ICP备」、编号、「号」）", pattern=ICP_RE, example="滇ICP备20260001号"),
    Key("site", "address", "str", False, "", doc="地址"),
    Key("site", "phone", "str", False, "", doc="联系电话"),
    Key("site", "supervision_phone", "str", False, "", doc="政务公开监督电话"),
    Key("site", "page_size", "int", False, 20, low=1, high=500, doc="列表每页条数"),
    Key("site", "home_latest", "int", False, 6, low=1, high=50, doc="首页每个环节显示的最新条数"),
    # issue 12 part A: the footer's identity marks (政府网站发展指引: 主办、承办、备案、标识) and entrances
    Key("site", "sponsor", "str", False, "",
        doc="主办单位，通常是本级政府办公室，如「青禾区人民政府办公室」；省略时写本级政府"),
    Key("site", "operator", "str", False, "", doc="承办单位（负责网站日常运行维护的单位），显示在页脚"),
    Key("site", "postcode", "postcode", False, "", doc="邮政编码（6 位数字），与地址一起显示在页脚和「联系我们」"),
    Key("site", "police_beian", "str", False, "",
        doc="公安机关备案号，如「滇公网安备 53990102000001号」（14 位数字），页脚链接到全国互联网安全管理平台",
        label="公安机关备案号（省份简称、「公网安备」、14 位数字、「号」）", pattern=POLICE_BEIAN_RE,
        example="滇公网安备 53990102000001号"),
    Key("site", "police_mark", "str", False, "",
        doc="公安机关备案图标：站点 layouts/assets/ 文件夹中的图片，如 \"layouts/assets/beian.png\"；"
            "省略时用主题自带的图标"),
    Key("site", "party_mark", "str", False, "",
        doc="党政机关网站标识：站点 layouts/assets/ 文件夹中的图片，如 \"layouts/assets/dzjg.png\"，显示在页脚；"
            "写了而文件不存在时生成失败"),
    Key("site", "party_mark_url", "url", False, "",
        doc="点击党政机关网站标识打开的网址（开办资格核验页面，由机构编制部门提供）"),
    Key("site", "error_report_url", "url", False, "https://zfwzzc.www.gov.cn/",
        doc="页脚「我为政府网站找错」的链接；可写 {site_id}，生成时换为网站标识码"),
    Key("org", "name", "str", True, doc="机关全称（公开主体的规范名称）"),
    Key("org", "short", "str", False, doc="简称，如「区民政局」；省略时同全称"),
    Key("org", "code", "str", True,
        doc="统一社会信用代码（18 位，末位校验码按 GB 32100 计算），用作索引号前缀"),
    Key("org", "kind", "str", True, allowed=ORG_KINDS, doc="机关类型"),
    Key("org", "doc_prefix", "strlist", False, [], doc="机关代字，用于检查文号，如 [\"青民发\"]"),
    Key("org", "address", "str", False, "", doc="地址"),
    Key("org", "phone", "str", False, "", doc="联系电话"),
    Key("org", "supervision_phone", "str", False, "", doc="监督电话"),
    # issue 14 item 5: the body's own 机构信息 (条例 第二十条第（二）项), shown on its page /org/<code>/
    Key("org", "functions", "str", False, "", doc="机关职能：主要职责，一段话，显示在本机关的公开页面"),
    Key("org", "leaders", "strlist", False, [],
        doc="负责人：每项写「职务 姓名 分工」，如 \"局长 李某某 主持全面工作\""),
    Key("org", "hours", "str", False, "", doc="机关的办公时间，如「工作日 9:00—12:00、13:30—17:30」"),
    Key("org", "departments", "strlist", False, [],
        doc="内设机构：每项写「名称 职责」或只写名称，如 \"社会救助科 负责低保、特困供养和临时救助\""),
    # issue 12 part C: the org's receiving office for 依申请公开 (条例 第十二条 lists its contacts)
    Key("org", "office", "str", False, "",
        doc="依申请公开的受理机构（政府信息公开工作机构）名称；不填时本机关的申请由本级政府的受理机构统一受理"),
    Key("org", "office_address", "str", False, "", doc="受理机构的办公地址（填了 office 时必填）"),
    Key("org", "office_hours", "str", False, "", doc="受理机构的办公时间，如「工作日 9:00—12:00、13:30—17:30」"),
    Key("org", "office_postcode", "postcode", False, "", doc="受理机构的邮政编码（6 位数字）"),
    Key("org", "office_phone", "str", False, "", doc="受理机构的联系电话（填了 office 时必填）"),
    Key("org", "office_fax", "str", False, "", doc="受理机构的传真号码"),
    Key("org", "office_email", "email", False, "", doc="受理机构的电子邮箱"),
    Key("org", "office_url", "url", False, "", doc="在线申请的网址（依申请公开平台），http(s):// 开头"),
    Key("township", "name", "str", True, doc="街镇名称，如「禾丰街道」"),
    Key("township", "org", "str", True, doc="该街镇的公开主体，必须是某个 [[org]] 的 name"),
    Key("township", "communities", "strlist", False, [], doc="社区、村名称的列表"),
    Key("vocab", "channels", "strlist", False, None, doc="公开渠道和载体的词表"),
    Key("vocab", "matter_types", "strlist", False, None, doc="事项类型的词表"),
    Key("vocab", "domains", "strlist", False, None, doc="领域名称的词表"),
    Key("search", "synonyms", "strlist", False, [],
        doc="检索的同义词：每项是一组意思相同的词，用「、」隔开，如 \"高龄补贴、高龄津贴\"；"
            "检索词找不到时，检索页建议同组的其他词"),
    Key("search", "name", "str", False, "",
        doc="写了 [[search.merge]] 时，本站信息在检索页「地区」筛选中的名称；省略时为 [site] district"),
    Key("search.merge", "name", "str", True,
        doc="该网站的地区名称，检索页「地区」筛选和每条结果上显示，如「青禾区」"),
    Key("search.merge", "url", "str", True,
        doc="该网站的根地址（其检索索引在此地址下的 pagefind/）：http(s):// 开头的网址，"
            "或以 / 开头的同域路径，如 \"/qinghe/\"；其他域名须在 nginx 的 CSP（connect-src）和"
            "该网站的 CORS 中允许"),
    Key("privacy", "allow", "strlist", False, [],
        doc="允许不遮蔽出现的号码原文（如本身是手机号的公开热线）"),
    Key("privacy", "mask_names", "bool", False, False,
        doc="true 时检查公示名单表格中的姓名：只能显示姓，其余每个字写作「某」或「*」（如 王某某、欧阳**）"),
    Key("calendar", "holidays", "datelist", False, [], doc="补充的节假日 YYYY-MM-DD"),
    Key("calendar", "workdays", "datelist", False, [], doc="补充的调休上班日 YYYY-MM-DD"),
    Key("calendar", "years", "intlist", False, [], doc="由本站完整定义日历的年份"),
    Key("limits", "item_max_kb", "int", False, 2048, low=1, high=102400,
        doc="一篇信息（Markdown 文件）的大小上限，KB"),
    Key("limits", "attachment_max_mb", "int", False, 50, low=1, high=2048,
        doc="一个附件的大小上限，MB"),
    # issue 12 part D: images in page bodies
    Key("limits", "image_max_kb", "int", False, 1024, low=1, high=51200,
        doc="正文中一张图片的大小上限，KB"),
    Key("files", "attachment_types", "extlist", False, None,
        doc="允许的附件类型（扩展名，不含点）；省略时用内置列表"),
    # issue 12 part B: page metadata of the column pages (ColumnDescription, ColumnKeywords)
    Key("column", "url", "str", True,
        doc="栏目页的网址路径：首页 \"/\"，或 \"/stage/juece/\"、\"/catalog/\"、\"/org/机构代码/\"、\"/guide/\" 等；"
            "领域、事项、公开内容页的描述取自标准目录（说明、名称），在目录文件中修改"),
    Key("column", "description", "str", False, "",
        doc="栏目描述（ColumnDescription），一两句话；省略时由栏目内容生成"),
    Key("column", "keywords", "strlist", False, [], doc="栏目关键词（ColumnKeywords）；省略时由栏目内容生成"),
    # issue 13 item 1: the Decap CMS backend of `gkpub admin` (without [admin]: the local backend only)
    Key("admin", "backend", "str", False, "", allowed=ADMIN_BACKENDS, label="表单编辑的托管平台",
        doc="表单编辑保存到的代码托管平台：gitlab（GitLab，含自建）或 gitea（Gitea、Forgejo）；"
            "省略时只能在本机用 gkpub admin --local 编辑"),
    Key("admin", "repo", "str", False, "", doc="仓库，写作「组/项目」，如 \"qinghe/zwgk\"（写了 backend 时必填）"),
    Key("admin", "branch", "str", False, "main", doc="保存到的分支"),
    Key("admin", "base_url", "url", False, "",
        doc="托管平台的地址（登录页所在），如 \"https://git.qinghe.example.gov.cn\"；省略时为 gitlab.com"),
    Key("admin", "api_root", "url", False, "",
        doc="托管平台的 API 地址，如 GitLab 的 \"https://git.example.gov.cn/api/v4\"、Gitea 的 \"…/api/v1\""),
    Key("admin", "app_id", "str", False, "",
        doc="在托管平台登记的 OAuth 应用的 Application ID（用于登录；回调地址填表单编辑页的网址）"),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}


def keys_of(table: str) -> dict[str, Key]:
    return {k.name: k for k in KEYS if k.table == table}


# -- where things are in the text ---------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*(\]\]?)\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*(?:\.|=)""")


@dataclass
class Header:
    name: str  # the full dotted name as written, quotes removed
    array: bool
    line: int


class Lines:
    """Lines of tables and keys in TOML text (tomllib keeps no positions).

    Tracks multi-line arrays and strings so keys inside them are not mistaken for keys.
    ``key_line(table, index, key)``: the line of ``key =`` in the index-th ``[[table]]``
    (index 0 for a plain table); ``head_line`` likewise for the header.
    """

    def __init__(self, text: str):
        self.headers: list[Header] = []
        self._keys: dict[tuple[str, int, str], int] = {}
        self._heads: dict[tuple[str, int], int] = {}
        counts: dict[str, int] = {}
        current: tuple[str, int] = ("", 0)
        depth = 0
        in_multi: str | None = None
        for n, line in enumerate(text.splitlines(), 1):
            if in_multi:
                if in_multi in line:
                    in_multi = None
                continue
            if depth == 0:
                m = _HEADER.match(line)
                if m and len(m.group(1)) == len(m.group(3)):
                    name = ".".join(p.strip().strip("\"'") for p in m.group(2).split("."))
                    array = m.group(1) == "[["
                    self.headers.append(Header(name, array, n))
                    idx = counts.get(name, -1) + 1 if array else 0
                    if array:
                        counts[name] = idx
                    current = (name, idx)
                    self._heads.setdefault((name, idx), n)
                    continue
                k = _KEY.match(line)
                if k:
                    key = k.group(1).strip("\"'")
                    self._keys.setdefault((current[0], current[1], key), n)
            depth, in_multi = _scan_brackets(line, depth)

    def key_line(self, table: str, index: int, key: str) -> int:
        return self._keys.get((table, index, key)) or self.head_line(table, index)

    def head_line(self, table: str, index: int = 0) -> int:
        return self._heads.get((table, index), 0)


def _scan_brackets(line: str, depth: int) -> tuple[int, str | None]:
    """Bracket depth after ``line`` (outside strings and comments), and an open ''' or \"\"\"."""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            quote = line[i:i + 3]
            end = line.find(quote, i + 3)
            if end < 0:
                return depth, quote
            i = end + 3
            continue
        if c in "\"'":
            end = i + 1
            while end < n and line[end] != c:
                end += 2 if c == '"' and line[end] == "\\" else 1
            i = end + 1
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth = max(0, depth - 1)
        i += 1
    return depth, None


# -- validation ---------------------------------------------------------------------------


def _type_error(key: Key) -> str:
    return {
        "str": "应为文字（用英文双引号括起来）",
        "url": "应为网址文字，如 \"https://www.example.gov.cn/\"",
        "email": "应为电子邮箱文字，如 \"zwgk@example.gov.cn\"",
        "postcode": "应为 6 位数字的文字（用英文双引号括起来），如 \"665100\"",
        "int": "应为整数（不加引号）",
        "bool": "应为 true 或 false",
        "strlist": "应为文字列表，如 [\"甲\", \"乙\"]",
        "datelist": "应为日期列表，如 [\"2027-01-01\"]",
        "intlist": "应为整数列表，如 [2027]",
        "extlist": "应为扩展名列表，如 [\"pdf\", \"docx\"]",
    }[key.kind]


def _check_value(key: Key, value: Any) -> str | None:
    """None when ``value`` fits ``key``; otherwise the Chinese problem."""
    kind = key.kind
    if kind in ("str", "url", "email", "postcode"):
        if not isinstance(value, str):
            return _type_error(key)
        if key.required and not value.strip():
            return "不能为空"
        if kind == "email" and value and not _EMAIL.match(value):
            return f"「{value}」不是电子邮箱地址；应写作 名称@域名，如 \"zwgk@example.gov.cn\""
        if kind == "postcode" and value and not re.fullmatch(r"[0-9]{6}", value):
            return f"「{value}」不是邮政编码；邮政编码是 6 位数字，如 \"665100\""
        if kind == "url" and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            return "应是 http:// 或 https:// 开头的网址"
        if key.pattern and value and not re.fullmatch(key.pattern, value):
            return f"「{value}」不是{key.label or key.doc}的格式；应写作如「{key.example}」"
        if key.allowed and value not in key.allowed:
            return (f"「{value}」不是{key.label or key.doc}；{did_you_mean(value, key.allowed)}"
                    f"可用：{allowed_list(key.allowed)}")
        return None
    if kind == "int":
        if isinstance(value, float) and not math.isfinite(value):
            return _type_error(key)
        if not isinstance(value, int) or isinstance(value, bool):
            return _type_error(key)
        if (key.low is not None and value < key.low) or (key.high is not None and value > key.high):
            return f"{value} 超出范围；应在 {key.low} 到 {key.high} 之间"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else _type_error(key)
    if not isinstance(value, list):
        return _type_error(key)
    if kind in ("strlist", "extlist"):
        if not all(isinstance(v, str) and v.strip() for v in value):
            return _type_error(key)
        if kind == "extlist":
            bad = [v for v in value if not re.fullmatch(r"[a-z0-9]{1,8}", v)]
            if bad:
                return f"「{bad[0]}」不是扩展名；写小写字母和数字，不含点，如 \"pdf\""
        dup = _first_duplicate(value)
        return f"「{dup}」重复" if dup is not None else None
    if kind == "datelist":
        for v in value:
            if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
                continue
            if not (isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)):
                return _type_error(key)
        return None
    if kind == "intlist":
        ok = all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        return None if ok else _type_error(key)
    raise AssertionError(kind)


_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def _first_duplicate(values: list[Any]) -> Any:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            return v
        seen.add(v)
    return None


def instances(data: dict[str, Any], table: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The validated instances of a table: (index, values with defaults filled in)."""
    value = data.get(table)
    if value is None:
        return
    rows = value if isinstance(value, list) else [value]
    for i, row in enumerate(rows):
        if isinstance(row, dict):
            yield i, row


def validate(data: dict[str, Any], text: str, errors: ErrorList,
             extra: Callable[[str, int, dict[str, Any], Lines], None] | None = None) -> Lines:
    """Check ``data`` (tomllib's result for ``text``) against the schema; report into ``errors``.

    Invalid values are removed from ``data`` in place (and defaults filled in), so the
    caller builds its config from values that fit and one bad key causes one error.
    """
    lines = Lines(text)
    names = [t.name for t in TABLES]
    misshapen: set[str] = set()
    for top in list(data):
        table = TABLE_BY_NAME.get(top)
        if table is None:
            head = next((h for h in lines.headers if h.name.split(".")[0] == top), None)
            line = head.line if head else lines.key_line("", 0, top)
            shown = f"[[{top}]]" if head and head.array else f"[{top}]"
            close = difflib.get_close_matches(top, names, n=1, cutoff=0.5)
            hint = f"是不是「{_header(TABLE_BY_NAME[close[0]])}」？" if close else ""
            errors.add(REL, line, shown,
                       f"未知的配置段；{hint}可用：{allowed_list([_header(t) for t in TABLES])}")
            del data[top]
            continue
        value = data[top]
        if table.array and not isinstance(value, list):
            errors.add(REL, lines.head_line(top), f"[{top}]",
                       f"应写作 {_header(table)}（每个一段，可以写多段）")
            misshapen.add(top)
            del data[top]
            continue
        if not table.array and not isinstance(value, dict):
            errors.add(REL, lines.head_line(top) or lines.key_line("", 0, top), top,
                       f"应写作 {_header(table)} 段（只写一段）")
            misshapen.add(top)
            del data[top]
            continue
    _lift_merge(data, lines, errors)
    for table in TABLES:
        if table.required and table.name not in data and table.name not in misshapen:
            errors.add(REL, 0, _header(table), f"缺少 {_header(table)} 段（{table.doc}）")
    for table in TABLES:
        spec = keys_of(table.name)
        for idx, row in instances(data, table.name):
            where = f"{table.name}[{idx + 1}]" if table.array else table.name
            bad: set[str] = set()  # reported once as wrong, not again as missing
            for k in list(row):
                if k not in spec:
                    errors.add(REL, lines.head_line(f"{table.name}.{k}", 0) or
                               lines.key_line(table.name, idx, k), f"{where}.{k}",
                               f"未知的配置项；{did_you_mean(k, spec)}"
                               f"{_header(table)} 中可用：{allowed_list(sorted(spec), 20)}")
                    del row[k]
                    continue
                problem = _check_value(spec[k], row[k])
                if problem:
                    errors.add(REL, lines.key_line(table.name, idx, k), f"{where}.{k}", problem)
                    del row[k]
                    bad.add(k)
            for k, key in spec.items():
                if k in row:
                    continue
                if key.required and k not in bad:
                    errors.add(REL, lines.head_line(table.name, idx), f"{where}.{k}",
                               f"缺少此项（{key.doc}）")
                elif not key.required and key.default is not None:
                    row[k] = list(key.default) if isinstance(key.default, list) else key.default
            if extra is not None:
                extra(table.name, idx, row, lines)
    return lines


def _lift_merge(data: dict[str, Any], lines: Lines, errors: ErrorList) -> None:
    """``[[search.merge]]`` is an array of tables inside [search]: checked as its own table
    named "search.merge" (its lines are found under that dotted name)."""
    search = data.get("search")
    if not isinstance(search, dict) or "merge" not in search:
        return
    merge = search.pop("merge")
    if isinstance(merge, list) and all(isinstance(m, dict) for m in merge):
        data["search.merge"] = merge
        return
    errors.add(REL, lines.head_line("search.merge") or lines.key_line("search", 0, "merge"), "search.merge",
               "应写作 [[search.merge]] 段（每个合并检索的网站一段，含 name 和 url）")


def _header(table: Table) -> str:
    return f"[[{table.name}]]" if table.array else f"[{table.name}]"


# -- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(rf"^[{CREDIT_CHARS}]{{18}}$")


def credit_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 are ``first17``."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None for a well-formed 统一社会信用代码; otherwise what is wrong, in Chinese."""
    if len(code) != 18:
        return f"「{code}」有 {len(code)} 位；统一社会信用代码是 18 位"
    bad = [c for c in code if c not in CREDIT_CHARS]
    if bad:
        return (f"「{code}」含有不用于统一社会信用代码的字符「{bad[0]}」"
                "（只用数字和大写字母，不用 I、O、Z、S、V）")
    want = credit_check_char(code[:17])
    if code[17] != want:
        return f"「{code}」的校验码不对：按 GB 32100 计算，第 18 位应为「{want}」，请核对代码"
    return None


# -- docs ---------------------------------------------------------------------------------

_KIND_NAMES = {
    "str": "文字", "url": "网址", "email": "电子邮箱", "postcode": "邮政编码", "int": "整数",
    "bool": "true/false", "strlist": "文字列表",
    "datelist": "日期列表", "intlist": "整数列表", "extlist": "扩展名列表",
}


def _shown_default(key: Key) -> str:
    if key.default is None or key.default == "" or key.default == []:
        return ""
    return str(key.default)


def site_table() -> str:
    """The README's site.toml table."""
    rows = ["| 段 | 键 | 类型 | 必填 | 默认值 | 可用值 | 说明 |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for key in KEYS:
        table = TABLE_BY_NAME[key.table]
        allowed = "、".join(key.allowed)
        if key.kind == "int" and key.low is not None:
            allowed = f"{key.low}–{key.high}"
        rows.append(f"| {_header(table)} | {key.name} | {_KIND_NAMES[key.kind]} | "
                    f"{'是' if key.required else ''} | {_shown_default(key)} | {allowed} | {key.doc} |")
    return "\n".join(rows)
