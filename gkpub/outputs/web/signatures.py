"""Signatures of page inputs: the site, the page's own data and the templates it uses.

A page is re-rendered when its signature changes. A template's part of it covers
the template and every template it extends, includes or imports, so editing
item.html re-renders item pages only, and editing base.html re-renders all pages.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

import jinja2
import jinja2.meta

from gkpub.outputs.web.render import Job

# sha1(template source) → the names it references; parsing is the slow part of signing
_REFERENCES: dict[str, tuple[str, ...]] = {}


class TemplateSigner:
    def __init__(self, env: jinja2.Environment, site_key: str):
        self.env = env
        self.site_key = site_key
        self._closure = lru_cache(maxsize=None)(self._closure_uncached)
        self._sigs: dict[tuple, str] = {}

    def refresh(self, env: jinja2.Environment) -> None:
        """A new environment for the next build: templates may have changed on disk."""
        self.env = env
        self._closure.cache_clear()
        if len(self._sigs) > 200_000:  # bound the memory of a long serve session
            self._sigs.clear()

    def _source(self, name: str) -> str:
        assert self.env.loader is not None
        return self.env.loader.get_source(self.env, name)[0]

    def _closure_uncached(self, name: str) -> str:
        """Hash of the template and, recursively, of all it references."""
        seen: set[str] = set()
        todo = [name]
        h = hashlib.sha1()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source = self._source(current)
            h.update(current.encode() + b"\0" + source.encode())
            key = hashlib.sha1(source.encode()).hexdigest()
            if key not in _REFERENCES:
                ast = self.env.parse(source)
                _REFERENCES[key] = tuple(sorted(t for t in jinja2.meta.find_referenced_templates(ast) if t))
            todo.extend(_REFERENCES[key])
        return h.hexdigest()

    def sign(self, job: Job) -> str:
        key = (self._closure(job.template), job.deps)
        sig = self._sigs.get(key)
        if sig is None:
            sig = hashlib.sha1(repr((self.site_key,) + key).encode()).hexdigest()
            self._sigs[key] = sig
        return sig
