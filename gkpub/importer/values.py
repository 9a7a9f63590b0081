"""Turn the text of catalogue cells into element values gkpub accepts.

Sheets write the same thing many ways (县级 / 区级 / 区（县）级, 主动 / 主动公开,
政务新媒体 / 两微一端). The aliases below map them to gkpub's vocabularies; what
still does not fit is an error for that row, checked with the same rules as the
catalogue loader (elements.check_element).
"""
from __future__ import annotations

import re
import unicodedata

from gkpub.content.catalog_table import split_cell
from gkpub.content.schema import MODES, STAGES
from gkpub.content.vocab import BOARD_CHANNEL, DEFAULT_CHANNELS

CHECKED = frozenset({"■", "√", "✓", "✔", "☑", "☒", "●", "是", "有", "y", "yes"})
UNCHECKED = frozenset({"", "□", "☐", "○", "否", "无", "×", "n", "no", "-", "—", "/"})
_MARKS = "■□☐√✓✔☑☒●○"
_MARKED_RE = re.compile(rf"([{_MARKS}])\s*([^{_MARKS}]+)")

ALIASES: dict[str, dict[str, str]] = {
    "公开方式": {"主动": "主动公开", "主动公开": "主动公开", "依申请": "依申请公开", "依申请公开": "依申请公开"},
    "公开对象": {"全社会": "全社会", "社会公众": "全社会", "特定对象": "特定对象", "特定群体": "特定对象",
                 "特定群众": "特定对象", "特定": "特定对象"},
    "公开层级": {"市级": "市级", "市": "市级", "区县级": "区县级", "县级": "区县级", "区级": "区县级",
                 "县(区)级": "区县级", "区(县)级": "区县级", "县区级": "区县级", "区县": "区县级",
                 "街镇级": "街镇级", "乡级": "街镇级", "镇级": "街镇级", "乡镇级": "街镇级", "街道级": "街镇级",
                 "乡镇(街道)级": "街镇级", "街镇": "街镇级", "乡镇": "街镇级",
                 "村/社区": "村/社区", "村级": "村/社区", "社区": "村/社区", "村(社区)": "村/社区",
                 "村(居)": "村/社区", "村居": "村/社区",
                 # issue 14 part T3: sub-columns as the national template prints them (乡、村级 → 乡 | 村级)
                 "县": "区县级", "区": "区县级", "乡": "街镇级", "镇": "街镇级", "街道": "街镇级", "村": "村/社区",
                 "镇街级": "街镇级", "社区级": "村/社区", "村(社区)级": "村/社区", "市级以上": "市级"},
    "公开格式": {"文本": "文本", "文字": "文本", "图表": "图表", "图片": "图表", "图文": "图表",
                 "音频": "音频", "视频": "视频"},
    "公开渠道": {"政务新媒体": "两微一端", "新媒体": "两微一端", "微信": "两微一端", "微博": "两微一端",
                 "公开栏": "社区/村/企事业单位公示栏", "公示栏": "社区/村/企事业单位公示栏",
                 "社区公示栏": "社区/村/企事业单位公示栏", "村务公开栏": "社区/村/企事业单位公示栏",
                 "电子屏": "社区/村/企事业单位公示栏",
                 "社区/村/企事业单位公示栏(电子屏)": "社区/村/企事业单位公示栏",
                 "新闻发布会": "发布会/听证会", "发布会": "发布会/听证会", "听证会": "发布会/听证会",
                 "广播": "广播电视", "电视": "广播电视", "报刊": "纸质媒体", "报纸": "纸质媒体",
                 "便民服务中心": "便民服务站", "入户": "入户/现场", "现场": "入户/现场",
                 "政务服务大厅": "政务服务中心", "政府门户网站": "政府网站", "门户网站": "政府网站",
                 # issue 14 part T3: wordings of the sheets in the field
                 "纸质载体": "纸质媒体", "报刊杂志": "纸质媒体", "行政服务中心": "政务服务中心",
                 "政务大厅": "政务服务中心", "政务服务中心(大厅)": "政务服务中心", "便民服务站(点)": "便民服务站",
                 "便民服务点": "便民服务站", "新闻发布会/听证会": "发布会/听证会", "发布会听证会": "发布会/听证会",
                 "政务微博": "两微一端", "政务微信": "两微一端", "微信公众号": "两微一端", "政务客户端": "两微一端",
                 "入户现场": "入户/现场", "政府信息公开查阅点": "公开查阅点", "查阅点": "公开查阅点",
                 "政府网站信息公开专栏": "政府网站", "政府信息公开平台": "政府网站", "政府公报(公报)": "政府公报"},
}
BOARD_WORDS = ("公示栏", "公开栏", "宣传栏", "公告栏", "电子屏", "电子显示屏")  # every board is the one channel
SINGLE_VALUED = ("公开方式", "公开对象")
# When a single-valued element has both options ticked, the wider one is kept.
PREFERRED = {"公开方式": "主动公开", "公开对象": "全社会"}

# 过程 inferred from a leaf's name when the sheet has none (DB31 tables): first match wins.
STAGE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("服务", ("指南", "办事", "服务流程", "办理流程", "申请", "服务事项")),
    ("结果", ("结果", "名单", "公示", "决定", "发放", "评定", "统计", "情况")),
    ("决策", ("政策", "文件", "规划", "方案", "办法", "规定", "意见", "解读", "标准")),
    ("管理", ("监管", "检查", "监督", "抽检", "备案", "考核", "核查", "管理")),
    ("执行", ("部署", "进展", "实施", "落实", "动态", "计划", "推进")),
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_checked(text: str) -> bool:
    """Checkbox cell → ticked or not; ValueError for anything else."""
    t = _norm(text).lower()
    if t in CHECKED:
        return True
    if t in UNCHECKED:
        return False
    raise ValueError(f"应为 ■（是）或 □（否），实际是「{text}」")


