"""流程图 from data: the process of a matter, a leaf or a fixed page as a list of steps.

A flow is written in YAML as a list of steps, in reading order::

    流程:
      - 名称: 提出申请
        主体: 申请人
        说明: 向户籍所在地的街道办事处（乡镇人民政府）提出书面申请
      - 名称: 材料是否齐全
        主体: 街道办事处（乡镇人民政府）
        时限: 当场
        分支: {是: 入户调查, 否: 补齐材料}
      - 名称: 补齐材料
        主体: 申请人
        下一步: 材料是否齐全
      - 名称: 入户调查
        ...

A step goes on to the one written after it unless it says otherwise: 「分支」 (a decision:
each label leads to a named step), 「下一步」 (a jump, e.g. back for 补正) or 「结束」 (the
flow ends there, e.g. 不予受理). The last step ends the flow.

The model keeps what the templates need to draw it without computing anything: each
step's number, whether it runs on into the next one (the arrow down, with the label of the
branch that does), where its other exits lead, and which steps lead into it from
elsewhere. The same flow is drawn on the web (an ordered list styled as boxes and arrows),
in the handbook and on board posters.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gkpub.content.frontmatter import LinedDict, SourceError, load_yaml
from gkpub.util.errors import ErrorList, allowed_list, did_you_mean

if TYPE_CHECKING:
    from gkpub.content.model import Item

FLOW_KEY = "流程"  # on a matter or a leaf of the catalogue
FENCE_INFO = "流程"  # a fenced block ```流程 in a fixed page's Markdown body
STEP_KEYS = ("名称", "主体", "时限", "说明", "分支", "下一步", "结束")
TEXT_KEYS = ("主体", "时限", "说明")
MAX_STEPS = 40  # a process drawn for residents; more is a sign of a mistake (or of two flows)
YES = ("是", True)
NO = ("否", False)


@dataclass(eq=False)
class Branch:
    """One exit of a decision step, or the jump of 「下一步」 (label '')."""

    label: str
    target: Step = field(repr=False)


@dataclass(eq=False)
class Step:
    number: int  # 1-based, as shown
    name: str
    actor: str  # 主体: who does it
    limit: str  # 时限
    note: str  # 说明
    line: int  # where the step starts in its file
    branches: list[Branch] = field(default_factory=list, repr=False)  # a decision's exits
    jump: Step | None = field(default=None, repr=False)  # 「下一步」 to a step other than the following one
    end: bool = False  # the flow ends here
    continues: bool = False  # runs on into the next step of the list (drawn as the arrow down)
    down_label: str = ""  # the label of the branch that leads to the next step, if a decision does
    sources: list[tuple[Step, str]] = field(default_factory=list, repr=False)  # entered from, elsewhere

    @property
    def decision(self) -> bool:
        return bool(self.branches)

    @property
    def terminal(self) -> bool:
        """Nothing follows: an explicit 结束, or the last step that leads nowhere."""
        return not self.continues and not self.branches and self.jump is None


@dataclass(eq=False)
class Flow:
    title: str
    steps: list[Step]
    source: str  # the file it was written in
    line: int

    def step(self, number: int) -> Step:
        return self.steps[number - 1]


def flows_of(items: Iterable[Item]) -> list[Flow]:
    """The flows a set of printed items calls for, once each, in the items' order: each item's
    matter's flow, then its leaf's own (a handbook section, a poster)."""
    seen: set[int] = set()
    out: list[Flow] = []
    for item in items:
        for flow in (item.leaf.matter.flow, item.leaf.flow):
            if flow is not None and id(flow) not in seen:
                seen.add(id(flow))
                out.append(flow)
    return out


def _text(value: Any) -> str | None:
    """A scalar as text (numbers as written: 时限: 7 is 「7」); None for lists and mappings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return None


def _node_line(node: Any, default: int) -> int:
    if isinstance(node, LinedDict) and node.lines:
        return min(node.lines.values())
    return default


