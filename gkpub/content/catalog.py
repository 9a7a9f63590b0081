"""Read content/catalog/*.yaml into the three-level catalogue (领域 → 事项 → 公开内容)."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gkpub.content.config import SiteConfig
from gkpub.content.elements import ElementError, check_element
from gkpub.content.flow import FLOW_KEY, parse_flow
from gkpub.content.frontmatter import LinedDict, SourceError, inside, load_yaml, read_text
from gkpub.content.model import Catalog, Domain, Leaf, Matter
from gkpub.content.periods import parse_update_period
from gkpub.content.schema import CATALOG_LEAF_KEYS, FIELD_BY_KEY, INHERITED_KEYS, NOTICE_LENGTH_KEY
from gkpub.rules.timelimits import parse_notice_length
from gkpub.util.errors import ContentError, ErrorList, allowed_list, did_you_mean

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DOMAIN_LINE = re.compile(r"^领域[ \t]*[:：][ \t]*(\S[^#\n]*)", re.M)  # in a file YAML could not read
DOMAIN_KEYS = ("领域", "类别", "说明", "事项") + INHERITED_KEYS
MATTER_KEYS = ("名称", "代码", "公开内容") + INHERITED_KEYS
LEAF_KEYS = ("代码",) + CATALOG_LEAF_KEYS
# 流程图 (#14 item 6): a matter or a leaf may carry its process as steps (content/flow.py)
MATTER_KEYS += (FLOW_KEY,)
LEAF_KEYS += (FLOW_KEY,)


def _line(node: Any, key: str, default: int) -> int:
    return node.lines.get(key, default) if isinstance(node, LinedDict) else default


def _check_keys(node: dict, allowed: tuple[str, ...], rel: str, errors: ErrorList, base_line: int) -> None:
    for k in node:
        if k not in allowed:
            errors.add(rel, _line(node, k, base_line), str(k),
                       f"目录中不认识这个键；{did_you_mean(str(k), allowed)}可用：{allowed_list(allowed, 30)}")


# Leaf values checked by parsing them (the parsed value is used by the compliance checks).
_VALUE_CHECKS: dict[str, Callable[[str], object]] = {
    "更新周期": parse_update_period, NOTICE_LENGTH_KEY: parse_notice_length}


def _elements(node: dict, cfg: SiteConfig, rel: str, errors: ErrorList, inherited: dict) -> dict:
    out = dict(inherited)
    for key in INHERITED_KEYS + ("要素", "类别", "更新周期", NOTICE_LENGTH_KEY):
        if key not in node:
            continue
        value = node[key]
        line = _line(node, key, 0)
        if key in FIELD_BY_KEY:
            try:
                value = check_element(FIELD_BY_KEY[key], value, cfg, org_hint=True)
            except ElementError as exc:
                errors.add(rel, line, key, str(exc))
                out[key] = None  # reported here; not reported again as missing
                continue
        elif key == "要素":
            if not isinstance(value, list):
                errors.add(rel, line, key, "应是列表，如 [补贴对象, 补贴标准]")
                continue
            value = [str(v) for v in value]
        else:
            value = str(value)
            check = _VALUE_CHECKS.get(key)
            if check is not None:
                try:
                    check(value)
                except ValueError as exc:
                    errors.add(rel, line, key, str(exc))
                    continue
        out[key] = value
    return out


def _slug(node: dict, key: str, rel: str, errors: ErrorList, line: int, seen: set[str]) -> str:
    code = str(node.get(key, ""))
    if not SLUG_RE.match(code):
        errors.add(rel, _line(node, key, line), key,
                   f"「{code}」不能作网址代码；应是小写字母、数字和连字符，如 gaoling")
    elif code in seen:
        errors.add(rel, _line(node, key, line), key, f"代码「{code}」重复")
    seen.add(code)
    return code


def load_catalog(site_dir: Path, cfg: SiteConfig, errors: ErrorList) -> Catalog:
    cat_dir = site_dir / "content" / "catalog"
    catalog = Catalog()
    if not cat_dir.is_dir():
        errors.add("content/catalog", 0, "", "找不到目录文件夹 content/catalog/（每个领域一个 .yaml 文件）")
        return catalog
    files = sorted(p for p in cat_dir.iterdir() if p.suffix in (".yaml", ".yml"))
    if not files:
        errors.add("content/catalog", 0, "", "content/catalog/ 中没有任何 .yaml 目录文件")
    names: set[str] = set()
    trusted = (os.path.realpath(site_dir), os.path.realpath(cat_dir))
    for path in files:
        n_before = len(errors)
        domain, name = _load_file(path, cfg, errors, names, trusted)
        if domain is not None:
            catalog.domains.append(domain)
        if len(errors) > n_before:  # its leaves may be missing: items under it are not judged
            catalog.broken.append(name)
    return catalog


def _load_file(path: Path, cfg: SiteConfig, errors: ErrorList, names: set[str],
               trusted: tuple[str, str]) -> tuple[Domain | None, str]:
    """One catalogue file: its domain (None when it cannot be used) and the domain's name
    ("" when not even that can be told)."""
    rel = errors.rel(path)
    real = os.path.realpath(path)
    if path.is_symlink() and not any(inside(real, t) for t in trusted):
        rel = f"content/catalog/{path.name}"  # the link itself, not where it leads
        errors.errors.append(ContentError(rel, 0, "", f"「{path.name}」是指向站点目录以外（{real}）的符号链接；"
                                                      "请把文件本身放进 content/catalog/"))
        return None, ""
    if not SLUG_RE.match(path.stem):
        errors.add(rel, 0, "", f"文件名「{path.name}」会成为网址，只能用小写字母、数字和连字符，如 yanglao.yaml")
        return None, ""
    text = ""  # an undecodable file: its domain is unknown
    try:
        text = read_text(path)
        data = load_yaml(text)
    except SourceError as exc:
        errors.add(rel, exc.line, "", exc.message)
        m = _DOMAIN_LINE.search(text)
        return None, m.group(1).strip().strip("\"'") if m else ""
    except OSError as exc:  # e.g. a link to a file that is gone
        errors.add(rel, 0, "", f"无法读取这个目录文件（{exc.strerror}）")
        return None, ""
    if not isinstance(data, dict):
        errors.add(rel, 1, "", "目录文件应以「领域: 名称」开头，并有「事项:」列表")
        return None, ""
    _check_keys(data, DOMAIN_KEYS, rel, errors, 1)
    name = str(data.get("领域", "")).strip()
    if not name:
        errors.add(rel, 1, "领域", "缺少领域名称")
    elif name in names:
        errors.add(rel, _line(data, "领域", 1), "领域", f"领域「{name}」在另一个目录文件中已经定义")
    names.add(name)
    dom_el = _elements(data, cfg, rel, errors, {})
    domain = Domain(slug=path.stem, name=name, category=str(data.get("类别", "")),
                    description=str(data.get("说明", "")), elements=dom_el, source=rel)
    matters = data.get("事项")
    if not isinstance(matters, list) or not matters:
        errors.add(rel, _line(data, "事项", 1), "事项", "应是至少包含一个事项的列表")
        matters = []
    m_codes: set[str] = set()
    for m_node in matters:
        if not isinstance(m_node, dict):
            errors.add(rel, _line(data, "事项", 1), "事项", "每个事项应有「名称」「代码」「公开内容」")
            continue
        m_line = min(m_node.lines.values()) if isinstance(m_node, LinedDict) and m_node.lines else 0
        _check_keys(m_node, MATTER_KEYS, rel, errors, m_line)
        m_code = _slug(m_node, "代码", rel, errors, m_line, m_codes)
        m_name = str(m_node.get("名称", "")).strip()
        if not m_name:
            errors.add(rel, m_line, "名称", "事项缺少名称")
        matter = Matter(domain=domain, code=m_code, name=m_name,
                        elements=_elements(m_node, cfg, rel, errors, dom_el))
        if FLOW_KEY in m_node:
            matter.flow = parse_flow(m_node[FLOW_KEY], rel, _line(m_node, FLOW_KEY, m_line), errors,
                                     f"{m_name}办理流程")
        leaves = m_node.get("公开内容")
        if not isinstance(leaves, list) or not leaves:
            errors.add(rel, _line(m_node, "公开内容", m_line), "公开内容", "应是至少包含一项公开内容的列表")
            leaves = []
        l_codes: set[str] = set()
        for l_node in leaves:
            if not isinstance(l_node, dict):
                errors.add(rel, _line(m_node, "公开内容", m_line), "公开内容",
                           "每项公开内容应有「名称」「代码」「过程」等要素")
                continue
            l_line = min(l_node.lines.values()) if isinstance(l_node, LinedDict) and l_node.lines else 0
            _check_keys(l_node, LEAF_KEYS, rel, errors, l_line)
            l_code = _slug(l_node, "代码", rel, errors, l_line, l_codes)
            l_name = str(l_node.get("名称", "")).strip()
            el = _elements(l_node, cfg, rel, errors, matter.elements)
            if "过程" not in el:
                errors.add(rel, l_line, "过程", f"公开内容「{l_name}」缺少过程；可用：决策、执行、管理、服务、结果")
            if "公开主体" not in el:
                errors.add(rel, l_line, "公开主体",
                           f"公开内容「{l_name}」缺少公开主体（可在领域、事项或本项中给出）")
            flow = None
            if FLOW_KEY in l_node:
                flow = parse_flow(l_node[FLOW_KEY], rel, _line(l_node, FLOW_KEY, l_line), errors,
                                  f"{m_name}{l_name}流程")
            matter.leaves.append(Leaf(domain=domain, matter=matter, code=l_code, name=l_name,
                                      elements=el, source=rel, line=l_line, flow=flow))
        domain.matters.append(matter)
    return domain, name
