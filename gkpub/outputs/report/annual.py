"""`gkpub report annual YEAR [--org 机关]`: a draft of the annual report in the national format
(国办公开办函〔2021〕30号), one per publishing body, and the district's.

Whose report: with ``--org`` a department's or a township's, counting its own items and its
own register rows; without it (or naming the government) the district's, counting every
body's, as a district report does.

What is counted, for the year YEAR:
- §二 规章 / 行政规范性文件 (front-matter 文件类型): 本年制发 = 成文日期 in YEAR;
  本年废止 = 废止日期 in YEAR; 现行有效 = formed by 31 December and neither repealed
  nor past its 有效期至 on that day.
- §二 行政许可 / 行政处罚 / 行政强制 (事项类型, own or from the catalogue): 本年处理决定数量 =
  the sum of 处理决定数 (else the number of 决定文号) of the items whose decision falls in YEAR:
  the 决定日期 when the item states it, else the 成文日期. A decision two items count (one
  文号) is counted once (compliance.annual).
- §二 行政事业性收费: 本年收费金额 (万元) = the sum of 收费金额 of the items formed in YEAR.
- §三 from the 依申请公开 register (content.requests): 本年新收 = received in YEAR; 上年结转 =
  received before YEAR and not answered by its first day; 办理结果 = answered in YEAR, by
  result; 结转下年度 = received by 31 December and not answered by then. So the form's check
  holds: 一 + 二 = 三（七） + 四.
- §四: the register's 行政复议 / 行政诉讼 outcomes of the cases answered in YEAR (or, not
  answered, received in YEAR); a lawsuit after a review is 复议后起诉, else 未经复议直接起诉.
- §一, §五, §六: the counts gkpub has (published items by stage, 解读, 回应, 公开属性, the
  register, its own findings, 信息处理费), with 「（请填写）」 where only a person can write.

Scope: every item that is not a draft, published on the portal or not (依申请公开,
不予公开, not yet due): the report counts documents issued and decisions taken, not
web pages. The draft says so.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from gkpub.compliance.annual import (
    TODO,
    counts_decisions,
    deadline,
    decision_count,
    decision_day,
    decision_keys,
    is_government,
    page_name,
    report_title,
)
from gkpub.compliance.checks import check_site
from gkpub.compliance.findings import KIND_BY_ID, KINDS, Finding
from gkpub.content.config import Org
from gkpub.content.model import Item, Leaf, Site
from gkpub.content.requests import REGISTER_DIR, Request, Result
from gkpub.content.schema import ATTRIBUTES, DECISION_KINDS, STAGES
from gkpub.outputs.report import national

DOCUMENT_KINDS: tuple[str, ...] = ("规章", "行政规范性文件")


@dataclass
class DocCounts:
    issued: int = 0
    repealed: int = 0
    in_force: int = 0


@dataclass
class RequestCounts:
    """§三 and §四 from the register, per applicant type (national.APPLICANT_TYPES)."""

    new: Counter[str] = field(default_factory=Counter)
    carried_in: Counter[str] = field(default_factory=Counter)
    results: dict[Result, Counter[str]] = field(default_factory=dict)
    carried_out: Counter[str] = field(default_factory=Counter)
    review: Counter[str] = field(default_factory=Counter)
    direct: Counter[str] = field(default_factory=Counter)  # 未经复议直接起诉
    after_review: Counter[str] = field(default_factory=Counter)  # 复议后起诉
    fee_yuan: float = 0.0
    charged: int = 0  # cases with a 信息处理费
    answered: int = 0
    supplements: int = 0  # cases with a notice to 补正 received in the year
    extended: int = 0

    @property
    def total_new(self) -> int:
        return sum(self.new.values())

    @property
    def total_in(self) -> int:
        return sum(self.carried_in.values())

    @property
    def total_out(self) -> int:
        return sum(self.carried_out.values())

    @property
    def reviews(self) -> int:
        return sum(self.review.values())

    @property
    def lawsuits(self) -> int:
        return sum(self.direct.values()) + sum(self.after_review.values())


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
    org: Org | None = None  # whose report; None: the district's
    requests: RequestCounts = field(default_factory=RequestCounts)
    register_rows: int = 0  # register rows of the body (every year)
    duplicates: int = 0  # decisions two items count, counted once
    redated: list[Item] = field(default_factory=list)  # counted by 决定日期 in another year than 成文日期
    attributes: dict[str, int] = field(default_factory=dict)  # 公开属性 of the items formed in the year
    interpretations: int = 0  # 解读 published in the year
    responses: int = 0  # 回应 published in the year
    board_items: int = 0  # published in the year and posted on community boards
    leaves: int = 0  # catalogue leaves of the body
    domains: int = 0
    findings: list[Finding] = field(default_factory=list)  # gkpub's own, for §五

    @property
    def body(self) -> str:
        return "本机关" if self.org is not None else "全区"


def _in_year(d: dt.date | None, year: int) -> bool:
    return d is not None and d.year == year


def scope_org(site: Site, org: Org | None) -> Org | None:
    """The body a report is for: None for the district (no --org, or the government)."""
    if org is not None and is_government(org, site.config):
        return None
    return org


def _mine(org: Org | None, body: Org) -> bool:
    return org is None or body.name == org.name


def count_requests(requests: list[Request], year: int) -> RequestCounts:
    c = RequestCounts()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for req in requests:
        a = req.applicant
        if _in_year(req.received, year):
            c.new[a] += 1
        elif req.received < start and req.open_at(start - dt.timedelta(days=1)):
            c.carried_in[a] += 1
        if req.result is not None and _in_year(req.replied, year):
            c.results.setdefault(req.result, Counter())[a] += 1
            c.answered += 1
            if req.fee:
                c.fee_yuan += req.fee
                c.charged += 1
        if req.open_at(end):
            c.carried_out[a] += 1
        if _in_year(req.supplement_asked, year):
            c.supplements += 1
        if _in_year(req.extended, year):
            c.extended += 1
        counted_here = _in_year(req.replied, year) or (req.replied is None and _in_year(req.received, year))
        if counted_here:
            if req.review:
                c.review[req.review] += 1
            if req.lawsuit:
                (c.after_review if req.review else c.direct)[req.lawsuit] += 1
    c.fee_yuan = round(c.fee_yuan, 2)
    return c


def _owned(site: Site, leaf: Leaf, org: Org) -> bool:
    """Is ``org`` the catalogue leaf's 公开主体?"""
    owner = site.config.org_by_name(str(leaf.elements.get("公开主体") or ""))
    return owner is not None and owner.name == org.name


