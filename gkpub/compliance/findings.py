"""A finding: something an inspector would flag, found in valid content.

Content errors stop a build; findings do not (unless ``gkpub check --strict``).
Every finding names its kind, severity, file, line, field and says in Chinese
what is wrong and what to do.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["warning", "info"]
SEVERITY_NAMES: dict[str, str] = {"warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    severity: Severity
    explain: str


# Display order is this order.
KINDS: tuple[Kind, ...] = (
    Kind("late", "逾期公开", "warning",
         "发布日期晚于「起算日 + 公开时限」（默认20个工作日，按工作日历计算）。起算日按公开时限的写法：成文日期"
         "（填写了变更日期的为变更日期），所解读政策、所反馈决策文件的发布日期，或本篇填写的起算日期。"),
    Kind("late_interpretation", "解读滞后", "warning",
         "政策解读应与政策同步发布，最迟不超过政策发布后3个工作日。"),
    Kind("late_feedback", "意见反馈滞后", "warning",
         "征求意见采纳情况的反馈应在决策文件发布后10个工作日内发布。"),
    Kind("no_calendar", "缺少工作日历", "warning",
         "结论取决于没有工作日历的年份（是否按时、公示期是否足够），无法判断；请在 site.toml 的 [calendar] 中补充。"),
    Kind("time_limit_unknown", "公开时限无法识别", "warning",
         "公开时限的写法无法识别，无法计算期限。"),
    Kind("empty_leaf", "空栏目", "warning",
         "标准目录中的公开内容没有任何已发布的信息。"),
    Kind("stale_leaf", "栏目未按期更新", "warning",
         "栏目最近一次发布距今超过其更新周期（默认：动态类2周，政策、通知类6个月）。"),
    Kind("notice_ended", "公示期已结束", "info",
         "公示期已经结束的信息：请发布公示结果，或填写「有效期至」将其标为已失效。"),
    # Issue #14 part T2: the annual report and the 依申请公开 register.
    Kind("annual_missing", "年报未发布", "warning",
         "政府信息公开工作年度报告过了发布期限仍未发布：部门、街镇在次年1月31日前，本级政府在3月31日前"
         "（条例第四十九条）。"),
    Kind("annual_late", "年报逾期发布", "warning",
         "年度报告的发布日期晚于期限，或没有填写发布日期、仍有「（请填写）」的内容。"),
    Kind("decision_twice", "处理决定重复计算", "warning",
         "同一份处理决定（同一文号）被两篇信息计入年报的「本年处理决定数量」。"),
    Kind("request_late", "依申请答复逾期", "warning",
         "政府信息公开申请应自收到之日起20个工作日内答复，延期须在期限内告知、最长延长20个工作日"
         "（条例第三十三条）；补正的，自收到补正后的申请起算。"),
    Kind("request_supplement_late", "补正告知逾期", "warning",
         "申请内容不明确的，应自收到申请之日起7个工作日内一次性告知补正（条例第三十条）。"),
    # Issue #14 part T1 (time rules): 公示 length and start.
    Kind("notice_too_short", "公示期不足", "warning",
         "公示期短于标准目录规定的「公示期限」（日历日或工作日，首尾两天都计入）。"),
    Kind("notice_before_publication", "公示早于发布", "warning",
         "公示期的开始日期早于信息的发布日期：发布之前公众看不到公示，公示期应自发布之日或之后开始。"),
)
KIND_BY_ID: dict[str, Kind] = {k.id: k for k in KINDS}
_KIND_ORDER: dict[str, int] = {k.id: n for n, k in enumerate(KINDS)}


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str
    line: int
    field: str
    message: str
    subject: str = ""  # the item title or catalogue path the finding is about
    url: str = ""  # its page on the portal, when it has one
    public: bool = True  # only about published items or the catalogue: may appear on the report page

    @property
    def severity(self) -> Severity:
        return KIND_BY_ID[self.kind].severity

    @property
    def title(self) -> str:
        return KIND_BY_ID[self.kind].title

    def location(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        fld = f" 字段「{self.field}」" if self.field else ""
        return where + fld

    def format(self) -> str:
        return f"{self.location()}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d.pop("public")
        d["severity"] = self.severity
        d["title"] = self.title
        return d

    @property
    def sort_key(self) -> tuple:
        return (_KIND_ORDER[self.kind], self.file, self.line, self.field, self.message)
