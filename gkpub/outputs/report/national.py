"""The tables of §三 and §四 of the national annual-report format (国办公开办函〔2021〕30号, 附件),
laid out cell for cell.

The form's tables have merged cells; a Markdown table has none. Each table is therefore a
grid with the form's rows and columns, every cell of the form at the grid position of its
top-left corner and the positions it covers left empty (the convention §二 already follows:
「| 第二十条第（一）项 | | | |」 is one cell over four columns). Reading the grid row by row
gives the form's cells in the form's order.

§三 is 3 label columns and 7 number columns (自然人, the five kinds of 法人或其他组织, 总计)
under a three-row heading; §四 is 15 number columns under a three-row heading. Empty
numbers are 0.
"""
from __future__ import annotations

from collections.abc import Mapping

from gkpub.content.requests import APPLICANT_TYPES, ORGANIZATION_KINDS, PERSON, RESULT_GROUPS, RESULTS, Result

Grid = list[list[str]]

REQUEST_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
ORGANIZATIONS = "法人或其他组织"
TOTAL = "总计"
NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS_ROW = "三、本年度办理结果"
RESULTS_TOTAL = "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"
REQUEST_COLUMNS: tuple[str, ...] = (*APPLICANT_TYPES, TOTAL)  # the 7 number columns

REVIEW, LAWSUIT = "行政复议", "行政诉讼"
DIRECT, AFTER_REVIEW = "未经复议直接起诉", "复议后起诉"
OUTCOME_COLUMNS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", TOTAL)

# Per applicant column: a count (总计 is summed here, not taken from the mapping).
Counts = Mapping[str, int]


def _numbers(counts: Counts) -> list[str]:
    values = [int(counts.get(a, 0)) for a in APPLICANT_TYPES]
    return [str(v) for v in values] + [str(sum(values))]


def request_heading() -> Grid:
    """The three heading rows of §三 (10 columns)."""
    blank3 = ["", "", ""]
    return [
        [REQUEST_NOTE, "", "", APPLICANTS, "", "", "", "", "", ""],
        [*blank3, PERSON, ORGANIZATIONS, "", "", "", "", TOTAL],
        [*blank3, "", *ORGANIZATION_KINDS, ""],
    ]


def request_table(new: Counts, carried_in: Counts, results: Mapping[Result, Counts], carried_out: Counts) -> Grid:
    """§三 with its numbers: the heading rows, then one row per line of the form."""
    grid = request_heading()
    grid.append([NEW, "", "", *_numbers(new)])
    grid.append([CARRIED_IN, "", "", *_numbers(carried_in)])
    first = True
    for group, labels in RESULT_GROUPS:
        for n, label in enumerate(labels or ("",)):
            r = next(x for x in RESULTS if x.group == group and x.label == label)
            lead = RESULTS_ROW if first else ""
            first = False
            grid.append([lead, group if n == 0 else "", label, *_numbers(results.get(r, {}))])
    total: dict[str, int] = {a: sum(int(c.get(a, 0)) for c in results.values()) for a in APPLICANT_TYPES}
    grid.append(["", RESULTS_TOTAL, "", *_numbers(total)])
    grid.append([CARRIED_OUT, "", "", *_numbers(carried_out)])
    return grid


def review_heading() -> Grid:
    """The three heading rows of §四 (15 columns)."""
    five = [""] * 5
    return [
        [REVIEW, "", "", "", "", LAWSUIT, *[""] * 9],
        [*OUTCOME_COLUMNS, DIRECT, "", "", "", "", AFTER_REVIEW, "", "", "", ""],
        [*five, *OUTCOME_COLUMNS, *OUTCOME_COLUMNS],
    ]


def _outcomes(counts: Counts) -> list[str]:
    values = [int(counts.get(c, 0)) for c in OUTCOME_COLUMNS[:-1]]
    return [str(v) for v in values] + [str(sum(values))]


def review_table(review: Counts, direct: Counts, after_review: Counts) -> Grid:
    return [*review_heading(), [*_outcomes(review), *_outcomes(direct), *_outcomes(after_review)]]


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def markdown(grid: Grid, heading_rows: int) -> list[str]:
    """The grid as a Markdown table: its first row is the table's header row, the other
    heading rows are bold like §二's 「信息内容」 rows; empty cells stay empty."""
    width = len(grid[0])
    lines = ["| " + " | ".join(_escape(c) for c in grid[0]) + " |", "|" + " --- |" * width]
    for n, row in enumerate(grid[1:], start=1):
        cells = [f"**{_escape(c)}**" if c and n < heading_rows else _escape(c) for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