def _scoped_findings(site: Site, org: Org | None, year: int) -> list[Finding]:
    """gkpub's findings about the body's items of the year, its catalogue leaves, its register
    rows of the year and its annual reports of the year and the one before."""
    items = {i.source: i for i in site.items}
    requests = {(r.source, r.line): r for r in site.requests}
    leaves = {(leaf.source, leaf.line): leaf for leaf in site.catalog.leaves}
    titles = {report_title(o.name, y) for o in site.config.orgs if _mine(org, o) for y in (year - 1, year)}
    out: list[Finding] = []
    for f in check_site(site).findings:
        if f.severity != "warning":
            continue  # 提示 (an ended 公示, say) is not a problem to report
        item = items.get(f.file)
        req = requests.get((f.file, f.line))
        leaf = leaves.get((f.file, f.line))
        if item is not None:
            keep = _mine(org, item.org) and (_in_year(item.published, year) or _in_year(item.written, year))
        elif req is not None:
            keep = _mine(org, req.org) and (_in_year(req.received, year) or _in_year(req.replied, year))
        elif leaf is not None:
            keep = org is None or _owned(site, leaf, org)
        else:
            keep = f.subject in titles
        if keep:
            out.append(f)
    return out


def count_year(site: Site, year: int, org: Org | None = None) -> AnnualCounts:
    org = scope_org(site, org)
    end = dt.date(year, 12, 31)
    items = [i for i in site.items if not i.el.get("草稿") and _mine(org, i.org)]
    published = [i for i in site.published if _mine(org, i.org)]
    on_portal = {id(i) for i in published}
    docs = {k: DocCounts() for k in DOCUMENT_KINDS}
    decisions = {k: 0 for k in DECISION_KINDS}
    fees = 0.0
    uncounted: list[Item] = []
    redated: list[Item] = []
    seen: set[tuple[str, str]] = set()
    duplicates = 0
    for item in sorted(items, key=lambda i: (i.published, i.source)):  # the order duplicates are found in
        kind = item.el.get("文件类型")
        if kind in docs:
            c = docs[kind]
            c.issued += _in_year(item.written, year)
            c.repealed += _in_year(item.el.get("废止日期"), year)
            c.in_force += item.written <= end and not item.expired(end)
        if counts_decisions(item) and _in_year(decision_day(item), year):
            matter_type = item.el["事项类型"]
            n = decision_count(item)
            if n is not None:
                keys = decision_keys(item)
                again = sum(1 for k in keys if (matter_type, k) in seen)
                seen.update((matter_type, k) for k in keys)
                duplicates += min(again, n)
                decisions[matter_type] += max(0, n - again)
                if decision_day(item).year != item.written.year:
                    redated.append(item)
            elif item.stage == "结果":
                uncounted.append(item)
        if _in_year(item.written, year):
            fees += item.el.get("收费金额") or 0.0
    formed = [i for i in items if _in_year(i.written, year)]
    this_year = [i for i in published if _in_year(i.published, year)]
    by_stage = {s: sum(1 for i in this_year if i.stage == s) for s in STAGES}
    requests = [r for r in site.requests if _mine(org, r.org)]
    leaves = [leaf for leaf in site.catalog.leaves if org is None or _owned(site, leaf, org)]
    return AnnualCounts(
        year=year, docs=docs, decisions=decisions, fees=round(fees, 4), considered=len(formed),
        on_portal=sum(1 for i in formed if id(i) in on_portal), published_by_stage=by_stage,
        uncounted_decisions=sorted(uncounted, key=lambda i: i.source), org=org,
        requests=count_requests(requests, year), register_rows=len(requests), duplicates=duplicates,
        redated=sorted(redated, key=lambda i: i.source),
        attributes={a: sum(1 for i in formed if i.attribute == a) for a in ATTRIBUTES},
        interpretations=sum(1 for i in this_year if i.el.get("信息环节") == "解读" or i.el.get("解读")),
        responses=sum(1 for i in this_year if i.el.get("信息环节") == "回应"),
        board_items=sum(1 for i in this_year if i.el.get("公开栏")),
        leaves=len(leaves), domains=len({leaf.domain.name for leaf in leaves}),
        findings=_scoped_findings(site, org, year),
    )


