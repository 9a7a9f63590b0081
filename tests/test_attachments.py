"""附件 (issue 10, Broken 5, 7 and 11): only document files are served under /files/, every
refusal says file, line and what is allowed, and odd names still make working links."""
from __future__ import annotations

import html
import json
import os
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import serve
from conftest import item_text, run, write_item
from test_validation import assert_fails, build, built  # noqa: F401 (built: a fixture)

from gkpub.content.vocab import DEFAULT_ATTACHMENT_TYPES, SCRIPT_CAPABLE_TYPES

INDEX = "11530000MB00000025/2026-00002"
HELD_MARKER = "依申请公开材料的正文只向申请人提供"
PDF = b"%PDF-1.7\n% test attachment\n"


def files_dir(site: Path) -> Path:
    folder = site / "content" / "items" / "yanglao" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def attach(site: Path, *paths: str) -> None:
    """b.md, a published item, attaching ``paths`` (JSON is YAML: any character survives)."""
    write_item(site, "b.md", item_text(索引号=INDEX, 附件=json.dumps(list(paths), ensure_ascii=False)))


def refused(site: Path, capsys, *expected: str) -> str:
    """The build stops with exit 1, says ``expected`` at b.md's 附件 line, public/ is untouched."""
    err = assert_fails(site, capsys, "content/items/yanglao/b.md:7: 字段「附件」:", *expected)
    assert "Traceback" not in err
    return err


def all_output_text(out: Path) -> str:
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file())


# -- Broken 5: another item's Markdown source ----------------------------------------------

def test_an_items_markdown_source_is_never_an_attachment(built: Path, capsys) -> None:
    write_item(built, "held.md", item_text(标题="低保复核材料", 索引号="11530000MB00000025/2026-00003",
                                           公开属性="依申请公开", body=HELD_MARKER))
    code, err = build(built, capsys)
    assert code == 0, err
    assert HELD_MARKER not in all_output_text(built / "public")

    attach(built, "held.md")
    refused(built, capsys, "附件「held.md」是 Markdown 源文件", "不能作为附件", "可用类型：pdf、doc、")
    # the same file behind another name: a link inside the site, or a path through ../
    os.symlink("../held.md", files_dir(built) / "fuben.pdf")
    attach(built, "files/fuben.pdf")
    refused(built, capsys, "符号链接「files/fuben.pdf」指向的文件「held.md」", "是 Markdown 源文件")
    attach(built, "../yanglao/HELD.MD")
    refused(built, capsys, "是 Markdown 源文件")
    assert HELD_MARKER not in all_output_text(built / "public")


@pytest.mark.parametrize("target, where", [
    ("../../../../site.toml", "site.toml"),
    ("../../../catalog/yanglao.yaml", "content/catalog"),
    ("../../../../layouts/assets/note.txt", "layouts"),
    ("../../../../print/board.txt", "print"),
    ("../../../../public/data/catalog.csv", "public"),
    ("../../../../.git/notes.txt", "隐藏目录"),
])
def test_files_the_build_reads_are_never_attachments(built: Path, capsys, target: str,
                                                     where: str) -> None:
    link = files_dir(built) / "peizhi.txt"
    real = (link.parent / target).resolve()
    if not real.exists():
        real.parent.mkdir(parents=True, exist_ok=True)
        real.write_text("站点自己的文件", encoding="utf-8")
    os.symlink(target, link)
    attach(built, "files/peizhi.txt")
    refused(built, capsys, "是网站自己读取或生成的文件", f"（{where}）")


# -- Broken 7: files a browser would run -----------------------------------------------------

@pytest.mark.parametrize("name", ["tu.svg", "ye.html", "shu.xml", "TU.SVG", "a.xhtml", "b.js"])
def test_script_capable_types_are_refused(built: Path, capsys, name: str) -> None:
    (files_dir(built) / name).write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                                         encoding="utf-8")
    attach(built, f"files/{name}")
    ext = name.rsplit(".", 1)[1].lower()
    refused(built, capsys, f"附件「files/{name}」的类型 .{ext} 可能在浏览器中执行脚本，不能作为附件",
            "可用类型：pdf、doc、docx、xls、xlsx")


