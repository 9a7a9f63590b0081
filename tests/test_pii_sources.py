"""Personal data in the places Broken 10 found unscanned: site.toml, the catalogue's YAML
and the text of attachments (CSV, XLSX, DOCX, PDF; also OFD and ZIP). Each one stops
`gkpub build` (exit 1) with file:line, the field and the masked form, in Chinese."""
from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from compliance_helpers import TODAY, add_item, append_toml
from conftest import run, tree_digest

from gkpub.content.pii_sources import CACHE_NAME, attachment_pii
from gkpub.rules.pii import id_check_char, luhn_ok

ID17 = "43070219800101123"
ID = ID17 + id_check_char(ID17)
ID_MASKED = ID[:4] + "*" * 10 + ID[-4:]
MOBILE = "13812345678"
CARD = next(f"622202020011223344{d}" for d in "0123456789" if luhn_ok(f"622202020011223344{d}"))
FILES = "content/items/yanglao/files"


def build(site: Path, capsys, *extra: str) -> tuple[int, str]:
    code = run("build", "--site", str(site), "--today", TODAY, "--no-search", *extra)
    return code, capsys.readouterr().err


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                if needle in line)


# ---------------------------------------------------------------- site.toml

def test_org_phone_that_is_a_mobile(mini_site: Path, capsys) -> None:
    toml = mini_site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("0871-60000002", "138 1234 5678"),
                    encoding="utf-8")
    code, err = build(mini_site, capsys)
    line = line_of(toml, "138 1234 5678")
    assert code == 1
    assert (f"site.toml:{line}: 字段「org[2].phone」: 发现未遮蔽的手机号「138 1234 5678」；"
            "请改为「138 **** 5678」") in err
    assert not (mini_site / "public").exists()


def test_site_phone_and_toml_escapes(mini_site: Path, capsys) -> None:
    toml = mini_site / "site.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'supervision_phone = "0871-60000000"', 'supervision_phone = "\\u0031\\u0033812345678"')
    toml.write_text(text, encoding="utf-8")
    code, err = build(mini_site, capsys)
    line = line_of(toml, "supervision_phone")
    assert code == 1
    assert f"site.toml:{line}: 字段「site.supervision_phone」: 发现未遮蔽的手机号" in err
    assert "用 \\u 转义写成" in err and "请改为「138****5678」" in err


def test_privacy_allow_list_still_applies_to_site_toml(mini_site: Path, capsys) -> None:
    toml = mini_site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("0871-60000002", MOBILE), encoding="utf-8")
    assert build(mini_site, capsys)[0] == 1
    append_toml(mini_site, f'[privacy]\nallow = ["{MOBILE}"]  # 区民政局对外公布的手机热线\n')
    assert build(mini_site, capsys)[0] == 0


def test_site_toml_comments_are_not_published_and_not_checked(mini_site: Path, capsys) -> None:
    append_toml(mini_site, f"# 联系人张三 {MOBILE}，身份证 {ID}\n")
    assert build(mini_site, capsys)[0] == 0


# ---------------------------------------------------------------- catalogue

