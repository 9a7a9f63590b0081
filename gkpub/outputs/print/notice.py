"""One A4 公示 notice for one item, with its 公示期, for a board or a service hall."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content.gate import GateOptions, hold_reason
from gkpub.content.model import Item, Site
from gkpub.outputs.print import carry as manifest
from gkpub.outputs.print.render import PrintError, make_print_env, print_item, render_html, render_pdf, safe_filename
from gkpub.store.staging import write_atomic
from gkpub.util.errors import did_you_mean

HOLD_TEXT = {
    "依申请公开": "公开属性为「依申请公开」，只向申请人提供，不得张贴公示",
    "不予公开": "公开属性为「不予公开」，不得发布或张贴",
    "草稿": "还是草稿（草稿: true），审定后才能公示",
    "未到发布日期": "发布日期还没到，到期发布后才能公示",
}


@dataclass(frozen=True)
class NoticeResult:
    path: Path
    pages: int
    title: str
    warnings: list[str] = field(default_factory=list)


def find_notice_item(site: Site, index_no: str) -> Item:
    """The published item with this 索引号; a Chinese PrintError otherwise."""
    index_no = index_no.strip()
    for item in site.published:
        if item.index_no == index_no:
            return item
    for item in site.items:
        if item.index_no == index_no:
            reason = hold_reason(item, GateOptions(today=site.today)) or ""
            raise PrintError(f"索引号「{index_no}」的信息（{item.source}）不能打印："
                             f"{HOLD_TEXT.get(reason, reason)}")
    hint = did_you_mean(index_no, [i.index_no for i in site.published])
    raise PrintError(f"找不到索引号为「{index_no}」的已发布信息；{hint}"
                     "索引号写作「机构代码/年份-五位序号」，如 11539901MB00002030/2026-00031")


def notice_warnings(item: Item, site: Site) -> list[str]:
    out: list[str] = []
    period = item.el["公示期"]
    if period["结束"] < site.today:
        out.append(f"公示期已于 {period['结束'].isoformat()} 结束，张贴前请确认是否还需要公示")
    if item.expired(site.today):
        out.append("这条信息已失效（有效期至或废止日期已过）")
    return out


def print_notice(site: Site, index_no: str, out_dir: Path) -> NoticeResult:
    item = find_notice_item(site, index_no)
    if not item.el.get("公示期"):
        raise PrintError(f"索引号「{item.index_no}」的信息（{item.source}）没有「公示期」，不能打印公示；"
                         "请在信息中填写 公示期: {开始: YYYY-MM-DD, 结束: YYYY-MM-DD}")
    cfg = site.config
    org = item.org
    phone = org.supervision_phone or org.phone or cfg.supervision_phone
    html = render_html(make_print_env(cfg.root), "notice.html", site=cfg, v=print_item(item, cfg),
                       org=org, phone=phone, today=site.today)
    rendered = render_pdf(html)
    rel = "notices/" + safe_filename(item.index_no) + ".pdf"
    path = manifest.print_root(out_dir) / rel
    write_atomic(path, rendered.pdf)
    manifest.record(out_dir, site, {rel: [item.index_no]})
    return NoticeResult(path, rendered.pages, item.title, notice_warnings(item, site))
