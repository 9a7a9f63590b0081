"""Write imported domains as catalogue YAML (the format of docs/dev-format.md).

An element every leaf of the domain shares is written once on the domain; one
all leaves of a matter share, on the matter; the rest on each leaf. 过程 and
要素 always stay on the leaf. The effective elements of each leaf are exactly
what was imported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gkpub.content.frontmatter import yaml_scalar as scalar
from gkpub.content.schema import INHERITED_KEYS

LEAF_ORDER: tuple[str, ...] = ("过程", "类别", "事项类型", "事项编码", "要素", "公开依据", "公开时限", "公开主体",
                               "公开渠道", "公开对象", "公开方式", "公开层级", "公开格式", "更新周期")
FACTORED = tuple(k for k in LEAF_ORDER if k in INHERITED_KEYS and k != "过程")
MATTER_NATURAL = ("事项类型", "事项编码")  # matter-level even when the matter has one leaf
BLOCK_LISTS = ("公开依据",)


@dataclass
class LeafOut:
    name: str
    code: str
    elements: dict[str, Any]
    inferred_stage: bool = False


@dataclass
class MatterOut:
    name: str
    code: str
    leaves: list[LeafOut] = field(default_factory=list)


@dataclass
class DomainOut:
    name: str
    slug: str
    description: str = ""
    matters: list[MatterOut] = field(default_factory=list)

    @property
    def leaves(self) -> list[LeafOut]:
        return [leaf for m in self.matters for leaf in m.leaves]


_MISSING = object()


def _shared(leaves: list[LeafOut], key: str) -> Any:
    values = [leaf.elements.get(key, _MISSING) for leaf in leaves]
    first = values[0]
    return first if first is not _MISSING and all(v == first for v in values) else _MISSING




def _flow_ok(value: str) -> bool:
    return scalar(value) == value and not any(c in value for c in ",[]{}#")


def _emit(key: str, value: Any, indent: str, note: str = "") -> list[str]:
    comment = f"  # {note}" if note else ""
    if isinstance(value, list):
        if key in BLOCK_LISTS or not all(_flow_ok(v) for v in value):
            return [f"{indent}{key}:{comment}"] + [f"{indent}  - {scalar(v)}" for v in value]
        return [f"{indent}{key}: [{', '.join(value)}]{comment}"]
    return [f"{indent}{key}: {scalar(str(value))}{comment}"]


def domain_yaml(domain: DomainOut, source: str) -> str:
    lines = [f"# 由 gkpub import catalog 从 {source} 导入。", f"领域: {scalar(domain.name)}"]
    leaves = domain.leaves
    on_domain = {k: v for k in ("类别",) + FACTORED if (v := _shared(leaves, k)) is not _MISSING}
    if "类别" in on_domain:
        lines += _emit("类别", on_domain["类别"], "")
    if domain.description:
        lines.append(f"说明: {scalar(domain.description)}")
    for key, value in on_domain.items():
        if key != "类别":
            lines += _emit(key, value, "")
    lines.append("事项:")
    for matter in domain.matters:
        lines.append(f"  - 名称: {scalar(matter.name)}")
        lines.append(f"    代码: {matter.code}")
        on_matter = {}
        for key in FACTORED:
            if key in on_domain:
                continue
            value = _shared(matter.leaves, key)
            if value is not _MISSING and (len(matter.leaves) > 1 or key in MATTER_NATURAL):
                on_matter[key] = value
        for key, value in on_matter.items():
            lines += _emit(key, value, "    ")
        lines.append("    公开内容:")
        for leaf in matter.leaves:
            lines.append(f"      - 名称: {scalar(leaf.name)}")
            lines.append(f"        代码: {leaf.code}")
            for key in LEAF_ORDER:
                if key in leaf.elements and key not in on_domain and key not in on_matter:
                    note = "推断，请核对" if key == "过程" and leaf.inferred_stage else ""
                    lines += _emit(key, leaf.elements[key], "        ", note)
    return "\n".join(lines) + "\n"
