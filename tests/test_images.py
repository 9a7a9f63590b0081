"""Images and files on every kind of page (issue 12, item 4): body images copied, checked and
served with their size; links to local files made to work or refused at their line; 附件 on
the fixed pages; nothing of a held-back item in the output; incremental equals clean."""
from __future__ import annotations

import io
import os
import re
import shutil
import struct
from pathlib import Path

import pytest
from conftest import REPO, TODAY, item_text, run, tree_digest, write_item
from PIL import Image
from test_validation import built  # noqa: F401 (a fixture)

from gkpub.content import imagesize
from gkpub.content.loader import LoadState, load_site
from gkpub.util.errors import BuildFailed

INDEX = "11530000MB00000025/2026-00002"
PAGE = f"xxgk/{INDEX}/index.html"
B = "content/items/yanglao/b.md"
BODY_LINE = 8  # item_text's front matter has 5 fields: the body starts on line 8 with one more


def png(width: int = 40, height: int = 20, colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def files_dir(site: Path, under: str = "items/yanglao") -> Path:
    folder = site / "content" / under / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def item_b(site: Path, body: str, **fields: object) -> None:
    """b.md, a published item with ``body``, its first line on line BODY_LINE (no more fields)."""
    write_item(site, "b.md", item_text(索引号=INDEX, body=body, **fields))


def build(site: Path, capsys, *extra: str, out: Path | None = None) -> tuple[int, str]:
    code = run("build", "--site", str(site), "--out", str(out or site / "public"), "--today", TODAY.isoformat(),
               "--no-search", *extra)
    return code, capsys.readouterr().err


def builds(site: Path, capsys, *extra: str) -> Path:
    code, err = build(site, capsys, *extra)
    assert code == 0, err
    return site / "public"


def fails(site: Path, capsys, *expected: str) -> str:
    """Exit 1 naming each of ``expected``; the output folder is left as it was."""
    out = site / "public"
    before = tree_digest(out) if out.is_dir() else {}
    code, err = build(site, capsys)
    assert code == 1, err
    for e in expected:
        assert e in err, f"expected {e!r} in:\n{err}"
    assert "Traceback" not in err
    assert (tree_digest(out) if out.is_dir() else {}) == before, "a failed build changed the output"
    return err


def page(out: Path, rel: str = PAGE) -> str:
    return (out / rel).read_text(encoding="utf-8")


# -- reading the size from the header --------------------------------------------------------

def _saved(fmt: str, size: tuple[int, int], **kw: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if fmt == "WEBP" and kw.get("lossless") else "RGB", size, "teal").save(out, fmt, **kw)
    return out.getvalue()


@pytest.mark.parametrize("name, data, expected", [
    ("a.png", _saved("PNG", (123, 45)), ("png", 123, 45)),
    ("a.gif", _saved("GIF", (7, 300)), ("gif", 7, 300)),
    ("a.jpg", _saved("JPEG", (640, 480)), ("jpeg", 640, 480)),
    ("p.jpg", _saved("JPEG", (641, 479), progressive=True), ("jpeg", 641, 479)),
    ("lossy.webp", _saved("WEBP", (333, 111), quality=70), ("webp", 333, 111)),
    ("lossless.webp", _saved("WEBP", (16383, 2), lossless=True), ("webp", 16383, 2)),
])
def test_image_size_from_the_header(tmp_path: Path, name: str, data: bytes, expected: tuple) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    info = imagesize.image_info(path)
    assert (info.format, info.width, info.height) == expected
    with Image.open(path) as im:  # Pillow agrees
        assert im.size == expected[1:]


def test_jpeg_turned_by_exif_is_shown_turned(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (400, 300), "grey").save(path, exif=exif.tobytes())
    assert (imagesize.image_info(path).width, imagesize.image_info(path).height) == (300, 400)


def test_webp_extended_header(tmp_path: Path) -> None:
    # VP8X: flags, reserved, then the canvas size minus one in 24 bits each
    chunk = b"VP8X" + struct.pack("<I", 10) + b"\x10\x00\x00\x00" + (1919).to_bytes(3, "little") + \
        (1079).to_bytes(3, "little")
    path = tmp_path / "x.webp"
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk)
    assert imagesize.image_info(path) == imagesize.ImageInfo("webp", 1920, 1080)


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n", _saved("JPEG", (5, 5))[:40], b"GIF89a",
                                  b"plain text", b"\xff\xd8\xff\xe0\x00\x01"])
