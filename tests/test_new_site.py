"""`gkpub new site DIR`: a new site that checks, builds and takes new items at once."""
from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TODAY, run

from gkpub.authoring.new_site import PLACEHOLDER_CODE, STARTER
from gkpub.content import siteschema
from gkpub.content.config import load_config
from gkpub.util.errors import ErrorList

DAY = TODAY.isoformat()
VALID_CODE = "11539901MB0000001" + siteschema.credit_check_char("11539901MB0000001")
CODE_LINE = re.compile(r"^# ((?:\[\[?[a-z.]+\]\]?)|(?:[a-z_]+ = .*))$")


def new_site(target: Path, *options: str) -> int:
    return run("new", "site", str(target), "--today", DAY, *options)


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    site = tmp_path / "某某区"
    assert new_site(site) == 0
    return site


def test_new_site_checks_builds_and_takes_a_new_item(tmp_path: Path, capsys) -> None:
    site = tmp_path / "new"
    assert new_site(site) == 0
    said = capsys.readouterr().out
    for step in ("site.toml", "gkpub new item", "gkpub check", "gkpub build", "gkpub serve"):
        assert step in said
    assert run("check", "--site", str(site), "--today", DAY) == 0
    assert "未发现错误" in capsys.readouterr().out

    out = tmp_path / "public"
    assert run("build", "--site", str(site), "--out", str(out), "--no-search", "--today", DAY) == 0
    item = out / "xxgk" / PLACEHOLDER_CODE / f"{TODAY.year}-00001" / "index.html"
    assert "惠民惠农财政补贴政策清单" in item.read_text(encoding="utf-8")
    for page in ("guide", "rules/baomi-shencha", "rules/yishenqing-banli", f"annual/{TODAY.year - 1}",
                 "catalog", "domain/caizheng"):
        assert (out / page / "index.html").is_file(), page
    capsys.readouterr()
    links = run("check", "--links", "--site", str(site), "--out", str(out))
    assert links == 0, capsys.readouterr().out
    capsys.readouterr()

    org, catalog = re.search(r"--org (\S+) --catalog (\S+)", said).groups()  # the command it suggests
    assert run("new", "item", "--site", str(site), "--org", org, "--catalog", catalog,
               "--title", "某某区预算报告", "--today", DAY) == 0
    created = Path(capsys.readouterr().out.split("：", 1)[1].strip())
    assert f"索引号: {PLACEHOLDER_CODE}/{TODAY.year}-00002" in created.read_text(encoding="utf-8")
    assert run("build", "--site", str(site), "--no-search", "--drafts", "--today", DAY) == 0  # a preview
    assert (site / "preview" / "xxgk" / PLACEHOLDER_CODE / f"{TODAY.year}-00002" / "index.html").is_file()


def test_catalogue_covers_the_five_stages(fresh: Path) -> None:
    data = yaml.safe_load((fresh / "content" / "catalog" / "caizheng.yaml").read_text(encoding="utf-8"))
    stages = {leaf["过程"] for matter in data["事项"] for leaf in matter["公开内容"]}
    assert stages == {"决策", "执行", "管理", "服务", "结果"}
    assert (fresh / ".gitignore").read_text(encoding="utf-8").count("/public/") == 1