@pytest.mark.parametrize("name, data", [
    ("fake.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("page.txt", "\ufeff\n  <!DOCTYPE html><script>alert(1)</script>".encode("utf-8")),
    ("wide.doc", "<html><script>alert(1)</script>".encode("utf-16")),  # with a UTF-16 BOM
    ("data.csv", b"  <?xml version='1.0'?><x/>"),
])
def test_markup_behind_a_document_extension_is_refused(built: Path, capsys, name: str,
                                                       data: bytes) -> None:
    (files_dir(built) / name).write_bytes(data)
    attach(built, f"files/{name}")
    refused(built, capsys, f"附件「files/{name}」的内容是网页或 XML 标记", "可能在浏览器中执行脚本")


def test_other_types_are_refused_with_the_allowed_list(built: Path, capsys) -> None:
    (files_dir(built) / "setup.exe").write_bytes(b"MZ")
    (files_dir(built) / "README").write_bytes(b"x")
    attach(built, "files/setup.exe", "files/README")
    err = refused(built, capsys, "附件「files/setup.exe」的类型 .exe 不在允许的附件类型中",
                  "附件「files/README」没有扩展名，不在允许的附件类型中",
                  "[files] attachment_types")
    assert "、".join(DEFAULT_ATTACHMENT_TYPES) in err


def test_no_served_file_is_script_capable(demo_public: Path) -> None:
    served = [p for p in (demo_public / "files").rglob("*") if p.is_file()]
    assert served, "the demo serves attachments"
    for p in served:
        ext = p.suffix.lstrip(".").lower()
        assert ext not in SCRIPT_CAPABLE_TYPES and ext in DEFAULT_ATTACHMENT_TYPES, p


# -- Broken 11: names, links, symlinks, size -------------------------------------------------

ODD_NAMES = ["申请表 #1.pdf", "what?.pdf", "a%2e.pdf", "100% 完成.xlsx", "a+b&c=d;e'f.txt",
             "..%2f..%2fsite.pdf", "[附件](1).zip"]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read()


def test_names_with_url_special_characters_make_working_links(built: Path, capsys) -> None:
    contents = {}
    for n, name in enumerate(ODD_NAMES):
        data = PDF if name.endswith(".pdf") else f"附件 {n}".encode()
        (files_dir(built) / name).write_bytes(data)
        contents[name] = data
    attach(built, *(f"files/{name}" for name in ODD_NAMES))
    code, err = build(built, capsys)
    assert code == 0, err
    assert run("check", "--links", "--site", str(built), "--out", str(built / "public")) == 0, \
        capsys.readouterr().out

    page = (built / "public" / "xxgk" / INDEX / "index.html").read_text(encoding="utf-8")
    hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)" download>', page)]
    assert len(hrefs) == len(ODD_NAMES)
    records = json.loads((built / "public" / "data" / "items.json").read_text(encoding="utf-8"))["信息"]
    record = next(r for r in records if r["索引号"] == INDEX)
    assert [a["名称"] for a in record["附件"]] == ODD_NAMES
    with serve(built / "public") as base:  # the standard library's server, as python3 -m http.server
        for href, name in zip(hrefs, ODD_NAMES, strict=True):
            assert fetch(base + href) == contents[name], (href, name)
        for a in record["附件"]:
            assert fetch(base + urlsplit(a["网址"]).path) == contents[a["名称"]], a


def test_backslashes_and_url_encoded_paths_are_explained(built: Path, capsys) -> None:
    (files_dir(built) / "a b.pdf").write_bytes(PDF)
    attach(built, "files\\a b.pdf")
    refused(built, capsys, "反斜杠", "用「/」分隔")
    attach(built, "files/a%20b.pdf")
    refused(built, capsys, "找不到附件文件「files/a%20b.pdf」", "是不是「files/a b.pdf」？")


def test_symlinks_inside_the_site_are_followed(built: Path, capsys) -> None:
    shared = built / "shared"
    shared.mkdir()
    (shared / "biao.pdf").write_bytes(PDF)
    os.symlink("../../../../shared/biao.pdf", files_dir(built) / "shenqingbiao.pdf")
    os.symlink("../../shared", built / "content" / "items" / "gongyong")
    attach(built, "files/shenqingbiao.pdf", "../gongyong/biao.pdf")
    code, err = build(built, capsys)
    assert code == 0, err
    out = built / "public" / "files" / "items"
    assert (out / "yanglao" / "files" / "shenqingbiao.pdf").read_bytes() == PDF
    assert (out / "gongyong" / "biao.pdf").read_bytes() == PDF
    assert not (out / "gongyong" / "biao.pdf").is_symlink()


def test_symlinks_leaving_the_site_are_refused(built: Path, capsys, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "mima.pdf"
    secret.parent.mkdir()
    secret.write_bytes(PDF + "密码".encode())
    os.symlink(secret, files_dir(built) / "link.pdf")
    attach(built, "files/link.pdf")
    refused(built, capsys, "「files/link.pdf」是符号链接", "指向站点目录以外", "把文件本身放进 content/ 目录")


def test_attachment_size_limit(built: Path, capsys) -> None:
    big = files_dir(built) / "big.zip"
    with open(big, "wb") as fh:  # sparse: no 50 MB written to disk
        fh.truncate(50 * 1024 * 1024 + 1)
    attach(built, "files/big.zip")
    refused(built, capsys, "附件「files/big.zip」有 50.1 MB，超过每个附件 50 MB 的上限",
            "[limits] attachment_max_mb")


def test_site_toml_sets_the_limit_and_the_types(built: Path, capsys) -> None:
    toml = built / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    + '\n[limits]\nattachment_max_mb = 1\n\n[files]\nattachment_types = ["pdf", "zip"]\n',
                    encoding="utf-8")
    (files_dir(built) / "mingxi.xlsx").write_bytes(b"PK\x03\x04")
    with open(files_dir(built) / "da.zip", "wb") as fh:
        fh.truncate(1024 * 1024 + 1)
    attach(built, "files/mingxi.xlsx", "files/da.zip")
    refused(built, capsys, "附件「files/mingxi.xlsx」的类型 .xlsx 不在允许的附件类型中；可用类型：pdf、zip（",
            "附件「files/da.zip」有 1.1 MB，超过每个附件 1 MB 的上限")