def test_broken_images_are_not_images(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.img"
    path.write_bytes(data)
    with pytest.raises(imagesize.NotAnImage):
        imagesize.image_info(path)


# -- body images in the output ---------------------------------------------------------------

def test_body_image_is_copied_and_sized(built: Path, capsys) -> None:
    (files_dir(built) / "tu.png").write_bytes(png(40, 20))
    item_b(built, "说明如下：\n\n![各社区发放人数柱状图](files/tu.png \"发放人数\")\n")
    out = builds(built, capsys)
    served = out / "files/items/yanglao/files/tu.png"
    assert served.read_bytes() == png(40, 20)
    html = page(out)
    assert '<img src="/files/items/yanglao/files/tu.png" alt="各社区发放人数柱状图" title="发放人数" ' \
           'width="40" height="20">' in html
    assert "/>" not in html.split('class="item-body"')[1].split("</div>")[0]  # HTML void tags


def test_site_under_a_path_prefix_links_its_images(built: Path, capsys) -> None:
    toml = built / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'base_url = "https://www.test.example.gov.cn/"', 'base_url = "https://www.test.example.gov.cn/zwgk/"'),
        encoding="utf-8")
    (files_dir(built) / "tu.png").write_bytes(png())
    (files_dir(built) / "sqb.pdf").write_bytes(b"%PDF-1.7\n")
    item_b(built, "![图](files/tu.png) [申请表](files/sqb.pdf#page=2) [没有](/nosuch/) [目录](/catalog/)\n")
    out = builds(built, capsys)
    html = page(out)
    assert 'src="/zwgk/files/items/yanglao/files/tu.png"' in html
    assert 'href="/zwgk/files/items/yanglao/files/sqb.pdf#page=2"' in html
    assert 'href="/zwgk/catalog/"' in html  # the editor's own site addresses too
    capsys.readouterr()
    assert run("check", "--links", "--site", str(built), "--out", str(out)) == 1  # /nosuch/
    found = capsys.readouterr().out
    assert "/zwgk/nosuch/：页面不存在" in found and "files" not in found.split("检查了")[0]


def test_one_file_for_many_pages(built: Path, capsys) -> None:
    """Two items showing one image and attaching one file: each served once (no clash)."""
    (files_dir(built) / "tu.png").write_bytes(png())
    (files_dir(built) / "sqb.pdf").write_bytes(b"%PDF-1.7\n")
    for name, index in (("b.md", INDEX), ("c.md", "11530000MB00000025/2026-00003")):
        write_item(built, name, item_text(索引号=index, 附件="[files/sqb.pdf]", body="![图](files/tu.png)\n"
                                          "[申请表](files/sqb.pdf)\n"))
    out = builds(built, capsys)
    assert (out / "files/items/yanglao/files/tu.png").is_file()
    assert (out / "files/items/yanglao/files/sqb.pdf").is_file()


# -- refused, at the line --------------------------------------------------------------------

def test_missing_image_is_an_error_with_did_you_mean(built: Path, capsys) -> None:
    (files_dir(built) / "fafang-renshu.png").write_bytes(png())
    item_b(built, "第一段。\n\n![发放人数](files/fafang-renshu.pgn)\n")
    err = fails(built, capsys, f"{B}:{BODY_LINE + 2}: 字段「正文」: 找不到图片「files/fafang-renshu.pgn」",
                "应在 content/items/yanglao/files/fafang-renshu.pgn", "是不是「files/fafang-renshu.png」？",
                "相对于本篇 Markdown 文件所在的目录")
    assert not (built / "public/files/items/yanglao/files").exists()
    assert err.count("fafang") >= 2


def test_missing_linked_file_is_an_error_not_only_a_link_finding(built: Path, capsys) -> None:
    (files_dir(built) / "申请表.pdf").write_bytes(b"%PDF-1.7\n")
    item_b(built, "请下载[申请表](files/申请书.pdf)。\n\n也可以[在这里](<files/申请表 .pdf>)下载。\n")
    fails(built, capsys, f"{B}:{BODY_LINE}: 字段「正文」: 找不到链接的文件「files/申请书.pdf」",
          "是不是「files/申请表.pdf」？", f"{B}:{BODY_LINE + 2}: 字段「正文」: 找不到链接的文件「files/申请表 .pdf」")


