"""The front-matter schema: every key an item may carry, in one table.

This table is the single source for validation, for catalogue inheritance and
for the key table in the README (tests compare the two).
"""
from __future__ import annotations

from dataclasses import dataclass

STAGES: tuple[str, ...] = ("决策", "执行", "管理", "服务", "结果")
STAGE_SLUGS: dict[str, str] = {
    "决策": "juece", "执行": "zhixing", "管理": "guanli", "服务": "fuwu", "结果": "jieguo",
}
ATTRIBUTES: tuple[str, ...] = ("主动公开", "删减后公开", "依申请公开", "不予公开")
PUBLISHED_ATTRIBUTES: tuple[str, ...] = ("主动公开", "删减后公开")
MODES: tuple[str, ...] = ("主动公开", "依申请公开")
LEVELS: tuple[str, ...] = ("市级", "区县级", "街镇级", "村/社区")
FORMATS: tuple[str, ...] = ("文本", "图表", "音频", "视频")
CYCLE_STEPS: tuple[str, ...] = ("发布", "解读", "回应", "互动")
DOC_KINDS: tuple[str, ...] = ("规章", "行政规范性文件", "其他文件")
DECISION_KINDS: tuple[str, ...] = ("行政许可", "行政处罚", "行政强制")

DEFAULT_TIME_LIMIT = "自信息形成或变更之日起20个工作日内"
DEFAULT_AUDIENCE = "全社会"

# Issue #14 part T1 (time rules): the days a time limit may count from, and a leaf's 公示 minimum.
CHANGED_KEY = "变更日期"
START_KEY = "起算日期"
NOTICE_LENGTH_KEY = "公示期限"


@dataclass(frozen=True)
class Field:
    """One front-matter key.

    kind: str | text | date | time | bool | list | int | number | period | attachments
    vocab: name of a vocabulary (see vocab.py) the value (or each list element) must be in.
    inherit: the catalogue leaf may supply the value.
    gate: the value decides whether the item is published: written empty (``公开属性:``,
      ``草稿: ~``) it is an error, never the default (see gate.py).
    """

    key: str
    kind: str
    doc: str
    required: bool = False
    default: object = None
    vocab: str | None = None
    inherit: bool = False
    example: str = ""
    gate: bool = False