def test_catalogue_values(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    text = cat.read_text(encoding="utf-8")
    text = text.replace("说明: 养老服务测试目录。", f"说明: 养老服务测试目录，联系人手机 {MOBILE}。")
    text = text.replace("要素: [补贴对象, 补贴标准]", f"要素: [补贴对象, 补贴标准, 经办人 {ID}]")
    cat.write_text(text, encoding="utf-8")
    code, err = build(mini_site, capsys)
    assert code == 1
    rel = "content/catalog/yanglao.yaml"
    assert f"{rel}:2: 字段「说明」: 发现未遮蔽的手机号「{MOBILE}」；请改为「138****5678」" in err
    line = line_of(cat, "经办人")
    assert (f"{rel}:{line}: 字段「事项[1].公开内容[1].要素」: 发现未遮蔽的身份证号「{ID}」；"
            f"请改为「{ID_MASKED}」") in err


def test_catalogue_value_only_the_parser_shows(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    text = cat.read_text(encoding="utf-8").replace(
        "说明: 养老服务测试目录。", '说明: "咨询手机 1381234\\\n  5678"')
    cat.write_text(text, encoding="utf-8")
    code, err = build(mini_site, capsys)
    assert code == 1
    assert ("content/catalog/yanglao.yaml:2: 字段「说明」: 发现未遮蔽的手机号「13812345678」"
            "（解析后的值；原文用转义或其他写法）；请改为「138****5678」") in err


# ---------------------------------------------------------------- attachments

def attach(site: Path, name: str, data: bytes, n: int = 2, **fields: str) -> Path:
    path = site / FILES / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    add_item(site, f"att-{n}.md", n, 附件=f"[{{名称: 名单, 文件: files/{name}}}]", **fields)
    return path


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_csv_attachment(mini_site: Path, capsys, encoding: str) -> None:
    rows = [["序号", "姓名", "身份证号", "联系电话"], ["1", "张三", ID_MASKED, "138****5678"],
            ["2", "李四", ID, "139 1234 5678"]]
    attach(mini_site, "list.csv", csv_bytes(rows, encoding))
    code, err = build(mini_site, capsys)
    assert code == 1
    assert (f"{FILES}/list.csv:3: 字段「C列（身份证号）」: 发现未遮蔽的身份证号「{ID}」；"
            f"请改为「{ID_MASKED}」") in err
    assert (f"{FILES}/list.csv:3: 字段「D列（联系电话）」: 发现未遮蔽的手机号「139 1234 5678」；"
            "请改为「139 **** 5678」") in err
    assert err.count("发现未遮蔽") == 2


def test_xlsx_attachment_every_sheet(mini_site: Path, capsys) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["2026年高龄津贴发放名单"])
    ws.append(["序号", "姓名", "身份证号", "手机", "银行卡号"])
    ws.append([1, "张三", ID_MASKED, "138****5678", "622202******1234"])
    ws.append([2, "李四", "4307**********1234", 13812345678, CARD])  # a mobile stored as a number
    hidden = wb.create_sheet("底稿")
    hidden.sheet_state = "hidden"
    hidden.append(["王五", ID])
    buf = io.BytesIO()
    wb.save(buf)
    attach(mini_site, "list.xlsx", buf.getvalue())
    code, err = build(mini_site, capsys)
    assert code == 1
    assert f"{FILES}/list.xlsx:4: 字段「名单!D4」: 发现未遮蔽的手机号「{MOBILE}」；请改为「138****5678」" in err
    assert f"{FILES}/list.xlsx:4: 字段「名单!E4」: 发现未遮蔽的银行卡号「{CARD}」" in err
    assert f"{FILES}/list.xlsx:1: 字段「底稿!B1」: 发现未遮蔽的身份证号「{ID}」；请改为「{ID_MASKED}」" in err


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(body: str, header: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", f'<w:document {W}><w:body>{body}</w:body></w:document>')
        if header:
            zf.writestr("word/header1.xml", f"<w:hdr {W}>{header}</w:hdr>")
    return buf.getvalue()


def test_docx_attachment(mini_site: Path, capsys) -> None:
    body = (
        "<w:p><w:r><w:t>高龄津贴发放名单</w:t></w:r></w:p>"
        # an ID split over two runs (how Word stores an edit) with a soft hyphen between
        f"<w:p><w:r><w:t>张三，身份证号 {ID[:10]}</w:t></w:r><w:r><w:softHyphen/><w:t>{ID[10:]}</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>银行卡号</w:t></w:r></w:p></w:tc></w:tr>"
        f"<w:tr><w:tc><w:p><w:r><w:t>李四</w:t></w:r></w:p></w:tc>"
        f"<w:tc><w:p><w:r><w:t>{CARD}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        # a tracked deletion stays in the file that residents download
        f"<w:p><w:del><w:r><w:delText>联系电话 {MOBILE}</w:delText></w:r></w:del></w:p>"
    )
    attach(mini_site, "list.docx", docx_bytes(body, header="<w:p><w:r><w:t>经办人 139-1234-5678</w:t></w:r></w:p>"))
    code, err = build(mini_site, capsys)
    assert code == 1
    assert f"{FILES}/list.docx: 字段「第 2 段」: 发现未遮蔽的身份证号「{ID[:10]}[U+00AD]{ID[10:]}」" in err
    assert f"请改为「{ID_MASKED}」" in err
    assert f"{FILES}/list.docx: 字段「表格 1 第 2 行」: 发现未遮蔽的银行卡号「{CARD}」" in err
    assert f"{FILES}/list.docx: 字段「第 3 段」: 发现未遮蔽的手机号「{MOBILE}」" in err
    assert (f"{FILES}/list.docx: 字段「页眉第 1 段」: 发现未遮蔽的手机号「139-1234-5678」；"
            "请改为「139-****-5678」") in err


def pdf_bytes(pages: list[str]) -> bytes:
    import weasyprint

    html = "".join(f'<section style="page-break-after: always"><p>{p}</p></section>' for p in pages)
    return weasyprint.HTML(string=f"<html><body>{html}</body></html>").write_pdf()


def test_pdf_attachment_text(mini_site: Path, capsys) -> None:
    attach(mini_site, "list.pdf", pdf_bytes(["2026年高龄津贴发放名单（已遮蔽）4307**********1234",
                                             f"张三 身份证号 {ID[:6]} {ID[6:14]} {ID[14:]} 联系电话 138.1234.5678"]))
    code, err = build(mini_site, capsys)
    assert code == 1
    assert (f"{FILES}/list.pdf: 字段「第 2 页」: 发现未遮蔽的身份证号「{ID[:6]} {ID[6:14]} {ID[14:]}」；"
            f"请改为「{ID[:4]}** ******** {ID[14:]}」") in err
    assert f"{FILES}/list.pdf: 字段「第 2 页」: 发现未遮蔽的手机号「138.1234.5678」；请改为「138.****.5678」" in err


def test_masked_pdf_and_the_project_number_pass(mini_site: Path, capsys) -> None:
    project = next(f"622202202600012{d}" for d in "0123456789" if luhn_ok(f"622202202600012{d}"))
    attach(mini_site, "ok.pdf", pdf_bytes([f"项目编号：{project}", "张某某 4307**********1234 138****5678"]))
    assert build(mini_site, capsys)[0] == 0


def test_files_a_reader_cannot_open_are_checked_as_raw_bytes(mini_site: Path, capsys) -> None:
    attach(mini_site, "stub.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj garbage\n")
    assert build(mini_site, capsys)[0] == 0  # nothing to read, nothing found
    # a CSV saved under a workbook's name: Excel would still show it
    attach(mini_site, "misnamed.xlsx", csv_bytes([["姓名", "身份证号"], ["张三", ID]]), n=3)
    code, err = build(mini_site, capsys)
    assert code == 1
    assert (f"{FILES}/misnamed.xlsx: 字段「原始内容（不是完整的压缩格式）」: 发现未遮蔽的身份证号「{ID}」；"
            f"请改为「{ID_MASKED}」") in err
    assert "Traceback" not in err


def test_ofd_and_zip_attachments(mini_site: Path, capsys) -> None:
    buf = io.BytesIO()
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", f"<ofd:OFD {ns}/>")
        zf.writestr("Doc_0/Pages/Page_0/Content.xml",
                    f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject><ofd:TextCode X="0" Y="0">'
                    f"联系电话 {MOBILE}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")
    attach(mini_site, "notice.ofd", buf.getvalue(), n=2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("名单/list.csv", csv_bytes([["姓名", "身份证号"], ["张三", ID]]))
    attach(mini_site, "all.zip", buf.getvalue(), n=3)
    code, err = build(mini_site, capsys)
    assert code == 1
    assert f"{FILES}/notice.ofd: 字段「第 1 页」: 发现未遮蔽的手机号「{MOBILE}」" in err
    assert f"{FILES}/all.zip: 字段「名单/list.csv：第 2 行 B列（身份证号）」: 发现未遮蔽的身份证号「{ID}」" in err


def test_held_back_items_attachments_are_not_published_nor_checked(mini_site: Path, capsys) -> None:
    attach(mini_site, "full.csv", csv_bytes([["姓名", "身份证号"], ["张三", ID]]), 公开属性="依申请公开")
    assert build(mini_site, capsys)[0] == 0
    assert not list((mini_site / "public").rglob("full.csv"))


def test_attachment_pii_function(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([["姓名", "手机"], ["张三", MOBILE]]))
    (err,) = attachment_pii(path, "content/x/a.csv")
    assert (err.path, err.line, err.field) == ("content/x/a.csv", 2, "B列（手机）")
    assert attachment_pii(path, "content/x/a.csv", allow=(MOBILE,)) == []
    other = tmp_path / "a.doc"  # old binary formats are not read
    other.write_bytes(f"{ID}".encode())
    assert attachment_pii(other, "content/x/a.doc") == []


def test_scan_cache_is_keyed_by_content_and_clean_ignores_it(mini_site: Path, capsys) -> None:
    masked = csv_bytes([["姓名", "身份证号"], ["张三", ID_MASKED]])
    path = attach(mini_site, "list.csv", masked)
    assert build(mini_site, capsys)[0] == 0
    cache = mini_site / ".cache" / "gkpub" / CACHE_NAME
    assert cache.is_file()
    before = tree_digest(mini_site / "public")
    # same size, same mtime, different bytes: the cache must not hide the number
    st = path.stat()
    path.write_bytes(csv_bytes([["姓名", "身份证号"], ["张三", ID]]))
    assert path.stat().st_size == st.st_size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    code, err = build(mini_site, capsys)
    assert code == 1 and f"发现未遮蔽的身份证号「{ID}」" in err
    assert tree_digest(mini_site / "public") == before
    # a cache entry that says "nothing found" for these bytes is trusted by a normal build
    # (it is keyed by their digest) but not by --clean
    stored = json.loads(cache.read_text(encoding="utf-8"))
    stored["entries"] = {k: [] for k in stored["entries"]}
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert build(mini_site, capsys)[0] == 0
    code, err = build(mini_site, capsys, "--clean")
    assert code == 1 and f"发现未遮蔽的身份证号「{ID}」" in err