def test_path_written_from_the_site_folder_is_explained(built: Path, capsys) -> None:
    (files_dir(built) / "tu.png").write_bytes(png())
    item_b(built, "![图](content/items/yanglao/files/tu.png)\n")
    fails(built, capsys, "找不到图片「content/items/yanglao/files/tu.png」", "是不是「files/tu.png」？")


def test_site_address_of_a_missing_file_is_an_error(built: Path, capsys) -> None:
    (files_dir(built) / "sqb.pdf").write_bytes(b"%PDF-1.7\n")
    write_item(built, "c.md", item_text(索引号="11530000MB00000025/2026-00003", 附件="[files/sqb.pdf]"))
    item_b(built, "见[申请表](/files/items/yanglao/files/sqb.pdf)和[名单](/files/items/yanglao/files/mingdan.xlsx)。\n")
    err = fails(built, capsys, f"{B}:{BODY_LINE}: 字段「正文」: "
                "链接「/files/items/yanglao/files/mingdan.xlsx」指向的文件不在网站上")
    assert "sqb.pdf」指向" not in err  # a published attachment may be linked by its address


@pytest.mark.parametrize("body, expected", [
    ("![图](../../../../../outside.png)", "指向 content/ 目录以外"),
    ("[上级](../../../site.toml)", "指向 content/ 目录以外"),
    ("[文件夹](files/)", "指向一个文件夹，不是文件"),
    ("[另一篇](policy.md)", "是 Markdown 源文件，不能链接或作为图片"),
    ("![图](files/tu.svg)", "是 SVG 格式；SVG 图片可以包含脚本"),
    ("[图](files/tu.svg)", "的类型 .svg 可能在浏览器中执行脚本"),
    ("[页面](files/ye.html)", "的类型 .html 可能在浏览器中执行脚本"),
    ("![图](files/tu.bmp)", "的类型 .bmp 不能在正文中显示；正文图片可用 png、jpg、jpeg、gif、webp"),
    ("![图](files/fake.png)", "的内容是网页或 XML 标记"),
    ("![图](files/photo.png)", "的内容是 JPEG 图片，与扩展名 .png 不符；请把扩展名改为 .jpg"),
    ("![图](files/broken.png)", "无法识别：PNG 图片不完整"),
    ("[程序](files/setup.exe)", "的类型 .exe 不在允许的附件类型中"),
])
def test_refused_files(built: Path, capsys, body: str, expected: str) -> None:
    folder = files_dir(built)
    (built / "outside.png").write_bytes(png())
    (folder / "tu.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    (folder / "ye.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (folder / "tu.bmp").write_bytes(b"BM" + b"\0" * 60)
    (folder / "fake.png").write_text("<html><script>alert(1)</script>", encoding="utf-8")
    (folder / "photo.png").write_bytes(_saved("JPEG", (8, 8)))
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    (folder / "setup.exe").write_bytes(b"MZ")
    item_b(built, body + "\n")
    fails(built, capsys, f"{B}:{BODY_LINE}: 字段「正文」:", expected)
    assert not (built / "public/files").exists()


def test_symlink_out_of_the_site_is_refused(built: Path, capsys, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(png())
    os.symlink(outside, files_dir(built) / "tu.png")
    item_b(built, "![图](files/tu.png)\n")
    fails(built, capsys, "「files/tu.png」是符号链接", "指向站点目录以外", "图片必须是站点目录中的文件")


def test_symlink_inside_the_site_is_followed(built: Path, capsys) -> None:
    (files_dir(built) / "real.png").write_bytes(png(30, 10))
    os.symlink("real.png", files_dir(built) / "tu.png")
    item_b(built, "![图](files/tu.png)\n")
    out = builds(built, capsys)
    assert 'width="30" height="10"' in page(out)
    assert (out / "files/items/yanglao/files/tu.png").read_bytes() == png(30, 10)


def test_image_size_budget(built: Path, capsys) -> None:
    big = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))  # noise: PNG cannot shrink it
    big.save(files_dir(built) / "photo.png")
    size = (files_dir(built) / "photo.png").stat().st_size
    assert size > 100 * 1024
    toml = built / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[limits]\nimage_max_kb = 100\n", encoding="utf-8")
    item_b(built, "![现场照片](files/photo.png)\n")
    fails(built, capsys, f"图片「files/photo.png」有 {-(-size // 1024)} KB，超过正文图片 100 KB 的上限",
          "请缩小后再用", "[limits] image_max_kb")
    toml.write_text(toml.read_text(encoding="utf-8").replace("image_max_kb = 100", "image_max_kb = 1024"),
                    encoding="utf-8")
    builds(built, capsys)


