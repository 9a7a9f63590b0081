"""Consultation feedback (意见反馈): an item that reports how public comments were used.

Definition (used by validation and by the compliance checks): an item is a
consultation feedback exactly when its front matter names the decision document
it reports on, by 索引号, in the key 「意见反馈」. Its 信息环节 is 「回应」: filled in
when the item leaves it out, an error when it says something else. The rule it is
checked against: published within 10 working days after the decision document's
发布日期 (see compliance/timeliness.py).
"""
from __future__ import annotations

from gkpub.content.hints import did_you_mean_typo
from gkpub.content.model import Item
from gkpub.util.errors import ErrorList

KEY = "意见反馈"
STEP = "回应"


def link_feedback(items: list[Item], by_index: dict[str, Item], errors: ErrorList,
                  unusable: set[str] | None = None) -> None:
    """Check every 意见反馈 target exists; make 信息环节 「回应」 where it was left out.

    ``unusable``: 索引号 of item files with errors of their own: not reported again here."""
    for item in sorted(items, key=lambda i: i.source):
        target = item.el.get(KEY)
        if not target:
            continue
        line = item.lines.get(KEY, 0)
        decision = by_index.get(target)
        if decision is None and unusable and target in unusable:
            pass  # that file's own errors are reported
        elif decision is None:
            same = [k for k, d in by_index.items() if d is not item and d.leaf.domain is item.leaf.domain
                    and not d.el.get(KEY) and not d.el.get("解读")]
            errors.add(item.source, line, KEY,
                       f"找不到索引号为「{target}」的决策文件；{did_you_mean_typo(target, same, budget=1)}"
                       f"意见反馈应填写所反馈的决策文件的索引号")
        elif decision is item:
            errors.add(item.source, line, KEY, "意见反馈不能指向自己")
        if "信息环节" not in item.lines:
            item.el["信息环节"] = STEP
        elif item.el.get("信息环节") != STEP:
            errors.add(item.source, item.lines["信息环节"], "信息环节",
                       f"填写了「意见反馈」的信息是对公众意见的回应，信息环节应为「{STEP}」，"
                       f"而不是「{item.el.get('信息环节')}」")
