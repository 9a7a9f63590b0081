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

from .web import Job


class TemplateSigner:
    def __init__(self, env: jinja2.Environment, site_key: str):
        self.env = env
        self.site_key = site_key
        self._closure = lru_cache(maxsize=None)(self._closure_uncached)

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
            ast = self.env.parse(source)
            todo.extend(sorted(t for t in jinja2.meta.find_referenced_templates(ast) if t))
        return h.hexdigest()

    def sign(self, job: Job) -> str:
        data = repr((self.site_key, self._closure(job.template), job.deps)).encode()
        return hashlib.sha1(data).hexdigest()
