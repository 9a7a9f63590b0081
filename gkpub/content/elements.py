"""Checking and normalising the value of one element, for items and catalogue leaves alike."""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from gkpub.content.config import SiteConfig
from gkpub.content.hints import did_you_mean_typo, unknown_org_message
from gkpub.content.schema import Field
from gkpub.util.errors import allowed_list, did_you_mean

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
DOC_NO_RE = re.compile(r"^(\S+?)〔(\d{4})〕(\d+)号$")
_DOC_NO_LOOSE = re.compile(r"^(\S+?)\s*[\[【(（〔［]\s*(\d{4})\s*[\]】)）〕］]\s*第?\s*0*(\d+)\s*号?$")
INDEX_NO_RE = re.compile(r"^([0-9A-Z]{9,18})/(\d{4})-(\d{5})$")

# An element check returns the normalised value, or raises ElementError with a Chinese message.


class ElementError(Exception):
    pass


_LOOSE_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _loose_date(text: str) -> str | None:
    """2026年3月5日, 2026/3/5, 2026.3.5 or 2026-3-5 as the YYYY-MM-DD it means, if it is a day."""
    m = _LOOSE_DATE_RE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = DATE_RE.match(text)
    if not m:
        meant = _loose_date(text)
        example = f"即「{meant}」" if meant else "如 2026-03-05"
        raise ElementError(f"「{text}」不是日期；应写作 YYYY-MM-DD，{example}")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ElementError(f"「{text}」这一天不存在（{int(m.group(2))}月没有{int(m.group(3))}日或月份不对）；"
                           "请核对日期") from None


def parse_time(value: Any) -> str:
    """A time of day as ``HH:MM`` (24-hour clock); 9:30 becomes 09:30."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    m = TIME_RE.match(text) if text is not None else None
    if not m:
        shown = text if text is not None else _shown(value)
        raise ElementError(f"「{shown}」不是时刻；应写作 HH:MM（24 小时制），如 09:30、15:00")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def normalize_doc_no(text: str) -> str:
    """The 文号 in the 〔年〕 form, or raise with the corrected form when we can guess it."""
    text = text.strip()
    if DOC_NO_RE.match(text):
        return text
    m = _DOC_NO_LOOSE.match(text)
    hint = (f"应写作「{m.group(1)}〔{m.group(2)}〕{m.group(3)}号」" if m
            else "格式为 机关代字〔年份〕序号号，如 青民发〔2026〕5号")
    raise ElementError(f"文号「{text}」格式不对；{hint}（年份用六角括号〔〕）")


def _check_str(value: Any) -> str:
    if isinstance(value, (dict, list)) or value is None:
        raise ElementError("应是一段文字")
    return str(value).strip()


def _check_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [str(value).strip()]
    if not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value):
        raise ElementError("应是列表，如 [政府网站, 政务服务中心]")
    return [str(v).strip() for v in value]


def _check_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("是", "否"):
        return value == "是"
    raise ElementError(f"「{value}」应是 true 或 false")


def _shown(value: Any) -> str:
    """A value as the editor wrote it: YAML's `.nan` / `.inf` rather than Python's nan / inf."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return str(value)


def _check_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ElementError(f"「{_shown(value)}」应是非负整数，如 12")
    return value


def _check_number(value: Any) -> float:
    # .nan / .inf are floats to YAML but no amount, and would make items.json invalid JSON
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ElementError(f"「{_shown(value)}」应是非负数字（单位：万元），如 12.5；不能是 .nan 或 .inf")
    return float(value)


def _check_period(value: Any) -> dict[str, dt.date]:
    if not isinstance(value, dict) or set(value) - {"开始", "结束"} or "开始" not in value or "结束" not in value:
        raise ElementError("应写作 {开始: YYYY-MM-DD, 结束: YYYY-MM-DD}")
    start, end = parse_date(value["开始"]), parse_date(value["结束"])
    if end < start:
        raise ElementError(f"结束日期 {end} 早于开始日期 {start}")
    return {"开始": start, "结束": end}


_KIND_CHECKS: dict[str, Callable[[Any], Any]] = {
    "str": _check_str,
    "text": _check_str,
    "date": parse_date,
    "time": parse_time,
    "list": _check_list,
    "bool": _check_bool,
    "int": _check_int,
    "number": _check_number,
    "period": _check_period,
    "attachments": lambda v: v,  # checked by the item validator: it needs the file location
}


def is_empty(value: Any) -> bool:
    """``key:``, ``key: ~`` and ``key: ""`` (or blanks) all leave a value out."""
    return value is None or (isinstance(value, str) and not value.strip())


def _empty_message(fld: Field, cfg: SiteConfig) -> str:
    if fld.vocab:
        wanted = f"请写其中之一：{allowed_list(cfg.vocabulary(fld.vocab))}"
    else:
        wanted = {"bool": "请写 true（不发布）或 false（发布）", "date": "请写日期，如 2026-03-05"}.get(
            fld.kind, "请写出内容")
    if fld.required:
        return f"必填字段的值是空的；{wanted}"
    return f"值是空的；{wanted}，或删去这一行（写了却留空不会按默认值处理）"


def check_element(fld: Field, value: Any, cfg: SiteConfig, org_hint: bool = False) -> Any:
    """Normalise ``value`` for ``fld``; raise ElementError naming what is allowed.

    ``org_hint``: a 公开主体 not in site.toml is answered with the [[org]] table to add (items
    and catalogue files); without it, with the allowed values (the catalogue importer, which
    prints its own snippet for every new body at once)."""
    if is_empty(value) and (fld.required or fld.gate):
        raise ElementError(_empty_message(fld, cfg))
    if fld.key == "过程" and isinstance(value, list):
        raise ElementError("只能写一个五公开环节（决策、执行、管理、服务、结果之一）；跨几个环节的，拆成几个公开内容，"
                           "或在信息中写「过程:」覆盖目录的环节（见 README「一个条目跨几个环节」）")
    out = _KIND_CHECKS[fld.kind](value)
    if fld.vocab:
        allowed = cfg.vocabulary(fld.vocab)
        for v in out if isinstance(out, list) else [out]:
            if v not in allowed and fld.vocab == "orgs" and org_hint:
                raise ElementError(unknown_org_message(v, cfg))
            if v not in allowed:
                hint = did_you_mean(v, allowed)
                raise ElementError(f"「{v}」不是允许的值；{hint}可用：{allowed_list(allowed)}")
        if fld.vocab == "orgs":
            org = cfg.org_by_name(out)
            assert org is not None  # out is in the vocabulary: the orgs' names and short names
            out = org.name  # short names → the official name
    if fld.key == "文号" and out:
        out = normalize_doc_no(out)
    if fld.key == "索引号":
        m = INDEX_NO_RE.match(out)
        if not m:
            raise ElementError(f"索引号「{out}」格式不对；"
                               "应为 机构代码/年份-五位序号，如 11539901MB00002030/2026-00012")
        if not cfg.org_by_code(m.group(1)) and not cfg.codes_unsure:
            codes = [o.code for o in cfg.orgs]
            raise ElementError(f"索引号的机构代码「{m.group(1)}」不属于 site.toml 中任何机关；"
                               f"{did_you_mean_typo(m.group(1), codes, budget=2)}"
                               "索引号以公开主体的统一社会信用代码（site.toml 中 [[org]] 的 code）开头，"
                               "新的一篇请用 gkpub new item 生成")
    return out
