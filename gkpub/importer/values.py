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
from gkpub.content.schema import STAGES

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
                 "村(居)": "村/社区", "村居": "村/社区"},
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
                 "政务服务大厅": "政务服务中心", "政府门户网站": "政府网站", "门户网站": "政府网站"},
}
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
