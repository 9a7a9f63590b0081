"""Limits with messages: hostile YAML, numbers that are no numbers, oversized items, symlinks
and pathological Markdown end in a Chinese error with file and line and exit 1 — never a
traceback, a hang, a crash or a file published from outside the site."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, item_text, write_item
from test_validation import TODAY, assert_fails, build, built  # noqa: F401 (built: a fixture)

from gkpub.content import markdown

IDX = "11530000MB00000025/2026-00002"
PAGE = ("xxgk", "11530000MB00000025", "2026-00002", "index.html")

# A catalogue whose 要素 would expand to 10^9 strings if aliases were followed.
ALIAS_BOMB = "领域: 养老服务\n" + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}' if n else '笑'] * 10)}]\n" for n in range(9)) + "要素: *l8\n"


def _address_space(limit: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def build_in_subprocess(site: Path) -> subprocess.CompletedProcess:
    """A real `gkpub build` in its own process: a crash is a negative return code, not a lost
    test run, and more than 1 GiB of address space fails it."""
    return subprocess.run([sys.executable, "-m", "gkpub", "build", "--site", str(site), "--out",
                           str(site / "public"), "--no-search", "--today", TODAY], capture_output=True,
                          text=True, cwd=REPO, timeout=120, preexec_fn=_address_space(1 << 30))


def assert_clean_failure(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for e in expected:
        assert e in result.stderr, f"expected {e!r} in:\n{result.stderr}"


# ------------------------------------------------------------------ YAML
@pytest.mark.parametrize("value, message", [
    ("[" * 500, "YAML 嵌套超过 20 层"),
    ("[" * 500 + "]" * 500, "YAML 嵌套超过 20 层"),
    ("&t 标题", "不支持 YAML 锚点和别名（&/*）"),
    ("!!python/object/apply:os.system [echo]", "不支持 YAML 标签「!!python/object/apply:os.system」"),
])
def test_hostile_front_matter(built: Path, capsys, value: str, message: str) -> None:
    write_item(built, "b.md", item_text(索引号=IDX, 摘要=value))
    t0 = time.perf_counter()
    assert_fails(built, capsys, f"content/items/yanglao/b.md:7: {message}")
    assert time.perf_counter() - t0 < 5


def test_nesting_that_crashed_the_yaml_composer(built: Path) -> None:
    write_item(built, "b.md", item_text(索引号=IDX, 摘要="[" * 2_000_000))  # segfaulted at ~100k
    assert_clean_failure(build_in_subprocess(built), "content/items/yanglao/b.md:7: YAML 嵌套超过 20 层")


def test_alias_in_front_matter_names_the_alias_line(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(索引号=IDX).replace("---\n正文", "<<: {标题: x}\n---\n正文"))
    assert_fails(built, capsys, "b.md:7: 不支持 YAML 合并键「<<」")


def test_alias_bomb_in_catalogue_is_refused_fast_and_small(built: Path) -> None:
    (built / "content" / "catalog" / "yanglao.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    # timed and measured in a child with 1 GiB of address space: the old loader took 6 GB here
    probe = (
        "import json, sys, time, tracemalloc\n"
        "from pathlib import Path\n"
        "from gkpub.content.catalog import load_catalog\n"
        "from gkpub.content.config import load_config\n"
        "from gkpub.util.errors import ErrorList\n"
        "site = Path(sys.argv[1]); errors = ErrorList(root=site); cfg = load_config(site, errors)\n"
        "tracemalloc.start(); t0 = time.perf_counter(); load_catalog(site, cfg, errors)\n"
        "print(json.dumps([time.perf_counter() - t0, tracemalloc.get_traced_memory()[1],\n"
        "                  [e.format() for e in errors.errors]], ensure_ascii=False))\n")
    child = subprocess.run([sys.executable, "-c", probe, str(built)], capture_output=True, text=True,
                           cwd=REPO, timeout=60, preexec_fn=_address_space(1 << 30))
    assert child.returncode == 0, child.stderr
    elapsed, peak, errors = json.loads(child.stdout)
    assert errors == ["content/catalog/yanglao.yaml:2: 不支持 YAML 锚点和别名（&/*）；请把内容直接写出来"]
    assert elapsed < 2 and peak < 10 * 2**20, (elapsed, peak)
    assert_clean_failure(build_in_subprocess(built), "content/catalog/yanglao.yaml:2: 不支持 YAML 锚点和别名（&/*）")


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize("key, value, message", [
    ("收费金额", ".nan", "「.nan」应是非负数字（单位：万元）"),
    ("收费金额", ".inf", "「.inf」应是非负数字"),
    ("收费金额", "-.inf", "「-.inf」应是非负数字"),
    ("收费金额", ".NaN", "「.nan」应是非负数字"),
    ("处理决定数", ".inf", "「.inf」应是非负整数"),
])
def test_nan_and_inf_refused(built: Path, capsys, key: str, value: str, message: str) -> None:
    write_item(built, "b.md", item_text(**{"索引号": IDX, key: value}))
    assert_fails(built, capsys, f"b.md:7: 字段「{key}」: {message}")


def test_items_json_is_strict_json(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(索引号=IDX, 收费金额="12.5", 处理决定数="3"))
    code, err = build(built, capsys)
    assert code == 0, err

    def no_constants(name: str) -> None:
        raise AssertionError(f"items.json holds {name}, which is not JSON")

    data = json.loads((built / "public" / "data" / "items.json").read_text(encoding="utf-8"),
                      parse_constant=no_constants)
    record = next(r for r in data["信息"] if r["索引号"] == IDX)
    assert record["收费金额"] == 12.5 and record["处理决定数"] == 3


# ------------------------------------------------------------------ item size
def test_item_over_the_default_limit_is_not_parsed(built: Path, capsys) -> None:
    # 2 MiB and one byte of YAML that would not even parse: only the size is reported
    head = "---\n标题: [\n"
    write_item(built, "big.md", head + "x" * (2 * 2**20 - len(head.encode())) + "\n")
    assert (built / "content/items/yanglao/big.md").stat().st_size == 2 * 2**20 + 1
    err = assert_fails(built, capsys, "content/items/yanglao/big.md: 文件有 2,049 KB，超过单篇信息的上限 2,048 KB"
                                      "（site.toml 的 [limits] item_max_kb）")
    assert "YAML" not in err and "共 1 处错误" in err


def test_item_limit_from_site_toml(built: Path, capsys) -> None:
    toml = built / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[limits]\nitem_max_kb = 1\n", encoding="utf-8")
    size = write_item(built, "b.md", item_text(索引号=IDX, body="正文。" * 250)).stat().st_size
    assert 2048 < size <= 3072
    err = assert_fails(built, capsys, "b.md: 文件有 3 KB，超过单篇信息的上限 1 KB")
    assert "policy.md" not in err  # the small item is within the limit


# ------------------------------------------------------------------ symlinks
def test_symlinked_folder_inside_the_site_is_followed(built: Path, capsys) -> None:
    shared = built / "shared" / "extra"
    shared.mkdir(parents=True)
    (shared / "b.md").write_text(item_text(索引号=IDX), encoding="utf-8")
    os.symlink(shared, built / "content" / "items" / "extra")
    code, err = build(built, capsys)
    assert code == 0, err
    assert built.joinpath("public", *PAGE).is_file()


def test_symlinked_file_inside_the_site_is_followed(built: Path, capsys) -> None:
    (built / "drafts").mkdir()
    (built / "drafts" / "b.md").write_text(item_text(索引号=IDX), encoding="utf-8")
    os.symlink(built / "drafts" / "b.md", built / "content" / "items" / "yanglao" / "b.md")
    code, err = build(built, capsys)
    assert code == 0, err
    assert built.joinpath("public", *PAGE).is_file()


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_symlink_leaving_the_site_is_an_error(built: Path, capsys, tmp_path: Path, kind: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.md").write_text(item_text(索引号=IDX, 标题="站外的文件"), encoding="utf-8")
    source, name = (outside / "b.md", "b.md") if kind == "file" else (outside, "linked")
    os.symlink(source, built / "content" / "items" / "yanglao" / name)
    err = assert_fails(built, capsys,
                       f"content/items/yanglao/{name}: 「{name}」是指向站点目录以外（{source}）的符号链接；"
                       "请把文件本身放进 content/")
    assert "站外的文件" not in err
    assert not built.joinpath("public", *PAGE).exists()


@pytest.mark.parametrize("target, message", [
    ("..", "是指向上级文件夹的符号链接，会无限循环"),
    ("gone.md", "是符号链接，但它指向的文件不存在"),
])
def test_looping_and_broken_symlinks(built: Path, capsys, target: str, message: str) -> None:
    name = "loop" if target == ".." else "b.md"
    os.symlink(target, built / "content" / "items" / "yanglao" / name)
    assert_fails(built, capsys, f"content/items/yanglao/{name}: 「{name}」{message}")


def test_symlinked_catalogue_from_outside(built: Path, capsys, tmp_path: Path) -> None:
    outside = tmp_path / "jiuzhu.yaml"
    outside.write_text("领域: 社会救助\n", encoding="utf-8")
    os.symlink(outside, built / "content" / "catalog" / "jiuzhu.yaml")
    assert_fails(built, capsys, "content/catalog/jiuzhu.yaml: 「jiuzhu.yaml」是指向站点目录以外")


# ------------------------------------------------------------------ Markdown
def test_deeply_nested_brackets_in_the_body_build(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(索引号=IDX, body="[" * 500 + "\n\n" + "[" * 500 + "a" + "]" * 500))
    code, err = build(built, capsys)
    assert code == 0, err
    assert "[" * 500 in built.joinpath("public", *PAGE).read_text(encoding="utf-8")


def test_inline_footnote_refused_with_line(built: Path, capsys) -> None:
    # markdown-it-footnote panics on `^[` before Chinese text and hangs on 40 unclosed ones
    body = "第一段。\n\n第二段^[这是注释]。\n\n`^[` 在代码中可以。\n\n" + "^[" * 40
    write_item(built, "b.md", item_text(索引号=IDX, body=body))
    t0 = time.perf_counter()
    assert_fails(built, capsys, "b.md:10: 字段「正文」: 正文不支持行内脚注「^[…]」；请改用脚注写法",
                 "本篇另有 1 行同样的问题")
    assert time.perf_counter() - t0 < 5


def test_nesting_that_crashed_the_parser(built: Path) -> None:
    write_item(built, "b.md", item_text(索引号=IDX, body="第一段。\n\n" + "> " * 100_000 + "深"))
    result = build_in_subprocess(built)  # this segfaulted the whole build
    assert_clean_failure(result, "b.md:10: 字段「正文」: 这一行开头的缩进和引用符号「>」、列表符号超过 120 个字符")


def test_normal_nesting_and_rules_pass_lint() -> None:
    body = "".join("  " * i + f"- 第{i + 1}级\n" for i in range(8)) + "\n" + "-" * 300 + "\n\n" \
        + "> " * 8 + "引用\n\n" + " " * 200 + "缩进的代码\n"
    assert markdown.lint(body) == []


def test_a_parser_panic_is_reported_at_its_block() -> None:
    with pytest.raises(markdown.ParserFailure) as exc:
        markdown._guarded(markdown.render, "第一段。\n\n第二段\n中^[文")  # lint would refuse this
    assert exc.value.line == 3

