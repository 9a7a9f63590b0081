"""site.toml is checked against its schema: every mistake gives site.toml:LINE in Chinese, exit 1."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_TOML, run

from gkpub.content.siteschema import KEYS, credit_check_char, credit_code_problem, site_table

REPO = Path(__file__).resolve().parent.parent


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def check(site: Path, capsys) -> tuple[int, str]:
    code = run("check", "--site", str(site), "--today", "2026-11-23")
    return code, capsys.readouterr().err


APPEND = "\n# the case\n"

CASES = [
    # (name, edit(text) -> text, needle whose line is reported, expected fragments)
    ("unknown table", lambda t: t + APPEND + '[calender]\nholidays = ["2027-01-01"]\n',
     "[calender]", ["[calender]", "未知的配置段", "是不是「[calendar]」"]),
    ("unknown array table", lambda t: t + APPEND + '[[orgs]]\nname = "x"\n',
     "[[orgs]]", ["[[orgs]]", "是不是「[[org]]」"]),
    ("misspelt privacy", lambda t: t + APPEND + "[privacyy]\nallow = []\n",
     "[privacyy]", ["是不是「[privacy]」"]),
    ("wrong type", lambda t: t.replace("page_size = 2", 'page_size = "twenty"'),
     "page_size", ["site.page_size", "应为整数"]),
    ("out of range", lambda t: t.replace("page_size = 2", "page_size = 2\nhome_latest = -1"),
     "home_latest", ["site.home_latest", "超出范围", "1 到 50"]),
    ("unknown org key", lambda t: t.replace('doc_prefix = ["测民发"]', 'doc_prefix = ["测民发"]\nphon = "1"'),
     "phon =", ["org[2].phon", "未知的配置项", "是不是「phone」"]),
    ("duplicate org",
     lambda t: t + APPEND + '[[org]]\nname = "测试区民政局"\ncode = "11530000MB0000003X"\nkind = "区级部门"\n',
     'name = "测试区民政局"\ncode = "11530000MB0000003X"', ["org[3].name", "与第", "重复"]),
    ("missing required", lambda t: t.replace('site_id = "5300000001"\n', ""),
     "[site]", ["site.site_id", "缺少此项"]),
    ("duplicate key", lambda t: t.replace("page_size = 2", "page_size = 2\npage_size = 3"),
     "page_size = 3", ["写了两次"]),
    ("nested unknown table", lambda t: t.replace("page_size = 2", "page_size = 2\n[site.extra]\nx = 1"),
     "[site.extra]", ["site.extra", "未知的配置项"]),
    ("bad level", lambda t: t.replace('level = "区县级"', 'level = "县级"'),
     "level =", ["site.level", "「县级」不是公开层级", "可用：市级、区县级、街镇级"]),
    ("plain table as array", lambda t: t.replace("[site]", "[[site]]"),
     "[[site]]", ["应写作 [site] 段"]),
    ("bad org code", lambda t: t.replace('code = "11530000MB00000025"', 'code = "11530000MB00000026"'),
     'code = "11530000MB00000026"', ["org[2].code", "校验码", "应为「5」"]),
    ("risky attachment type", lambda t: t + APPEND + '[files]\nattachment_types = ["pdf", "svg"]\n',
     "attachment_types", ["files.attachment_types", "「svg」", "执行脚本"]),
]


@pytest.mark.parametrize("name,edit,needle,expected", CASES, ids=[c[0] for c in CASES])
def test_malformed_site_toml(mini_site: Path, capsys, name, edit, needle, expected) -> None:
    toml = mini_site / "site.toml"
    text = edit(MINI_TOML)
    assert text != MINI_TOML
    toml.write_text(text, encoding="utf-8")
    code, err = check(mini_site, capsys)
    assert code == 1, err
    lines = [ln for ln in err.splitlines() if ln.startswith("site.toml")]
    assert lines, err
    assert lines[0].startswith(f"site.toml:{line_of(text, needle)}:"), err
    for e in expected:
        assert e in err, f"expected {e!r} in:\n{err}"
    assert "Traceback" not in err
    # one mistake, one message: no cascade into the catalogue or the items
    assert not [ln for ln in err.splitlines() if ln.startswith("content/")], err


def test_bad_org_kind_does_not_cascade(mini_site: Path, capsys) -> None:
    toml = mini_site / "site.toml"
    toml.write_text(MINI_TOML.replace('kind = "区级部门"', 'kind = "部门"'), encoding="utf-8")
    code, err = check(mini_site, capsys)
    assert code == 1
    assert "「部门」不是机关类型" in err and "是不是「区级部门」" in err
    assert err.count("site.toml") == 1 and "content/" not in err, err


def test_credit_code_check_character() -> None:
    # a widely published example of a valid code, and every demo organization's code
    assert credit_code_problem("91350100M000100Y43") is None
    assert credit_check_char("91350100M000100Y4") == "3"
    assert "18 位" in (credit_code_problem("11530000MB000000") or "")
    assert "不用 I、O、Z、S、V" in (credit_code_problem("11530000MB000000IX") or "")


def test_demo_org_codes_are_valid() -> None:
    import tomllib
    data = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))
    for org in data["org"]:
        assert credit_code_problem(org["code"]) is None, org["name"]


def test_readme_site_table_matches_schema() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- site-keys:start -->", 1)[1].split("<!-- site-keys:end -->", 1)[0].strip()
    assert block == site_table(), "README 的 site.toml 表过期：运行 python -m gkpub.authoring.docs README.md"
    for key in KEYS:
        assert f"| {key.name} |" in block
