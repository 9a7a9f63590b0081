"""`gkpub report annual YEAR`: the counts of the national 2021 annual-report format
(国办公开办函〔2021〕30号) that can be taken from the items, and a Markdown draft.

What is counted, for the year YEAR:
- 规章 / 行政规范性文件 (front-matter 文件类型): 本年制发 = 成文日期 in YEAR;
  本年废止 = 废止日期 in YEAR; 现行有效 = formed by 31 December and neither repealed
  nor past its 有效期至 on that day.
- 行政许可 / 行政处罚 / 行政强制 (事项类型, own or from the catalogue): 本年处理决定数量 =
  the sum of 处理决定数 of the items formed in YEAR.
- 行政事业性收费: 本年收费金额 (万元) = the sum of 收费金额 of the items formed in YEAR.

Scope: every item that is not a draft, published on the portal or not (依申请公开,
不予公开, not yet due): the report counts documents issued and decisions taken, not
web pages. The draft says so.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gkpub.content.model import Item, Site
from gkpub.content.schema import DECISION_KINDS, STAGES

DOCUMENT_KINDS: tuple[str, ...] = ("规章", "行政规范性文件")
TODO = "（请填写）"


@dataclass
class DocCounts:
    issued: int = 0
    repealed: int = 0
    in_force: int = 0


@dataclass
class AnnualCounts:
    year: int
    docs: dict[str, DocCounts]
    decisions: dict[str, int]
    fees: float
    considered: int  # items formed in the year (drafts excluded)
    on_portal: int  # of which published on the portal
    published_by_stage: dict[str, int]  # items the portal published during the year
    uncounted_decisions: list[Item] = field(default_factory=list)  # result items without 处理决定数


def _in_year(d: dt.date | None, year: int) -> bool:
    return d is not None and d.year == year


def count_year(site: Site, year: int) -> AnnualCounts:
    end = dt.date(year, 12, 31)
    items = [i for i in site.items if not i.el.get("草稿")]
    on_portal = {id(i) for i in site.published}
    docs = {k: DocCounts() for k in DOCUMENT_KINDS}
    decisions = {k: 0 for k in DECISION_KINDS}
    fees = 0.0
    uncounted: list[Item] = []
    for item in items:
        kind = item.el.get("文件类型")
        if kind in docs:
            c = docs[kind]
            c.issued += _in_year(item.written, year)
            c.repealed += _in_year(item.el.get("废止日期"), year)
            c.in_force += item.written <= end and not item.expired(end)
        if not _in_year(item.written, year):
            continue
        matter_type = item.el.get("事项类型")
        if matter_type in decisions:
            if item.el.get("处理决定数") is not None:
                decisions[matter_type] += item.el["处理决定数"]
            elif item.stage == "结果":
                uncounted.append(item)
        fees += item.el.get("收费金额") or 0.0
    formed = [i for i in items if _in_year(i.written, year)]
    by_stage = {s: sum(1 for i in site.published if i.stage == s and _in_year(i.published, year))
                for s in STAGES}
    return AnnualCounts(year=year, docs=docs, decisions=decisions, fees=round(fees, 4),
                        considered=len(formed), on_portal=sum(1 for i in formed if id(i) in on_portal),
                        published_by_stage=by_stage,
                        uncounted_decisions=sorted(uncounted, key=lambda i: i.source))


def _amount(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x else "0"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def annual_draft(site: Site, c: AnnualCounts) -> str:
    cfg = site.config
    y = c.year
    held = c.considered - c.on_portal
    stage_text = "、".join(f"{s}类 {n} 条" for s, n in c.published_by_stage.items())
    lines: list[str] = [
        "---",
        f"标题: {cfg.government}{y}年政府信息公开工作年度报告",
        f"发布机构: {cfg.government}",
        "---",
        "",
        f"> 草稿：由 gkpub report annual {y} 根据截至 {site.today} 的内容生成。第二部分的表格已按信息统计填好，"
        f"请核对；标有「{TODO}」的部分请补充完整，删去本段后另存为 content/pages/annual/{y}.md 并填写发布日期。",
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（国办公开办函〔2021〕30号）编制。报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        "",
        "## 一、总体情况",
        "",
        f"{TODO}主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面的工作情况。",
        "",
        f"参考数据：本年度在门户网站主动公开政府信息 {sum(c.published_by_stage.values())} 条，"
        f"其中{stage_text}。",
        "",
        "## 二、主动公开政府信息情况",
        "",
        "| 第二十条第（一）项 | | | |",
        "| --- | --- | --- | --- |",
        "| **信息内容** | **本年制发件数** | **本年废止件数** | **现行有效件数** |",
    ]
    lines += [f"| {k} | {d.issued} | {d.repealed} | {d.in_force} |" for k, d in c.docs.items()]
    lines += [""]
    lines += _table(["第二十条第（五）项", ""], [["**信息内容**", "**本年处理决定数量**"],
                                          ["行政许可", c.decisions["行政许可"]]])
    lines += [""]
    lines += _table(["第二十条第（六）项", ""], [["**信息内容**", "**本年处理决定数量**"],
                                          ["行政处罚", c.decisions["行政处罚"]],
                                          ["行政强制", c.decisions["行政强制"]]])
    lines += [""]
    lines += _table(["第二十条第（八）项", ""], [["**信息内容**", "**本年收费金额（单位：万元）**"],
                                          ["行政事业性收费", _amount(c.fees)]])
    lines += [
        "",
        f"统计口径：成文日期在{y}年的全部信息（草稿除外）共 {c.considered} 条，其中已在网站公开 {c.on_portal} 条、"
        f"未在网站公开 {held} 条（依申请公开、不予公开或尚未到发布日期）。年报统计的是制发文件和作出处理决定的数量，"
        f"不论是否在网上公开，所以两者都计入。规章、行政规范性文件按「文件类型」统计，「本年废止」按「废止日期」，"
        f"「现行有效」指截至{y}年12月31日未废止、未过「有效期至」；处理决定按「事项类型」和「处理决定数」统计；"
        f"收费金额按「收费金额」（万元）合计。",
    ]
    if c.uncounted_decisions:
        lines += ["", f"请核对：以下 {len(c.uncounted_decisions)} 条结果类信息属于行政许可、行政处罚或行政强制，"
                      f"但没有填写「处理决定数」，未计入上表："]
        lines += [f"- {i.source}（{i.el.get('事项类型')}）" for i in c.uncounted_decisions]
    lines += [
        "",
        "## 三、收到和处理政府信息公开申请情况",
        "",
        f"{TODO}按年度报告格式的申请情况统计表填写：本年新收申请数量、上年结转、本年度办理结果、结转下年度继续办理，"
        f"按自然人、法人或其他组织分列。",
        "",
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "",
        "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        "| | | | | | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
        "| " + " | ".join(["　"] * 15) + " |",
        "",
        "## 五、存在的主要问题及改进情况",
        "",
        f"{TODO}上一年度问题的改进情况，本年度存在的主要问题和改进措施。可参考 gkpub check 的合规检查结果。",
        "",
        "## 六、其他需要报告的事项",
        "",
        f"{TODO}依据《政府信息公开信息处理费管理办法》收取信息处理费的情况，本年度人大代表建议和政协提案办理结果公开情况，"
        f"年度政务公开工作要点落实情况，以及其他需要报告的事项。",
        "",
    ]
    return "\n".join(lines)
