"""Fixed-column pages: 政府信息公开指南 (guide), 制度 (rules), 年报 (annual)."""
from __future__ import annotations

from pathlib import Path

from gkpub.content import bodyfiles, markdown
from gkpub.content.attachments import load_attachments
from gkpub.content.config import SiteConfig
from gkpub.content.elements import ElementError, parse_date
from gkpub.content.flow import mark_flows, page_flows
from gkpub.content.frontmatter import SourceError, read_text, split_document
from gkpub.content.model import Page
from gkpub.content.pii_check import document_pii
from gkpub.content.prepare import file_digest, read_file
from gkpub.util.errors import ErrorList, did_you_mean

COLUMNS: dict[str, str] = {
    "guide": "政府信息公开指南",
    "rules": "政府信息公开制度",
    "annual": "政府信息公开年报",
}
PAGE_KEYS = ("标题", "发布日期", "发布机构", "附件")


def load_pages(site_dir: Path, cfg: SiteConfig, errors: ErrorList) -> list[Page]:
    root = site_dir / "content" / "pages"
    pages: list[Page] = []
    if not root.is_dir():
        return pages
    for path in sorted(root.rglob("*.md")):
        parts = path.relative_to(root).with_suffix("").parts
        rel = errors.rel(path)
        if len(parts) == 1 and parts[0] in COLUMNS:
            column, slug = parts[0], ""
        elif len(parts) == 2 and parts[0] in COLUMNS:
            column, slug = parts
        else:
            errors.add(rel, 0, "", "栏目页面应放在 content/pages/ 下：guide.md、rules/*.md 或 annual/<年份>.md；"
                                   f"{did_you_mean(parts[0], COLUMNS)}")
            continue
        try:
            data = read_file(path)
            doc = split_document(path, read_text(path, data))
        except SourceError as exc:
            errors.add(rel, exc.line, "", exc.message)
            continue
        meta = doc.meta
        for k in meta:
            if k not in PAGE_KEYS:
                errors.add(rel, meta.lines.get(k, 0), str(k), f"栏目页面不认识这个字段；可用：{'、'.join(PAGE_KEYS)}")
        title = str(meta.get("标题") or "").strip()
        if not title:
            errors.add(rel, 1, "标题", "缺少必填字段「标题」")
        published = None
        if meta.get("发布日期"):
            try:
                published = parse_date(meta["发布日期"])
            except ElementError as exc:
                errors.add(rel, meta.lines.get("发布日期", 0), "发布日期", str(exc))
        org = None
        if meta.get("发布机构"):
            org = cfg.org_by_name(str(meta["发布机构"]))
            if org is None:
                errors.add(rel, meta.lines.get("发布机构", 0), "发布机构",
                           f"「{meta['发布机构']}」不在 site.toml 的 [[org]] 中；"
                           f"{did_you_mean(str(meta['发布机构']), cfg.org_names)}")
        attachments = []
        if meta.get("附件"):  # as on items: served under /files/, listed under the page
            attachments = load_attachments(doc, meta["附件"], cfg, site_dir / "content", rel,
                                           meta.lines.get("附件", 0), errors)
        problems, html = markdown.check_and_render(doc.body)
        for line, message in problems:
            errors.add(rel, doc.body_line + line - 1, "正文", message)
        flows = page_flows(doc.body, doc.body_line, rel, errors)  # ```流程 blocks: drawn by page.html
        if not problems:  # also a block page_flows did not see: an error, not code on the page
            html = mark_flows(html, doc.body, doc.body_line, len(flows), rel, errors)
        refs = markdown.local_references(doc.body) if not problems else []
        html, body_files, links = bodyfiles.resolve_body(path, doc.body_line, refs, html, cfg,
                                                         site_dir / "content", rel, errors)
        links += bodyfiles.attachment_links(attachments, meta.lines.get("附件", 0))
        for line, key, message in document_pii(doc, cfg.privacy_allow):
            errors.add(rel, line, key, message)
        pages.append(Page(source=rel, column=column, slug=slug, title=title, published=published,
                          org=org, body=doc.body, body_line=doc.body_line, html=html,
                          attachments=attachments, body_files=body_files, file_links=links,
                          fingerprint=bodyfiles.fingerprint(file_digest(data), attachments + body_files),
                          flows=[f for f in flows if f is not None]))
    return pages