def _amount(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x else "0"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def _part_one(site: Site, c: AnnualCounts) -> list[str]:
    r = c.requests
    stage_text = "、".join(f"{s}类 {n} 条" for s, n in c.published_by_stage.items())
    attr = c.attributes
    answered_results = {res.name: sum(n.values()) for res, n in r.results.items()}
    granted = answered_results.get("予以公开", 0) + answered_results.get("部分公开", 0)
    boards = (f"，张贴到社区（村）公开栏 {c.board_items} 条" if c.board_items else "")
    catalogue = (f"本机关负责基层政务公开标准目录中 {c.domains} 个领域的 {c.leaves} 项公开内容，在门户网站逐项设置栏目"
                 if c.org else f"网站按基层政务公开标准目录设置 {c.domains} 个领域、{c.leaves} 个公开内容栏目")
    n_boards = len(site.config.boards)
    boards_set = f"，在 {n_boards} 个社区（村）设置政务公开栏" if c.org is None and n_boards else ""
    lines = [
        "## 一、总体情况",
        "",
        f"{TODO}本年度{c.body}政府信息公开工作的总体情况（贯彻落实条例、年度工作要点的主要举措）。",
        "",
        f"（一）主动公开。本年度通过政府门户网站主动公开政府信息 {sum(c.published_by_stage.values())} 条，"
        f"其中{stage_text}；发布政策解读 {c.interpretations} 篇，回应社会关切 {c.responses} 条{boards}。{TODO}"
        f"主动公开的重点领域和特色做法。",
        "",
        f"（二）依申请公开。本年度新收政府信息公开申请 {r.total_new} 件，上年结转 {r.total_in} 件，"
        f"办结 {r.answered} 件（其中予以公开、部分公开 {granted} 件），结转下年度继续办理 {r.total_out} 件；"
        f"告知补正 {r.supplements} 件，延期答复 {r.extended} 件。{TODO}办理机制和规范答复的做法。",
        "",
        f"（三）政府信息管理。本年度形成的信息 {c.considered} 条，按公开属性：主动公开 {attr.get('主动公开', 0)} 条、"
        f"删减后公开 {attr.get('删减后公开', 0)} 条、依申请公开 {attr.get('依申请公开', 0)} 条、"
        f"不予公开 {attr.get('不予公开', 0)} 条；行政规范性文件本年制发 {c.docs['行政规范性文件'].issued} 件、"
        f"废止 {c.docs['行政规范性文件'].repealed} 件。{TODO}公开属性源头认定、保密审查和文件清理的情况。",
        "",
        f"（四）政府信息公开平台建设。{catalogue}{boards_set}。"
        f"{TODO}网站、政务新媒体、公开查阅点等平台的建设情况。",
        "",
        f"（五）监督保障。{TODO}工作考核、社会评议和责任追究结果情况，培训情况。",
    ]
    return lines


def _part_two(c: AnnualCounts) -> list[str]:
    y = c.year
    held = c.considered - c.on_portal
    lines = [
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
        f"「现行有效」指截至{y}年12月31日未废止、未过「有效期至」；处理决定按「事项类型」和「处理决定数」统计，"
        f"计入「决定日期」所在年度（未填写时按成文日期）；收费金额按「收费金额」（万元）合计。",
    ]
    if c.duplicates:
        lines += ["", f"请核对：有 {c.duplicates} 件处理决定被两篇信息同时计入（同一决定文号），上表只计一次；"
                      f"gkpub check 的「处理决定重复计算」列出了这些信息。"]
    if c.redated:
        lines += ["", f"以下 {len(c.redated)} 条信息按「决定日期」计入，与成文日期不在同一年度："]
        lines += [f"- {i.source}（决定日期 {decision_day(i)}，成文日期 {i.written}）" for i in c.redated]
    if c.uncounted_decisions:
        lines += ["", f"请核对：以下 {len(c.uncounted_decisions)} 条结果类信息属于行政许可、行政处罚或行政强制，"
                      f"但没有填写「处理决定数」，未计入上表："]
        lines += [f"- {i.source}（{i.el.get('事项类型')}）" for i in c.uncounted_decisions]
    return lines


def _part_three(c: AnnualCounts) -> list[str]:
    y, r = c.year, c.requests
    grid = national.request_table(r.new, r.carried_in, r.results, r.carried_out)
    lines = ["## 三、收到和处理政府信息公开申请情况", ""]
    lines += national.markdown(grid, heading_rows=3)
    where = f"{REGISTER_DIR}/ 中的依申请公开登记表"
    if c.register_rows:
        source = f"以上数据来自 {where}（{c.register_rows} 件申请的记录）"
    else:
        source = (f"{where}中没有{c.body}的申请记录，以上数据均为 0；如本年度收到过申请，"
                  "请先补充登记表（可用 gkpub import requests 导入）")
    lines += [
        "",
        f"统计口径：{source}。收到日期在{y}年的计为本年新收；{y}年以前收到、截至{y - 1}年12月31日尚未答复的"
        f"计为上年结转；答复日期在{y}年的按办理结果计入第三项；截至{y}年12月31日仍未答复的计为结转下年度继续办理。",
    ]
    return lines


def _part_four(c: AnnualCounts) -> list[str]:
    r = c.requests
    grid = national.review_table(r.review, r.direct, r.after_review)
    lines = ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
    lines += national.markdown(grid, heading_rows=3)
    lines += ["", f"统计口径：依申请公开登记表中「行政复议」「行政诉讼」两列，按答复日期（未答复的按收到日期）"
                  f"在{c.year}年的申请统计；经行政复议后又起诉的计为复议后起诉。本年度被申请行政复议 {r.reviews} 件、"
                  f"被提起行政诉讼 {r.lawsuits} 件。"]
    return lines


def _part_five(c: AnnualCounts, today: dt.date) -> list[str]:
    lines = [
        "## 五、存在的主要问题及改进情况",
        "",
        f"（一）上一年度问题的改进情况。{TODO}上一年度年报所列问题的整改情况。",
        "",
    ]
    if c.findings:
        counts = Counter(f.kind for f in c.findings)
        parts = "、".join(f"{k.title} {counts[k.id]} 项" for k in KINDS if counts[k.id])
        lines += [f"（二）本年度存在的主要问题。按 gkpub 合规检查（截至 {today}），{c.body}本年度的信息、标准目录栏目和"
                  f"依申请公开登记表中共发现 {len(c.findings)} 项问题：{parts}。主要是："]
        for k in KINDS:
            if counts[k.id]:
                lines.append(f"- {k.title}（{counts[k.id]} 项）：{KIND_BY_ID[k.id].explain}")
        lines += ["", f"具体条目见 gkpub check 的输出或内部合规报告（reports/，不随网站发布）。{TODO}问题的原因分析。"]
    else:
        lines += [f"（二）本年度存在的主要问题。按 gkpub 合规检查（截至 {today}），{c.body}本年度的信息、标准目录栏目和"
                  f"依申请公开登记表中未发现问题。{TODO}检查之外发现的问题。"]
    lines += ["", f"（三）改进措施。{TODO}下一年度的改进措施。"]
    return lines


def _part_six(c: AnnualCounts) -> list[str]:
    r = c.requests
    if r.charged:
        fee = (f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费 {r.charged} 件，"
               f"共计 {_amount(r.fee_yuan)} 元。")
    else:
        fee = "本年度未收取信息处理费。"
    return [
        "## 六、其他需要报告的事项",
        "",
        f"（一）信息处理费收取情况。{fee}",
        "",
        f"（二）人大代表建议和政协提案办理结果公开情况。{TODO}",
        "",
        f"（三）年度政务公开工作要点落实情况。{TODO}",
        "",
        f"（四）其他事项。{TODO}其他需要报告的事项；没有的写「无」。",
    ]


def annual_draft(site: Site, c: AnnualCounts) -> str:
    cfg = site.config
    y = c.year
    body = c.org or cfg.government_org
    name = body.name if body is not None else cfg.government
    due = deadline(body, cfg, y) if body is not None else dt.date(y + 1, 3, 31)
    target = page_name(body, cfg, y) if body is not None else f"content/pages/annual/{y}.md"
    lines: list[str] = [
        "---",
        f"标题: {report_title(name, y)}",
        f"发布机构: {name}",
        "---",
        "",
        f"> 草稿：由 gkpub report annual {y}{' --org ' + c.org.short if c.org else ''} 根据截至 {site.today} 的内容和"
        f"依申请公开登记表生成。第二、三、四部分的表格已按统计填好，请核对；第一、五、六部分的数字已填好，"
        f"标有「{TODO}」的地方请补充完整。删去本段后另存为 {target}，"
        f"填写发布日期（应在 {due} 前发布，条例第四十九条）。",
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（国办公开办函〔2021〕30号）编制。报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        "",
    ]
    lines += _part_one(site, c)
    lines += [""] + _part_two(c)
    lines += [""] + _part_three(c)
    lines += [""] + _part_four(c)
    lines += [""] + _part_five(c, site.today)
    lines += [""] + _part_six(c)
    lines += [""]
    return "\n".join(lines)
