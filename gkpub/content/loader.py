"""read → validate → model: turn a site directory into a Site, or an ErrorList."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content.bodyfiles import check_published, served_files
from gkpub.content.catalog import load_catalog
from gkpub.content.config import SiteConfig, load_config
from gkpub.content.gate import GateOptions, apply_gate, hold_reason
from gkpub.content.items import ItemMemo, load_items
from gkpub.content.model import Attachment, Catalog, Site
from gkpub.content.pages import load_pages
from gkpub.content.pii_sources import attachments_pii, catalog_pii, site_toml_pii
from gkpub.content.prepare import PrepareCache
from gkpub.content.requests import load_register
from gkpub.rules.workdays import DATA_FILE as HOLIDAYS
from gkpub.util.cachefile import read_tagged, write_tagged
from gkpub.util.engine import engine_key
from gkpub.util.errors import BuildFailed, ErrorList


@dataclass
class LoadState:
    """What one process keeps between loads of the same site (`gkpub serve`), and what a
    build keeps on disk for the next one (read, write)."""

    prepare: PrepareCache | None = None
    memo: ItemMemo = field(default_factory=ItemMemo)
    changed: set[str] | None = None  # item files a watcher saw change; None: check them all
    config: SiteConfig | None = None
    catalog: Catalog | None = None

    @classmethod
    def read(cls, cache_dir: Path, site_dir: Path) -> LoadState:
        """The state the last build saved: its validated items with the configuration and
        catalogue they point at (one pickle, so the references hold), for this engine only."""
        state = cls()
        stored = read_tagged(cache_dir / STATE_FILE, _state_tag(site_dir))
        if stored is not None:  # else every item is validated again
            state.memo, state.config, state.catalog = stored
        return state

    def write(self, cache_dir: Path, site_dir: Path) -> None:
        if not self.memo.dirty and (cache_dir / STATE_FILE).is_file():
            return
        self.memo.dirty = False  # as stored
        try:
            write_tagged(cache_dir / STATE_FILE, _state_tag(site_dir), (self.memo, self.config, self.catalog))
        except BaseException:
            self.memo.dirty = True
            raise


STATE_FILE = "loaded.pickle"


def _state_tag(site_dir: Path) -> tuple[str, str, str]:
    """What the stored configuration depends on beyond site.toml and the catalogue (those are
    the memo's key): the engine, where the site is (paths are absolute) and the holiday tables."""
    return engine_key(), str(site_dir.resolve()), hashlib.sha1(HOLIDAYS.read_bytes()).hexdigest()


# Held back only for now: their files are not secret, they just wait with their item.
WAITING = (None, "草稿", "未到发布日期")


@dataclass
class _Files:
    """Files to scan, in the shape attachments_pii reads (an item's ``attachments``)."""
    attachments: list[Attachment]


def _site_inputs_key(site_dir: Path) -> str:
    h = hashlib.sha1((site_dir / "site.toml").read_bytes())
    for path in sorted((site_dir / "content" / "catalog").glob("*.y*ml")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def load_site(site_dir: Path, today: dt.date, drafts: bool = False, future: bool = False,
              cache_dir: Path | None = None, state: LoadState | None = None,
              clean: bool = False) -> Site:
    """Load and validate everything; raise BuildFailed with every error found.

    With ``cache_dir``, files unchanged since the last load are not parsed again; with
    ``state`` (kept by a long-running process), they are not validated again either;
    ``clean`` ignores what the cache holds (and refills it).
    """
    on_disk = state is None and cache_dir is not None  # a one-shot build: the state lives in the cache
    if on_disk:
        assert cache_dir is not None
        state = LoadState() if clean else LoadState.read(cache_dir, site_dir)
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if cfg is None:
        raise BuildFailed(errors)
    catalog = load_catalog(site_dir, cfg, errors)
    allow = tuple(cfg.privacy_allow)
    errors.errors.extend(site_toml_pii(site_dir, allow) + catalog_pii(site_dir, allow))
    cache = None
    if cache_dir:
        if state is not None and state.prepare is not None and state.prepare.tag[1] == allow:
            cache = state.prepare
        else:
            cache = PrepareCache(cache_dir, allow, clean=clean)
            if state is not None:
                state.prepare = cache
    key = _site_inputs_key(site_dir)
    memo = None
    if state is not None and not errors:
        memo = state.memo
        if key == memo.key and state.config is not None and state.catalog is not None:  # both set together
            # reused items point at the previous catalogue and organizations: keep those
            cfg, catalog = state.config, state.catalog
        memo.reset_if(key)
        state.config, state.catalog = cfg, catalog
    changed = state.changed if state is not None and state.changed is not None and cache is not None \
        and cache.entries else None
    items = load_items(site_dir, cfg, catalog, errors, cache, memo, changed, drafts=drafts)
    if cache and on_disk:  # a long-running process saves its cache when it stops
        assert cache_dir is not None and state is not None
        cache.save()
        state.write(cache_dir, site_dir)
    pages = load_pages(site_dir, cfg, errors)
    requests = load_register(site_dir, cfg, errors, today)
    if errors:
        raise BuildFailed(errors)
    gate = GateOptions(today=today, drafts=drafts, future=future)
    published, held = apply_gate(items, gate)
    shown = {id(i) for i in published}
    withheld = [(i, r) for i in items if id(i) not in shown
                for r in [hold_reason(i, gate)] if r not in WAITING]
    check_published([*published, *pages], withheld, errors)
    if errors:
        raise BuildFailed(errors)
    # what is published of the attachments and linked files, once per file (cached by content)
    files = _Files(list(served_files([*published, *pages]).values()))
    errors.errors.extend(attachments_pii([files], allow, cache_dir, clean))
    if errors:
        raise BuildFailed(errors)
    return Site(config=cfg, catalog=catalog, items=items, published=published, pages=pages,
                today=today, held_back=held, inputs_key=key, preview=drafts or future, requests=requests,
                warnings=list(errors.warnings))