def canonical(key: str, text: str) -> str:
    """One option of a vocabulary element in gkpub's wording (unknown text comes back as is)."""
    t = _norm(text)
    return ALIASES.get(key, {}).get(t, t)


# 口 (the character) typed for an empty box: «■政府网站 口两微一端». Only where a box stands:
# at the start of the cell or after a space, a separator or another box.
_MOUTH_BOX_RE = re.compile(rf"(^|[\s{_MARKS}、，,；;])口(?=[^\s口{_MARKS}])")


def _known_names() -> tuple[str, ...]:
    names = set(DEFAULT_CHANNELS) | set(ALIASES["公开渠道"]) | set(ALIASES["公开方式"])
    return tuple(sorted(names, key=len, reverse=True))


def boxes(text: str) -> str:
    """``text`` with 口 read as □ where it stands for an empty box: where a box may stand (see
    _MOUTH_BOX_RE), or right after another name when a channel's name follows it
    («■政府网站口政府公报»; 窗口, 入口 are left alone)."""
    text = _MOUTH_BOX_RE.sub(r"\1□", text)
    if "口" not in text or not has_marks(text):
        return text
    names = _known_names()
    out = list(text)
    for i, ch in enumerate(text):
        if ch == "口" and unicodedata.normalize("NFKC", text[i + 1:]).startswith(names):
            out[i] = "□"
    return "".join(out)


def has_marks(text: str) -> bool:
    """Does the cell tick options inside itself («■主动 □依申请»)?"""
    return any(m in text for m in _MARKS)


def options(key: str, text: str) -> list[str]:
    """The values in a cell: «■主动 □依申请» keeps the ticked ones; otherwise a list."""
    if has_marks(text):
        picked = [name for mark, name in _MARKED_RE.findall(text) if is_checked(mark)]
        return [canonical(key, p) for p in picked if p.strip()]
    return [canonical(key, p) for p in split_cell(key, text)]


def single(key: str, values: list[str]) -> str | None:
    uniq = list(dict.fromkeys(values))
    if not uniq:
        return None
    if len(uniq) > 1 and PREFERRED.get(key) in uniq:
        return PREFERRED[key]
    return uniq[0]


def stage(text: str) -> str:
    t = _norm(text).removesuffix("公开")
    if t not in STAGES:
        raise ValueError(f"「{text}」不是五公开环节；可用：{'、'.join(STAGES)}")
    return t


def infer_stage(*names: str) -> str | None:
    for name in names:
        for value, words in STAGE_WORDS:
            if any(w in name for w in words):
                return value
    return None


def matter_type(text: str) -> str:
    t = _norm(text)
    return t[:-1] if t.endswith("类") and len(t) > 2 else t


# ---------------------------------------------------------------- channels (公开渠道和载体)

_SEPARATORS_RE = re.compile(r"[\n；;、，,\s]+")
_QUALIFIER_RE = re.compile(r"^(.+?)\((.+)\)$")


def tokens(text: str) -> list[str]:
    """The entries of a channel cell: the ticked ones of a box list («■政府网站□政府公报»),
    else the cell split at lines, 、，； and spaces (a «（电子屏）» after a space stays with
    its name). Entries come back NFKC-normalised."""
    text = unicodedata.normalize("NFKC", boxes(text))
    if has_marks(text):
        first = min(text.index(m) for m in _MARKS if m in text)
        if text[:first].strip():
            raise ValueError(f"「{text[:first].strip()}」前面没有勾选框（■ 或 □）：请标明是否选用")
        parts = [name for mark, name in _MARKED_RE.findall(text) if is_checked(mark)]
    else:
        parts = [text]
    out: list[str] = []
    for part in parts:
        for piece in _SEPARATORS_RE.split(part.strip()):
            piece = piece.strip().rstrip("。.等")
            if not piece:
                continue
            if piece.startswith("(") and out:
                out[-1] += piece
            else:
                out.append(piece)
    return out


def mode(text: str) -> str | None:
    """主动 / 依申请 (and their 公开 forms) as gkpub's 公开方式, else None."""
    value = ALIASES["公开方式"].get(_norm(text))
    return value if value in MODES else None


def channel(text: str, allowed: tuple[str, ...]) -> tuple[str | None, str]:
    """One channel entry in the site's vocabulary ``allowed``: (the value or None, what of the
    entry was left out — a qualifier like «（村民大会）» after 其他 — or "").

    The entry itself when the site lists it; else its alias (公开栏 → 社区/村/企事业单位公示栏)
    when the site lists that; else the same for the name before a trailing qualifier."""
    t = _norm(text)
    candidates = [(t, "")]
    m = _QUALIFIER_RE.match(t)
    if m:
        candidates.append((m.group(1), m.group(2)))
    for cand, rest in candidates:
        if cand in allowed:
            return cand, rest
        target = ALIASES["公开渠道"].get(cand)
        if target is None and any(w in cand for w in BOARD_WORDS):
            target = BOARD_CHANNEL
            rest = ""  # «（电子屏）» and the board's own wording: the board channel says it all
        if target in allowed:
            return target, rest
    return None, ""