def parse_flow(value: Any, rel: str, line: int, errors: ErrorList, title: str) -> Flow | None:
    """The flow written at ``line`` of ``rel`` (the value of 「流程」 or a fenced block's YAML);
    None, with every problem reported, when it cannot be drawn."""
    before = len(errors)
    where = FLOW_KEY
    if not isinstance(value, list) or not value:
        errors.add(rel, line, where, "流程应是步骤列表，每一步写「名称」，可写「主体」「时限」「说明」，"
                                     "判断步骤写「分支」，如：\n  - 名称: 提出申请\n    主体: 申请人")
        return None
    if len(value) > MAX_STEPS:
        errors.add(rel, line, where, f"流程有 {len(value)} 步，超过 {MAX_STEPS} 步；"
                                     "请合并细小的步骤，或把不同的办理流程分开写")
        return None
    steps: list[Step] = []
    raw: list[tuple[Step, LinedDict]] = []
    first_line: dict[str, int] = {}
    for k, node in enumerate(value, start=1):
        if not isinstance(node, dict):
            errors.add(rel, line, where, f"第 {k} 步应是「名称: …」等键值，而不是「{node}」")
            continue
        s_line = _node_line(node, line)
        lines = node.lines if isinstance(node, LinedDict) else {}
        for key in node:
            if key not in STEP_KEYS:
                errors.add(rel, lines.get(key, s_line), f"{where}·第{k}步",
                           f"流程步骤中不认识「{key}」；{did_you_mean(str(key), STEP_KEYS)}"
                           f"可用：{allowed_list(STEP_KEYS)}")
        name = _text(node.get("名称"))
        if not name:
            errors.add(rel, lines.get("名称", s_line), f"{where}·第{k}步",
                       "每一步都要有「名称」（如 受理、审核、公示），分支和「下一步」按名称指向步骤")
            name = ""
        elif name in first_line:
            errors.add(rel, lines.get("名称", s_line), f"{where}·第{k}步",
                       f"步骤名称「{name}」与第 {first_line[name]} 行的步骤重复；"
                       "分支和「下一步」按名称指向步骤，名称不能重复")
        else:
            first_line[name] = lines.get("名称", s_line)
        texts: dict[str, str] = {}
        for key in TEXT_KEYS:
            t = _text(node.get(key))
            if t is None:
                errors.add(rel, lines.get(key, s_line), f"{where}·{name or k}·{key}", "应是一段文字")
                t = ""
            texts[key] = t
        step = Step(number=len(steps) + 1, name=name, actor=texts["主体"], limit=texts["时限"],
                    note=texts["说明"], line=s_line)
        steps.append(step)
        raw.append((step, node if isinstance(node, LinedDict) else _lined(node, s_line)))
    if len(errors) > before:
        return None
    by_name = {s.name: s for s in steps}
    for step, node in raw:
        _link(step, node, steps, by_name, rel, errors)
    if len(errors) > before:
        return None
    _finish(steps)
    for step in _unreachable(steps):
        errors.add(rel, step.line, f"{where}·{step.name}",
                   f"到不了步骤「{step.name}」：前一步不接着走到这里，也没有「分支」或「下一步」指向它；"
                   "请给前面的步骤加上指向它的分支，或删去这一步")
    if len(errors) > before:
        return None
    return Flow(title=title, steps=steps, source=rel, line=line)


def _lined(node: dict, line: int) -> LinedDict:
    out = LinedDict(node)
    out.lines = {k: line for k in node}
    return out


def _target(value: Any, step: Step, key: str, by_name: dict[str, Step], rel: str, line: int,
            errors: ErrorList, what: str) -> Step | None:
    name = _text(value)
    field_name = f"{FLOW_KEY}·{step.name}·{key}"
    if not name:
        errors.add(rel, line, field_name, f"{what}应写要转到的步骤名称")
        return None
    target = by_name.get(name)
    if target is None:
        errors.add(rel, line, field_name,
                   f"{what}指向的步骤「{name}」不存在；{did_you_mean(name, by_name)}"
                   f"本流程的步骤：{allowed_list(by_name, 20)}")
        return None
    if target is step:
        errors.add(rel, line, field_name, f"{what}不能指向本步骤自己")
        return None
    return target


def _link(step: Step, node: LinedDict, steps: list[Step], by_name: dict[str, Step], rel: str,
          errors: ErrorList) -> None:
    lines = node.lines
    nxt = steps[step.number] if step.number < len(steps) else None
    end = node.get("结束")
    if end is not None:
        if end in YES:
            step.end = True
        elif end not in NO:
            errors.add(rel, lines.get("结束", step.line), f"{FLOW_KEY}·{step.name}·结束",
                       f"应写「是」（流程到此结束）或「否」，而不是「{end}」")
    branches = node.get("分支")
    jump = node.get("下一步")
    exits = [k for k in ("分支", "下一步") if node.get(k) is not None]
    if step.end and exits:
        errors.add(rel, lines.get("结束", step.line), f"{FLOW_KEY}·{step.name}·结束",
                   f"已写「结束: 是」的步骤不能再有「{exits[0]}」；请删去其中一个")
        return
    if branches is not None and jump is not None:
        errors.add(rel, lines.get("下一步", step.line), f"{FLOW_KEY}·{step.name}·下一步",
                   "判断步骤的去向写在「分支」里，不能同时写「下一步」")
        return
    if branches is not None:
        b_line = lines.get("分支", step.line)
        if not isinstance(branches, dict):
            errors.add(rel, b_line, f"{FLOW_KEY}·{step.name}·分支",
                       "分支应是「条件: 步骤名称」的映射，如 {是: 受理, 否: 一次性告知补正}")
            return
        if len(branches) < 2:
            errors.add(rel, b_line, f"{FLOW_KEY}·{step.name}·分支",
                       "分支至少要有两个去向（如 是、否）；只有一个去向时请用「下一步」")
            return
        b_lines = branches.lines if isinstance(branches, LinedDict) else {}
        seen: set[int] = set()
        for label, value in branches.items():
            at = b_lines.get(label, b_line)
            text = _text(label)
            if not text or isinstance(label, bool):
                shown = {True: "是", False: "否"}.get(label, label) if isinstance(label, bool) else label
                errors.add(rel, at, f"{FLOW_KEY}·{step.name}·分支",
                           f"分支的条件「{shown}」应是文字；英文 yes/no/on/off 请用引号括起来，或写「是」「否」")
                continue
            target = _target(value, step, "分支", by_name, rel, at, errors, f"分支「{text}」")
            if target is None:
                continue
            if target.number in seen:
                errors.add(rel, at, f"{FLOW_KEY}·{step.name}·分支",
                           f"分支「{text}」与另一个分支都指向「{target.name}」；去向相同的条件请合并为一个")
                continue
            seen.add(target.number)
            step.branches.append(Branch(text, target))
        return
    if jump is not None:
        target = _target(jump, step, "下一步", by_name, rel, lines.get("下一步", step.line), errors, "「下一步」")
        if target is not None and target is not nxt:
            step.jump = target
        elif target is not None:
            step.continues = True  # 「下一步」 naming the following step: the ordinary case
        return
    if not step.end and nxt is not None:
        step.continues = True