def test_image_without_alt_text_is_refused(built: Path, capsys) -> None:
    (files_dir(built) / "tu.png").write_bytes(png())
    item_b(built, "正文。\n\n![](files/tu.png)\n")
    fails(built, capsys, f"{B}:{BODY_LINE + 2}: 字段「正文」: 图片缺少替代文字")


# -- fixed pages -----------------------------------------------------------------------------

GUIDE = """\
---
标题: 测试区人民政府信息公开指南
发布日期: 2026-03-16
附件: [{{名称: 政府信息公开申请表, 文件: files/sqb.pdf}}]
---
{body}
"""


def guide(site: Path, body: str = "下载[申请表](files/sqb.pdf)。\n\n![依申请公开流程图](files/liucheng.png)") -> Path:
    pages = site / "content" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    path = pages / "guide.md"
    path.write_text(GUIDE.format(body=body), encoding="utf-8")
    return path


def test_fixed_page_attachments_and_images(built: Path, capsys) -> None:
    folder = files_dir(built, "pages")
    (folder / "sqb.pdf").write_bytes(b"%PDF-1.7\n% application form\n")
    (folder / "liucheng.png").write_bytes(png(64, 32))
    guide(built)
    out = builds(built, capsys)
    assert (out / "files/pages/files/sqb.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "files/pages/files/liucheng.png").is_file()
    html = page(out, "guide/index.html")
    assert '<a href="/files/pages/files/sqb.pdf" download>政府信息公开申请表</a>' in html  # the 附件 list
    assert '<a href="/files/pages/files/sqb.pdf">申请表</a>' in html  # the link in the text
    assert 'src="/files/pages/files/liucheng.png" alt="依申请公开流程图" width="64" height="32"' in html
    capsys.readouterr()
    assert run("check", "--links", "--site", str(built), "--out", str(out)) == 0, capsys.readouterr().out


def test_fixed_page_attachment_refusals(built: Path, capsys) -> None:
    folder = files_dir(built, "pages")
    (folder / "sqb.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    path = guide(built, "正文。")
    path.write_text(path.read_text(encoding="utf-8").replace("files/sqb.pdf", "files/sqb.html"), encoding="utf-8")
    fails(built, capsys, "content/pages/guide.md:4: 字段「附件」: ",
          "附件「files/sqb.html」的类型 .html 可能在浏览器中执行脚本")
    path.write_text(path.read_text(encoding="utf-8").replace("files/sqb.html", "files/nothere.pdf"), encoding="utf-8")
    fails(built, capsys, "content/pages/guide.md:4: 字段「附件」: 找不到附件文件「files/nothere.pdf」")
    path.write_text(path.read_text(encoding="utf-8").replace("files/nothere.pdf", "rules/x.md"), encoding="utf-8")
    fails(built, capsys, "是 Markdown 源文件")


def test_fixed_page_unknown_key_names_attachments(built: Path, capsys) -> None:
    path = guide(built, "正文。")
    path.write_text(path.read_text(encoding="utf-8").replace("附件:", "附 件:"), encoding="utf-8")
    fails(built, capsys, "栏目页面不认识这个字段；可用：标题、发布日期、发布机构、附件")


# -- held back -------------------------------------------------------------------------------

HELD = "11530000MB00000025/2026-00005"


def test_held_back_items_files_never_reach_the_output(built: Path, capsys) -> None:
    folder = files_dir(built)
    (folder / "mingdan.xlsx").write_bytes(b"PK\x03\x04 not really")
    (folder / "xianchang.png").write_bytes(png(11, 11, "red"))
    (folder / "caogao.png").write_bytes(png(12, 12, "green"))
    write_item(built, "held.md", item_text(索引号=HELD, 公开属性="依申请公开", 附件="[files/mingdan.xlsx]",
                                           body="![现场](files/xianchang.png)\n"))
    write_item(built, "draft.md", item_text(索引号="11530000MB00000025/2026-00006", 草稿="true",
                                            body="![草稿图](files/caogao.png)\n"))
    out = builds(built, capsys)
    assert not (out / "files").exists()
    # with --drafts the draft's image comes along; the 依申请公开 item's files never do
    out2 = built / "preview"
    code, err = build(built, capsys, "--drafts", out=out2)
    assert code == 0, err
    assert sorted(p.name for p in (out2 / "files").rglob("*") if p.is_file()) == ["caogao.png"]


@pytest.mark.parametrize("body, fields", [
    ("见[名单](files/mingdan.xlsx)。", {}),
    ("![现场](files/xianchang.png)", {}),
    ("见[名单](/files/items/yanglao/files/mingdan.xlsx)。", {}),
    ("正文。", {"附件": "[files/mingdan.xlsx]"}),
])
def test_published_pages_cannot_link_a_withheld_file(built: Path, capsys, body: str, fields: dict) -> None:
    folder = files_dir(built)
    (folder / "mingdan.xlsx").write_bytes(b"PK\x03\x04 not really")
    (folder / "xianchang.png").write_bytes(png())
    write_item(built, "held.md", item_text(索引号=HELD, 公开属性="不予公开", 附件="[files/mingdan.xlsx]",
                                           body="![现场](files/xianchang.png)\n"))
    item_b(built, body + "\n", **fields)
    field = "附件" if fields else "正文"
    fails(built, capsys, f"{B}:", f"字段「{field}」",
          "也是不公开的信息 content/items/yanglao/held.md（不予公开）的文件", "不能出现在网站上")


def test_a_drafts_image_may_be_shown_by_a_published_item(built: Path, capsys) -> None:
    (files_dir(built) / "tu.png").write_bytes(png())
    write_item(built, "draft.md", item_text(索引号=HELD, 草稿="true", body="![图](files/tu.png)\n"))
    item_b(built, "![图](files/tu.png)\n")
    out = builds(built, capsys)
    assert (out / "files/items/yanglao/files/tu.png").is_file()


# -- a long-running process (gkpub serve) ----------------------------------------------------

def test_serve_sees_a_missing_image_arrive(built: Path) -> None:
    item_b(built, "![图](files/tu.png)\n")
    state = LoadState()
    with pytest.raises(BuildFailed):
        load_site(built, TODAY, state=state)
    (files_dir(built) / "tu.png").write_bytes(png(5, 7))
    site = load_site(built, TODAY, state=state)
    item = next(i for i in site.published if i.index_no == INDEX)
    assert 'width="5" height="7"' in item.html
    (files_dir(built) / "tu.png").write_bytes(png(9, 3))  # same Markdown, another image
    site = load_site(built, TODAY, state=state)
    assert 'width="9" height="3"' in next(i for i in site.published if i.index_no == INDEX).html


# -- incremental builds ----------------------------------------------------------------------

def test_incremental_builds_equal_clean_ones_as_images_change(built: Path, tmp_path: Path, capsys) -> None:
    cache = tmp_path / "cache"

    def same_as_clean() -> None:
        code, err = build(built, capsys, "--cache", str(cache))
        assert code == 0, err
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        code, err = build(built, capsys, "--clean", "--cache", str(tmp_path / "clean-cache"), out=clean)
        assert code == 0, err
        assert tree_digest(built / "public") == tree_digest(clean)

    build(built, capsys, "--cache", str(cache))
    folder = files_dir(built)
    (folder / "tu.png").write_bytes(png(40, 20))
    item_b(built, "![图](files/tu.png)\n")
    same_as_clean()  # an image added with its item
    (folder / "tu.png").write_bytes(png(80, 30, "maroon"))
    same_as_clean()  # the image changed, the Markdown did not: new bytes and a new size
    assert 'width="80" height="30"' in page(built / "public")
    (folder / "tu.png").write_bytes(png(80, 30, "olive"))
    same_as_clean()  # same size, new bytes
    pages = files_dir(built, "pages")
    (pages / "sqb.pdf").write_bytes(b"%PDF-1.7\n")
    (pages / "liucheng.png").write_bytes(png(64, 32))
    guide(built)
    same_as_clean()  # a fixed page with an attachment and an image
    (pages / "sqb.pdf").write_bytes(b"%PDF-1.7\n% a longer form, another size on the page\n")
    same_as_clean()
    item_b(built, "图已删除。\n")
    (folder / "tu.png").unlink()
    same_as_clean()  # removed: the file leaves the output
    assert not (built / "public/files/items/yanglao/files/tu.png").exists()


# -- the demo --------------------------------------------------------------------------------

def test_demo_shows_body_images_and_page_attachments(demo_public: Path) -> None:
    item = page(demo_public, "xxgk/11539901MB00012037/2026-00001/index.html")
    m = re.search(r'<img src="/files/items/shenong/files/xikou-gengdi-mianji.png" alt="[^"]+" '
                  r'width="(\d+)" height="(\d+)">', item)
    assert m, "the demo item shows its chart"
    served = demo_public / "files/items/shenong/files/xikou-gengdi-mianji.png"
    assert served.read_bytes() == (REPO / "content/items/shenong/files/xikou-gengdi-mianji.png").read_bytes()
    assert Image.open(served).size == (int(m.group(1)), int(m.group(2)))
    annual = page(demo_public, "annual/2025/index.html")
    assert 'href="/files/pages/annual/files/2025-nianbao-tongjibiao.xlsx" download' in annual
    assert 'src="/files/pages/annual/files/2025-zhudong-gongkai.png"' in annual
    assert (demo_public / "files/pages/annual/files/2025-nianbao-tongjibiao.xlsx").is_file()
    for path in (REPO / "content").rglob("*"):
        if path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
            assert path.stat().st_size < 64 * 1024, f"keep the demo small: {path}"


@pytest.mark.browser
@pytest.mark.parametrize("width, elder", [(1280, False), (360, False), (360, True)])
def test_pages_with_images_load_them_pass_axe_and_fit_a_phone(demo_public: Path, width: int, elder: bool) -> None:
    from a11y_support import axe_source, describe, reading_context, run_axe
    from browser import browser, serve

    source = axe_source()
    with serve(demo_public) as base, browser() as b:
        context = reading_context(b, width, elder, source)
        tab = context.new_page()
        for url in ("/xxgk/11539901MB00012037/2026-00001/", "/annual/2025/"):
            tab.goto(base + url)
            tab.wait_for_load_state("networkidle")
            shown = tab.evaluate("""() => [...document.querySelectorAll('.item-body img')].map(i =>
                ({loaded: i.complete && i.naturalWidth > 0, w: i.getBoundingClientRect().width,
                  ratio: i.getBoundingClientRect().width / i.getBoundingClientRect().height,
                  natural: i.naturalWidth / i.naturalHeight}))""")
            assert shown and all(s["loaded"] for s in shown), (url, shown)
            body = tab.evaluate("document.querySelector('.item-body').getBoundingClientRect().width")
            for s in shown:
                assert s["w"] <= body + 0.5, (url, s)  # never wider than the text
                assert abs(s["ratio"] - s["natural"]) < 0.02, (url, s)  # not squashed on a phone
            assert tab.evaluate("document.scrollingElement.scrollWidth") <= width, url
            violations = run_axe(tab, source)
            assert not violations, f"{url}:\n{describe(violations)}"
        context.close()


@pytest.mark.pdf
def test_board_posters_show_body_images(built: Path, capsys) -> None:
    """The same picture on the 公开栏 poster as on the portal (a poster loads no URL but data:)."""
    from pypdf import PdfReader

    (files_dir(built) / "tu.png").write_bytes(png(300, 150, "navy"))
    item_b(built, "名单如下。\n\n![各社区人数柱状图](files/tu.png)\n", 公开栏="[东城社区]")
    out = builds(built, capsys)
    common = ("--site", str(built), "--out", str(out), "--today", TODAY.isoformat())
    assert run("print", "boards", *common) == 0, capsys.readouterr().err
    pdf = PdfReader(out / "print" / "boards" / "东城社区.pdf")
    images = [img for p in pdf.pages for img in p.images]
    assert [i.image.size for i in images if i.image.size == (300, 150)], [i.image.size for i in images]