def _sections(text: str) -> dict[str, list[str]]:
    """Lines under each table header, commented out or not."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        m = re.match(r"^(?:# )?\[\[?([a-z.]+)\]\]?$", line)
        if m:
            current = m.group(1)
            sections[current] = []
        else:
            sections[current].append(line)
    return sections


def test_site_toml_shows_every_table_and_key_with_its_doc(fresh: Path) -> None:
    text = (fresh / "site.toml").read_text(encoding="utf-8")
    sections = _sections(text)
    assert set(sections) - {""} == {t.name for t in siteschema.TABLES}
    for table in siteschema.TABLES:
        assert table.doc in text
    for key in siteschema.KEYS:
        lines = sections[key.table]
        at = [i for i, line in enumerate(lines) if re.match(rf"^(# )?{key.name} = ", line)]
        assert len(at) == 1, f"{key.table}.{key.name}"
        docs = lines[max(0, at[0] - 6):at[0]]
        assert any(key.doc in line for line in docs), f"{key.table}.{key.name}: doc"
    for where in ("政府网站信息报送系统", "全国政府网站基本数据库", "机构编制部门",
                  "全国组织机构统一社会信用代码", "备案管理系统"):
        assert where in text


def test_site_toml_is_valid_as_written_and_with_everything_uncommented(fresh: Path, tmp_path: Path) -> None:
    text = (fresh / "site.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert [o["code"] for o in data["org"]] == [PLACEHOLDER_CODE]
    assert siteschema.credit_code_problem(PLACEHOLDER_CODE) is None

    full = "\n".join(m.group(1) if (m := CODE_LINE.match(line)) else line for line in text.splitlines())
    assert "# [" not in full and not re.search(r"^# [a-z_]+ = ", full, re.MULTILINE)
    other = tmp_path / "uncommented"
    other.mkdir()
    (other / "site.toml").write_text(full, encoding="utf-8")
    errors = ErrorList(root=other)
    cfg = load_config(other, errors)
    assert not errors, errors.report()
    assert cfg is not None and [t.name for t in cfg.townships] == ["某某街道"]
    assert cfg.attachment_types == ("pdf", "docx", "xlsx", "ofd")
    assert tomllib.loads(full)["calendar"]["years"] == [TODAY.year + 1]


def test_options_fill_in_the_district(tmp_path: Path) -> None:
    site = tmp_path / "qinghe"
    assert new_site(site, "--district", "青禾区", "--city", "云岭市", "--domain", "www.qinghe.gov.cn",
                    "--code", VALID_CODE.lower()) == 0
    cfg = tomllib.loads((site / "site.toml").read_text(encoding="utf-8"))
    assert cfg["site"]["base_url"] == "https://www.qinghe.gov.cn/"
    assert cfg["site"]["government"] == "青禾区人民政府" == cfg["org"][0]["name"]
    assert cfg["org"][0]["code"] == VALID_CODE and cfg["org"][0]["doc_prefix"][0] == "青政发"
    item = next((site / "content" / "items").rglob("*.md")).read_text(encoding="utf-8")
    assert f"索引号: {VALID_CODE}/{TODAY.year}-00001" in item and "青禾区惠民惠农" in item
    assert "青禾区人民政府信息公开指南" in (site / "content/pages/guide.md").read_text(encoding="utf-8")
    assert run("check", "--site", str(site), "--today", DAY) == 0


@pytest.mark.parametrize("option, value, said", [
    ("--code", VALID_CODE[:17] + ("0" if VALID_CODE[17] != "0" else "1"), "校验码不对"),
    ("--domain", "not a url", "不是网址"),
    ("--district", "某 区", "不能作名称"),
    ("--site-id", "53-99", "不是网站标识码"),
])
def test_bad_options_exit_2_and_write_nothing(tmp_path: Path, capsys, option: str, value: str,
                                              said: str) -> None:
    site = tmp_path / "s"
    assert new_site(site, option, value) == 2
    assert said in capsys.readouterr().err
    assert not site.exists()


def test_refuses_a_non_empty_folder_or_a_file(tmp_path: Path, capsys) -> None:
    site = tmp_path / "s"
    site.mkdir()
    (site / "notes.txt").write_text("已有的文件", encoding="utf-8")
    assert new_site(site) == 2
    assert "不是空的" in capsys.readouterr().err
    assert [p.name for p in site.iterdir()] == ["notes.txt"]
    assert (site / "notes.txt").read_text(encoding="utf-8") == "已有的文件"

    a_file = tmp_path / "f.txt"
    a_file.write_text("x", encoding="utf-8")
    assert new_site(a_file) == 2
    assert "不是文件夹" in capsys.readouterr().err

    empty = tmp_path / "empty"
    empty.mkdir()
    assert new_site(empty) == 0 and (empty / "site.toml").is_file()


def test_package_data_ships_every_starter_file() -> None:
    """pyproject's package-data globs (as setuptools expands them) cover the whole starter folder."""
    pkg = REPO / "gkpub"
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["gkpub"]
    shipped = {Path(p) for pattern in patterns
               for p in glob.glob(pattern, root_dir=pkg, recursive=True) if (pkg / p).is_file()}
    starter = {p.relative_to(pkg) for p in (pkg / "authoring" / STARTER).rglob("*") if p.is_file()}
    assert starter and Path("authoring", STARTER, ".gitignore") in starter
    assert starter <= shipped, sorted(map(str, starter - shipped))
