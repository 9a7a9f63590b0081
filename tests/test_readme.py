"""The README is what a new user reads: keep its commands and its key table true."""
from __future__ import annotations

import re
from pathlib import Path

from gkpub.authoring.docs import END, START, fields_table
from gkpub.content.schema import FIELDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_field_table_matches_schema() -> None:
    block = README.split(START, 1)[1].split(END, 1)[0].strip()
    assert block == fields_table(), "README 字段表过期：运行 python -m gkpub.authoring.docs README.md"
    for f in FIELDS:
        assert f"| {f.key} |" in block


def test_readme_commands_exist_and_ci_uses_the_test_command() -> None:
    commands = re.findall(r"^bash (scripts/\S+\.sh)$", README, re.M)
    assert commands[:2] == ["scripts/demo.sh", "scripts/test.sh"]
    for c in commands:
        assert (REPO / c).is_file()
    assert "scripts/test.sh" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
