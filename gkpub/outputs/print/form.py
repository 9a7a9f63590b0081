"""The 政府信息公开申请表 as printable A4 PDFs (条例 第二十九条), one per kind of applicant.

The build publishes them beside the 指南 (build.channels.ApplicationForms), so the 指南's
download links are never dead. Rendering needs WeasyPrint and a CJK font and takes about a
second, so the PDF bytes are cached by a digest of everything they depend on: the HTML
(print templates, the site's own overrides, the site.toml values it shows), the engine, the
WeasyPrint version and the CJK font files fontconfig offers. An unchanged site reuses the
cached bytes without loading WeasyPrint or asking for fonts; the bytes themselves are
deterministic (no dates in the metadata, a fixed PDF identifier), so a cached form and a
freshly rendered one are the same file, and incremental builds equal clean ones.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections import OrderedDict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from gkpub.content.forms import FORMS, ApplicationForm
from gkpub.content.model import Site
from gkpub.outputs.print.fonts import check_fonts
from gkpub.outputs.print.render import make_print_env, render_html, render_pdf
from gkpub.store.staging import write_atomic
from gkpub.util.engine import engine_key

CACHE_SUBDIR = "forms"
KEEP_CACHED = 8  # digests kept in the cache folder (two per site version; serve and build share it)
_MEMO: OrderedDict[str, bytes] = OrderedDict()  # digest → PDF, for serve's many rebuilds


@dataclass(frozen=True)
class FormFile:
    form: ApplicationForm
    pdf: bytes
    rendered: bool  # False: taken from the cache


def form_html(site: Site, form: ApplicationForm) -> str:
    cfg = site.config
    gov = cfg.government_org
    return render_html(make_print_env(cfg.root), "form.html", site=cfg, form=form, gov=gov,
                       others=bool(cfg.receiving_orgs[1:] or cfg.received_by_government),
                       guide_url=cfg.url("guide/"))


def _font_files() -> str:
    """The CJK font files fontconfig offers, with size and time: new fonts give new bytes."""
    exe = shutil.which("fc-list")
    if exe is None:
        return ""
    run = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True, check=False,
                         timeout=60)
    out = []
    for line in sorted(set(run.stdout.splitlines())):
        path = line.rstrip(": ").strip()
        try:
            st = os.stat(path)
        except OSError:
            continue
        out.append(f"{path}|{st.st_size}|{st.st_mtime_ns}")
    return "\n".join(out)


def _weasyprint_version() -> str:
    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "?"


def form_digest(html: str, fonts: str) -> str:
    h = hashlib.sha256()
    for part in (engine_key(), _weasyprint_version(), fonts, html):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def application_forms(site: Site, cache_dir: Path | None) -> list[FormFile]:
    """Both 申请表 PDFs, from the cache when their inputs are unchanged.

    Raises outputs.print.fonts.FontError when a form must be rendered and no CJK font is
    installed (it would print boxes instead of Chinese).
    """
    fonts = _font_files()
    folder = cache_dir / CACHE_SUBDIR if cache_dir is not None else None
    out: list[FormFile] = []
    checked = False
    for form in FORMS:
        html = form_html(site, form)
        key = form_digest(html, fonts)
        pdf = _cached(folder, key)
        if pdf is not None:
            out.append(FormFile(form, pdf, rendered=False))
            continue
        if not checked:
            check_fonts()  # warnings (another CJK font, slow subsetting) are for `gkpub print`
            checked = True
        pdf = render_pdf(html).pdf
        _remember(folder, key, pdf)
        out.append(FormFile(form, pdf, rendered=True))
    return out


def _cached(folder: Path | None, key: str) -> bytes | None:
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    if folder is None:
        return None
    path = folder / f"{key}.pdf"
    try:
        pdf = path.read_bytes()
    except OSError:
        return None
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-64:]:
        return None  # a damaged cache file is rendered again, never published
    os.utime(path)  # recently used: kept when the folder is pruned
    _memo(key, pdf)
    return pdf


def _remember(folder: Path | None, key: str, pdf: bytes) -> None:
    _memo(key, pdf)
    if folder is None:
        return
    try:
        write_atomic(folder / f"{key}.pdf", pdf)
        cached = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in cached[KEEP_CACHED:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # the cache is an optimisation: a read-only cache only makes the next build slower


def _memo(key: str, pdf: bytes) -> None:
    _MEMO[key] = pdf
    _MEMO.move_to_end(key)
    while len(_MEMO) > KEEP_CACHED:
        _MEMO.popitem(last=False)