def _finish(steps: list[Step]) -> None:
    """The arrow down for a decision with a branch to the next step; where steps are entered from."""
    for step in steps:
        nxt = steps[step.number] if step.number < len(steps) else None
        for b in step.branches:
            if b.target is nxt:
                step.continues, step.down_label = True, b.label
            else:
                b.target.sources.append((step, b.label))
        if step.jump is not None:
            step.jump.sources.append((step, ""))


def _unreachable(steps: list[Step]) -> list[Step]:
    seen = {1}
    todo = [steps[0]]
    while todo:
        s = todo.pop()
        nexts = [b.target for b in s.branches]
        if s.jump is not None:
            nexts.append(s.jump)
        if s.continues and s.number < len(steps) and not s.branches:
            nexts.append(steps[s.number])
        for t in nexts:
            if t.number not in seen:
                seen.add(t.number)
                todo.append(t)
    return [s for s in steps if s.number not in seen]


# ---------------------------------------------------------------- fenced blocks in a page
_FENCE_OPEN_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^`]*?)[ \t]*$")
_RENDERED_RE = re.compile(r'<pre><code class="language-' + FENCE_INFO + r'">.*?</code></pre>\n?', re.S)
FLOW_MARK = "<!--gkpub:flow-->"  # where a page's flow goes in its rendered body (page.html splits on it)


def page_flows(body: str, body_line: int, rel: str, errors: ErrorList) -> list[Flow | None]:
    """The ```流程 blocks of a Markdown body, in order (None for one that cannot be drawn).

    The words after 流程 on the opening line are the flow's title, e.g. ```流程 依申请公开办理流程.
    Blocks are found the way CommonMark finds fences at the top level (up to three spaces of
    indentation; a longer fence or one of the other character does not close it)."""
    flows: list[Flow | None] = []
    lines = body.split("\n")
    k = 0
    while k < len(lines):
        m = _FENCE_OPEN_RE.match(lines[k])
        if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
            k += 1
            continue
        fence, info = m.group(2), m.group(3)
        close_re = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        end = k + 1
        while end < len(lines) and not close_re.match(lines[end]):
            end += 1
        word, _, rest = info.partition(" ")
        if word == FENCE_INFO:
            at = body_line + k
            if end >= len(lines):
                errors.add(rel, at, "正文", f"流程图代码块没有结束：请在流程的最后一步之后另起一行写 {fence}")
                flows.append(None)
            else:
                flows.append(_fenced_flow("\n".join(lines[k + 1:end]), at, rest.strip(), rel, errors))
        k = end + 1
    return flows


def _fenced_flow(text: str, at: int, title: str, rel: str, errors: ErrorList) -> Flow | None:
    try:
        value = load_yaml(text, line_offset=at)
    except SourceError as exc:
        errors.add(rel, exc.line, FLOW_KEY, exc.message)
        return None
    return parse_flow(value, rel, at, errors, title or "办理流程")


_ANY_FENCE_RE = re.compile(r"^[ \t>*+\-0-9.)]*(`{3,}|~{3,})[ \t]*" + FENCE_INFO + r"(\s|$)")


def mark_flows(html: str, body: str, body_line: int, expected: int, rel: str, errors: ErrorList) -> str:
    """The rendered body with each ```流程 block replaced by FLOW_MARK. A block the scan of
    page_flows did not see (one inside a quote or a list item) is an error: it would show as code."""
    marked, n = _RENDERED_RE.subn(FLOW_MARK, html)
    if n != expected:
        line = next((body_line + k for k, text in enumerate(body.split("\n"))
                     if _ANY_FENCE_RE.match(text) and not _FENCE_OPEN_RE.match(text)), body_line)
        errors.add(rel, line, "正文", "流程图代码块（```流程）要顶格写在正文中，不能放在列表、引用或其他代码块里")
    return marked
