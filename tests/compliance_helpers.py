"""Helpers for the compliance, open-data, import and annual-report tests."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import item_text, run, write_item

TODAY = "2026-11-23"
DECISION = "11530000MB00000025/2026-00001"  # the 索引号 of the mini site's policy.md


def index_no(n: int, org: str = "11530000MB00000025", year: int = 2026) -> str:
    return f"{org}/{year}-{n:05d}"


def add_item(site: Path, name: str, n: int, **fields: Any) -> Path:
    """Write item ``name`` with 索引号 number ``n`` and the given front-matter fields."""
    return write_item(site, name, item_text(**{"索引号": index_no(n), **fields}))


def check_json(site: Path, capsys, *extra: str, today: str = TODAY) -> tuple[int, dict]:
    code = run("check", "--site", str(site), "--today", today, "--format", "json", *extra)
    out = capsys.readouterr().out
    return code, json.loads(out)


def findings(site: Path, capsys, kind: str | None = None, today: str = TODAY) -> list[dict]:
    code, doc = check_json(site, capsys, today=today)
    assert code == 0, doc["errors"]
    return [f for f in doc["findings"] if kind is None or f["kind"] == kind]


def add_leaf(site: Path, yaml_text: str) -> None:
    """Append leaves (YAML list entries indented for 公开内容) to the mini catalogue's matter."""
    cat = site / "content" / "catalog" / "yanglao.yaml"
    cat.write_text(cat.read_text(encoding="utf-8") + yaml_text, encoding="utf-8")


def append_toml(site: Path, text: str) -> None:
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
