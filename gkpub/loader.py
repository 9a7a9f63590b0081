"""read → validate → model: turn a site directory into a Site, or an ErrorList."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from .catalog import load_catalog
from .config import load_config
from .errors import BuildFailed, ErrorList
from .gate import GateOptions, apply_gate
from .items import load_items
from .model import Site
from .pages import load_pages
from .prepare import PrepareCache


def load_site(site_dir: Path, today: dt.date, drafts: bool = False, future: bool = False,
              cache_dir: Optional[Path] = None) -> Site:
    """Load and validate everything; raise BuildFailed with every error found.

    With ``cache_dir``, files unchanged since the last load are not parsed again.
    """
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if cfg is None:
        raise BuildFailed(errors)
    catalog = load_catalog(site_dir, cfg, errors)
    cache = PrepareCache(cache_dir, tuple(cfg.privacy_allow)) if cache_dir else None
    items = load_items(site_dir, cfg, catalog, errors, cache)
    if cache:
        cache.save()
    pages = load_pages(site_dir, cfg, errors)
    if errors:
        raise BuildFailed(errors)
    published, held = apply_gate(items, GateOptions(today=today, drafts=drafts, future=future))
    return Site(config=cfg, catalog=catalog, items=items, published=published, pages=pages,
                today=today, held_back=held)