FIELDS: tuple[Field, ...] = (
    Field("标题", "str", "信息标题", required=True, example="青禾区2026年高龄津贴发放名单公示"),
    Field("索引号", "str", "机构代码/年份-五位序号，一经赋予永不改变，是页面永久链接的依据",
          required=True, example="11539901MB00002030/2026-00012"),
    Field("目录", "str", "所属标准目录的三级条目，写作「领域/事项/公开内容」",
          required=True, example="养老服务/高龄津贴/发放名单", gate=True),
    Field("过程", "str", "五公开环节", vocab="stages", inherit=True),
    Field("公开主体", "str", "负责公开的机关全称或简称（须在 site.toml 的 [[org]] 中）",
          vocab="orgs", inherit=True),
    Field("公开属性", "str", "依申请公开、不予公开的信息绝不发布；公开方式为依申请公开（含从目录继承）时必须写明，"
          "且不能是主动公开或删减后公开", default="主动公开", vocab="attributes", gate=True),
    Field("删减说明", "text", "删减后公开时必填：删去了什么、依据哪条"),
    Field("成文日期", "date", "文件形成日期 YYYY-MM-DD", required=True),
    Field("发布日期", "date", "对外发布日期 YYYY-MM-DD，不得早于成文日期", required=True, gate=True),
    Field("发布时间", "time", "发布日期当天的发布时刻 HH:MM（24 小时制），用于网页元数据 PubDate；省略时为 00:00",
          example="09:30"),
    Field("文号", "str", "机关代字〔年份〕序号号，如 青民发〔2026〕5号"),
    Field("公开渠道", "list", "公开渠道和载体", vocab="channels", inherit=True,
          default=["政府网站"]),
    Field("公开对象", "str", "全社会，或特定对象及其范围", inherit=True, default=DEFAULT_AUDIENCE),
    Field("公开方式", "str", "主动公开 或 依申请公开；依申请公开的信息不在网站发布", vocab="modes", inherit=True,
          default="主动公开", gate=True),
    Field("公开层级", "list", "发布该信息的政府层级", vocab="levels", inherit=True),
    Field("公开时限", "str", "形成或变更后最迟多久公开：即时、N个工作日、N日", inherit=True,
          default=DEFAULT_TIME_LIMIT),
    Field("公开依据", "list", "法律法规和文件的全称、文号、条款", inherit=True, default=[]),
    Field("公开格式", "list", "文本、图表、音频、视频", vocab="formats", inherit=True,
          default=["文本"]),
    Field("事项类型", "str", "行政行为的种类", vocab="matter_types", inherit=True),
    Field("事项编码", "str", "与政务服务事项共用的编码", inherit=True),
    Field("信息环节", "str", "发布、解读、回应、互动", vocab="cycle_steps", default="发布"),
    Field("有效期至", "date", "过了这一天页面仍保留，但标为「已失效」"),
    Field("公示期", "period", "公示起止日期：{开始: 日期, 结束: 日期}"),
    Field("解读", "str", "本篇是解读时，填被解读政策的索引号"),
    Field("意见反馈", "str", "本篇是征求意见采纳情况的反馈时，填所反馈的决策文件的索引号"
          "（信息环节即为「回应」）；应在该文件发布后10个工作日内发布"),
    # Issue #14 part T1 (time rules): the day the 公开时限 counts from.
    Field(CHANGED_KEY, "date", "信息变更的日期 YYYY-MM-DD（条例第二十六条「形成或者变更之日起」）：填写后，"
          "「自信息形成或变更之日起」一类的公开时限从这一天起算，而不是成文日期；不得早于成文日期，"
          "不得晚于发布日期（变更后重新发布时，发布日期写重新发布的日期）"),
    Field(START_KEY, "date", "公开时限从另一事件起算时（如目录写「自审核确认之日起5个工作日内」「自资金发放之日起"
          "20个工作日内」），该事件发生的日期 YYYY-MM-DD；未填写时按成文日期计算，合规检查的提示中会说明。"
          "「自政策文件发布之日起」按「解读」「意见反馈」所指文件的发布日期计算，不用填写"),
    Field("摘要", "text", "一两句话的要点，列表页和公开栏海报使用"),
    Field("附件", "attachments", "附件列表：文件路径（相对本篇所在目录）或 {名称, 文件}",
          default=[]),
    Field("公开栏", "list", "张贴到哪些公开栏：社区/村名、街镇名，或「全部」", default=[]),
    Field("文件类型", "str", "年报统计用：规章、行政规范性文件、其他文件", vocab="doc_kinds"),
    Field("废止日期", "date", "规章、规范性文件被废止的日期"),
    # issue 14 item 7 (动态调整, 条例 第十八条): the yearly review of what is not published
    Field("不公开理由", "text", "依申请公开、不予公开的理由和依据（如条例第十四条、第十五条、第十六条），"
          "列入每年的复核清单（gkpub report review），不在网站发布"),
    Field("复核日期", "date", "依申请公开、不予公开的信息最近一次复核（动态调整评估）的日期 YYYY-MM-DD；"
          "满一年须再次复核，未复核过的自成文日期起算"),
    Field("处理决定数", "int", "年报统计用：本篇公开的行政许可/处罚/强制决定件数"),
    Field("收费金额", "number", "年报统计用：行政事业性收费金额（万元）"),
    # Issue #14 part T2 (annual report): the decision's own date, and which decisions an item counts.
    Field("决定日期", "date", "年报统计用：处理决定作出的日期 YYYY-MM-DD；填写后「处理决定数」按这一日期计入年度"
          "（如12月的决定汇总在次年1月发布），否则按成文日期"),
    Field("决定文号", "list", "年报统计用：本篇计入的处理决定的文号（汇总公开多份决定时逐一列出，"
          "未填「处理决定数」时按列出的件数计）；同一决定被两篇信息计入时，合规检查会指出，年报只计一次"),
    Field("关键词", "list", "检索用关键词", default=[]),
    Field("草稿", "bool", "true 时不发布（--drafts 可预览）", default=False, gate=True),
)

FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
INHERITED_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.inherit)

# Elements a catalogue leaf may carry (besides 名称); 要素 is the leaf's content list.
CATALOG_LEAF_KEYS: tuple[str, ...] = ("名称", "要素") + INHERITED_KEYS + ("类别", "更新周期")
# Issue #14 part T1: 公示期限, the shortest a 公示 of this leaf may run (「7日」「不少于5个工作日」).
CATALOG_LEAF_KEYS += (NOTICE_LENGTH_KEY,)
