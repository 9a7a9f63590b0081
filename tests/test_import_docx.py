"""`gkpub import docx` and `gkpub import list` on real .docx and .xlsx files made here.

Three 公文 (a 通知 with 附件, a 决定 with a table, a 公告 with an image) become items that
validate and build, and their pages show the document's text; personal data is refused or
masked; an unknown 发文机关 gives the org it most likely is, and following the hint works;
the 文号's brackets are normalized; an Excel roster becomes a masked 公示 table.
"""
from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from conftest import TODAY, run, tree_digest
from docx.oxml import parse_xml
from docx_support import W_NS, Gongwen, png_bytes, xlsx_bytes
from PIL import Image as PILImage

from gkpub.authoring.new_item import item_path, next_index_no
from gkpub.importer import gongwen
from gkpub.importer.docx_read import read_docx
from gkpub.importer.xlsx_list import ListImport, import_list
from gkpub.rules.pii import id_check_char

POLICY = "养老服务/高龄津贴/政策文件"
LIST_LEAF = "养老服务/高龄津贴/发放名单"
CODE = "11530000MB00000025"  # 测试区民政局


def an_id(first17: str = "53010219500307211") -> str:
    return first17 + id_check_char(first17)


def import_docx(site: Path, doc: Path, *extra: str) -> int:
    return run("import", "docx", str(doc), "--site", str(site), "--today", TODAY.isoformat(), *extra)


def new_items(site: Path) -> list[Path]:
    return sorted(p for p in (site / "content" / "items").rglob("*.md") if p.name != "policy.md")


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, fm, body = text.split("---\n", 2)
    return yaml.safe_load(fm), body


def build(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    assert run("check", "--site", str(site), "--today", TODAY.isoformat()) == 0
    assert run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat(), "--no-search") == 0
    return out


def page(out: Path, index_no: str) -> str:
    code, _, serial = index_no.partition("/")
    return (out / "xxgk" / code / serial / "index.html").read_text(encoding="utf-8")


def page_text(html: str) -> str:
    """The page's text without tags and blanks (and 。, which a heading split off its paragraph drops)."""
    body = html.split('<div class="item-body">', 1)[1].split("</article>", 1)[0]
    return re.sub(r"[\s。]", "", html_lib.unescape(re.sub(r"<[^>]+>", "", body)))


def squeeze(text: str) -> str:
    return re.sub(r"[\s。]", "", text)


# ---------------------------------------------------------------- the three 公文

NOTICE_BODY = [
    "各街道办事处、各镇人民政府：",
    "为进一步做好高龄津贴发放工作，经区政府同意，现将有关事项通知如下。",
    "一、调整对象",
    "本区户籍、年满80周岁的老年人，按年龄段享受高龄津贴。",
    "（一）80至89周岁。每人每月100元。",
    "（二）90周岁以上。每人每月300元。",
    "二、申请程序",
    "1. 申请人向户籍所在地社区提出申请；",
    "（1）填写《高龄津贴申请表》；",
    "（2）提交户口簿复印件。",
    "2. 街道审核后报区民政局审批。",
]


def notice(folder: Path, doc_no: str = "测民发[2026]7号", org: str = "测试区民政局",
           extra: tuple[str, ...] = ()) -> Path:
    g = Gongwen()
    g.head(f"{org}文件", doc_no, [f"{org}关于调整", "高龄津贴发放标准的通知"])
    g.body(*NOTICE_BODY, *extra)
    g.footnote("本通知所称高龄津贴", "高龄津贴指对高龄老年人按月发放的生活补贴。", "，按月发放。")
    g.body("特此通知。")
    g.tail(["高龄津贴申请表", "高龄津贴发放对象名册", "高龄津贴政策问答"], [org], "2026年9月28日")
    g.attachment_page("附件2", "高龄津贴发放对象名册", "名册由各街道于每月5日前报送区民政局。")
    g.banji("区财政局", "测试区民政局办公室　　　　2026年9月28日印发")
    return g.save(folder / "通知.docx")


def test_notice_with_attachments_becomes_an_item_that_builds(mini_site: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "收文"
    doc = notice(folder)
    (folder / "高龄津贴申请表.pdf").write_bytes(b"%PDF-1.4\n% application form\n")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    err = capsys.readouterr().err
    [item] = new_items(mini_site)
    # written where `gkpub new item` writes, with the org's next free 索引号
    assert item == mini_site / "content" / "items" / "yanglao" / "2026-11-23-调整高龄津贴发放标准.md"
    meta, body = front_matter(item)
    assert meta["标题"] == "测试区民政局关于调整高龄津贴发放标准的通知"
    assert meta["索引号"] == f"{CODE}/2026-00002"
    assert meta["文号"] == "测民发〔2026〕7号"
    assert meta["公开主体"] == "测试区民政局"
    assert meta["公开属性"] == "主动公开"
    assert meta["成文日期"] == dt.date(2026, 9, 28)
    assert meta["发布日期"] == TODAY
    assert meta["目录"] == POLICY
    assert meta["草稿"] is True  # 附件3 is missing: a draft until it is there
    # 附件1 found beside the .docx and copied; 附件2's pages are in the body; 附件3 is missing
    stem = item.stem
    assert meta["附件"] == [{"名称": "高龄津贴申请表", "文件": f"files/{stem}-fj1.pdf"}]
    assert (item.parent / "files" / f"{stem}-fj1.pdf").read_bytes().startswith(b"%PDF")
    assert "附件「高龄津贴政策问答」没有找到文件" in err
    assert "# 附件「高龄津贴政策问答」未找到文件" in item.read_text(encoding="utf-8")
    assert "\n#   - {名称: 高龄津贴政策问答, 文件: files/高龄津贴政策问答.pdf}\n" in item.read_text(encoding="utf-8")
    assert "文号「测民发[2026]7号」按规范写作「测民发〔2026〕7号」" in err
    # the 公文 levels
    assert "\n## 一、调整对象\n" in body
    assert "\n### （一）80至89周岁\n\n每人每月100元。\n" in body
    assert "\n1. 申请人向户籍所在地社区提出申请；\n\n   （1）填写《高龄津贴申请表》；\n" in body
    assert "\n## 附件2　高龄津贴发放对象名册\n" in body
    assert "本通知所称高龄津贴[^1]，按月发放。" in body and "[^1]: 高龄津贴指对高龄老年人" in body
    # nothing of the 版头, 署名, 版记 or 附注 in the body
    for gone in ("测试区民政局文件", "抄送", "印发", "此件公开发布", "2026年9月28日"):
        assert gone not in body
    # the clerk puts the missing 附件 into files/, uncomments its entry as told and publishes
    pdf = (item.parent / "files" / f"{stem}-fj1.pdf").read_bytes()
    (item.parent / "files" / "高龄津贴政策问答.pdf").write_bytes(pdf)
    source = item.read_text(encoding="utf-8")
    item.write_text(source.replace("\n#   - {名称: 高龄津贴政策问答", "\n  - {名称: 高龄津贴政策问答")
                    .replace("\n草稿: true\n", "\n草稿: false\n"), encoding="utf-8")
    out = build(mini_site, tmp_path)
    html = page(out, meta["索引号"])
    assert "高龄津贴政策问答" in html
    text = page_text(html)
    for line in NOTICE_BODY:
        if gongwen.heading_level(line) == 3:  # an ordered-list item: the browser draws the number
            line = re.sub(r"^\d+\.\s*", "", line)
        assert squeeze(line) in text, line
    assert "<h2" in html and '<h2 id="一调整对象">一、调整对象</h2>' in html
    assert '<h3 id="一80至89周岁">（一）80至89周岁</h3>' in html
    assert re.search(r"<ol>\s*<li>\s*<p>申请人向户籍所在地社区提出申请；</p>", html)
    assert 'class="footnotes"' in html and "高龄津贴指对高龄老年人按月发放的生活补贴" in html
    assert squeeze("名册由各街道于每月5日前报送区民政局。") in text
    assert ">高龄津贴申请表</a>" in html
    assert (out / "files" / "items" / "yanglao" / "files" / f"{stem}-fj1.pdf").is_file()
    assert '<p class="doc-no">测民发〔2026〕7号</p>' in html


DECISION_ROWS = [["序号", "项目", "原标准（元/月）", "新标准（元/月）"],
                 ["1", "80—89周岁", "80", "100"],
                 ["2", "90—99周岁", "200", "300"],
                 ["3", "100周岁以上", "500", "800"]]


def test_the_import_is_deterministic(mini_site: Path, tmp_path: Path) -> None:
    folder = tmp_path / "收文"
    doc = notice(folder)
    (folder / "高龄津贴申请表.pdf").write_bytes(b"%PDF-1.4\n% application form\n")
    other = tmp_path / "other"
    shutil.copytree(mini_site, other)
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    assert import_docx(other, doc, "--catalog", POLICY) == 0
    assert tree_digest(mini_site / "content") == tree_digest(other / "content")


def test_decision_with_a_table_and_a_date_in_chinese_numerals(mini_site: Path, tmp_path: Path) -> None:
    g = Gongwen()
    g.head("测试区人民政府文件", "区政府【2026】12号", "测试区人民政府关于提高高龄津贴标准的决定")
    g.body("各街道办事处，区政府各部门：",
           "为保障高龄老年人基本生活，经2026年9月区政府第10次常务会议研究，决定提高高龄津贴标准。",
           "一、提高标准",
           "自2026年10月1日起，高龄津贴按下表标准发放：")
    g.table(DECISION_ROWS)
    g.body("二、资金保障", "所需资金由区财政列入年度预算。")
    g.tail([], ["测试区人民政府"], "二〇二六年九月二十八日", attribute="（此件公开发布）",
           notes=("（联系人：区民政局养老服务科，联系电话：0871-60000002）",))
    doc = g.save(tmp_path / "决定.docx")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    [item] = new_items(mini_site)
    meta, body = front_matter(item)
    assert meta["公开主体"] == "测试区人民政府"
    assert meta["索引号"] == "11530000MB00000012/2026-00001"
    assert meta["文号"] == "区政府〔2026〕12号"
    assert meta["成文日期"] == dt.date(2026, 9, 28)
    assert ("| 序号 | 项目 | 原标准（元/月） | 新标准（元/月） |\n| --- | --- | --- | --- |\n"
            "| 1 | 80—89周岁 | 80 | 100 |") in body
    assert "（联系人：区民政局养老服务科，联系电话：0871-60000002）" in body
    out = build(mini_site, tmp_path)
    html = page(out, meta["索引号"])
    item_body = html.split('class="item-body"')[1]
    cells = [html_lib.unescape(c) for c in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", item_body)]
    assert cells == [c for row in DECISION_ROWS for c in row]
    assert squeeze("所需资金由区财政列入年度预算。") in page_text(html)


def test_announcement_with_an_image_and_an_embedded_sheet(mini_site: Path, tmp_path: Path) -> None:
    g = Gongwen()
    g.head("测试区民政局", "", "测试区民政局关于高龄津贴发放日期调整的公告")
    g.body("根据工作安排，自2026年11月起，高龄津贴发放日期由每月15日调整为每月10日。发放流程见下图：")
    g.image(png_bytes(), "高龄津贴发放流程：申请、审核、发放")
    g.image(png_bytes((30, 90, 200)))  # no alt text in the document
    g.body("特此公告。")
    g.embed("Microsoft_Excel_Worksheet1.xlsx", xlsx_bytes([["街道", "发放日"], ["东城街道", "10日"]]))
    g.tail(["各街道发放日期表"], ["测试区民政局"], "2026年10月20日")
    doc = g.save(tmp_path / "公告.docx")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    [item] = new_items(mini_site)
    meta, body = front_matter(item)
    assert "文号" not in meta
    assert meta["公开主体"] == "测试区民政局"
    stem = item.stem
    assert item.name == "2026-11-23-高龄津贴发放日期调整.md"
    assert meta["附件"] == [{"名称": "各街道发放日期表", "文件": f"files/{stem}-fj1.xlsx"}]
    assert (item.parent / "files" / f"{stem}-fj1.xlsx").read_bytes().startswith(b"PK")
    assert f"![高龄津贴发放流程：申请、审核、发放](files/{stem}-tu1.png)" in body
    assert f"![测试区民政局关于高龄津贴发放日期调整的公告图2](files/{stem}-tu2.png)" in body
    assert (item.parent / "files" / f"{stem}-tu1.png").read_bytes() == png_bytes()
    out = build(mini_site, tmp_path)
    html = page(out, meta["索引号"])
    assert (f'<img src="/files/items/yanglao/files/{quote(stem)}-tu1.png" '
            'alt="高龄津贴发放流程：申请、审核、发放" width="120" height="80">') in html
    assert (out / "files" / "items" / "yanglao" / "files" / f"{stem}-tu1.png").read_bytes() == png_bytes()
    assert squeeze("高龄津贴发放日期由每月15日调整为每月10日") in page_text(html)
    assert ">各街道发放日期表</a>" in html


def test_text_is_read_as_word_shows_it(tmp_path: Path) -> None:
    """A drawing's fallback copy is not read twice; tracked deletions are out, insertions in."""
    g = Gongwen()
    p = g.para("文本框：")
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    p._p.append(parse_xml(
        f'<w:r xmlns:w="{W_NS}" xmlns:mc="{mc}"><mc:AlternateContent><mc:Choice Requires="wps"><w:t>甲</w:t>'
        "</mc:Choice><mc:Fallback><w:t>甲</w:t></mc:Fallback></mc:AlternateContent></w:r>"))
    p._p.append(parse_xml(
        f'<w:del xmlns:w="{W_NS}" w:id="1" w:author="a"><w:r><w:delText>删去</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins xmlns:w="{W_NS}" w:id="2" w:author="a"><w:r><w:t>加上</w:t></w:r></w:ins>'))
    # a paragraph inside a block-level content control (templates put the 文号 field in one)
    body = g.doc.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"))
    doc = read_docx(g.save(tmp_path / "x.docx"))
    assert doc.lines() == ["文本框：甲加上", "控件中的段落"]


def test_word_numbering_and_heading_styles(mini_site: Path, tmp_path: Path) -> None:
    """Headings Word numbers itself read as shown (一、 （一） 1.); heading styles and bullets."""
    g = Gongwen()
    g.head("测试区民政局文件", "测民发〔2026〕12号", "测试区民政局关于做好养老服务工作的通知")
    g.body("各街道办事处：")
    g.numbered(0, "总体要求")
    g.numbered(1, "提高服务质量。各机构要对照标准自查。")
    g.numbered(2, "每季度开展一次检查；")
    g.numbered(2, "每年开展一次评估。")
    g.numbered(1, "加强安全管理")
    g.numbered(0, "工作安排")
    g.doc.add_paragraph("重点任务", style="Heading 2")
    g.doc.add_paragraph("完善助餐服务", style="List Bullet")
    g.doc.add_paragraph("推进适老化改造", style="List Bullet")
    g.tail([], ["测试区民政局"], "2026年11月5日")
    doc = g.save(tmp_path / "编号.docx")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    [item] = new_items(mini_site)
    _, body = front_matter(item)
    assert body == ("各街道办事处：\n\n## 一、总体要求\n\n### （一）提高服务质量\n\n各机构要对照标准自查。\n\n"
                    "1. 每季度开展一次检查；\n\n2. 每年开展一次评估。\n\n### （二）加强安全管理\n\n## 二、工作安排\n\n"
                    "### 重点任务\n\n- 完善助餐服务\n\n- 推进适老化改造\n")
    assert run("check", "--site", str(mini_site), "--today", TODAY.isoformat()) == 0


def test_a_head_laid_out_in_a_table(mini_site: Path, tmp_path: Path) -> None:
    g = Gongwen()
    g.table([["测试区民政局文件", "测民发〔2026〕10号"]])
    g.para("测试区民政局关于开展养老机构安全检查的通知", "center")
    g.body("各养老机构：", "请于12月15日前完成自查。")
    g.tail([], ["测试区民政局"], "2026年11月5日")
    doc = g.save(tmp_path / "检查.docx")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    [item] = new_items(mini_site)
    meta, body = front_matter(item)
    assert (meta["标题"], meta["文号"], meta["公开主体"]) == (
        "测试区民政局关于开展养老机构安全检查的通知", "测民发〔2026〕10号", "测试区民政局")
    assert body == "各养老机构：\n\n请于12月15日前完成自查。\n"


def test_a_document_typed_without_the_template(mini_site: Path, tmp_path: Path) -> None:
    """No 版头, 署名 and date in one paragraph (a line break), 签发人 beside the 文号, a date typed
    with spaces: read all the same."""
    g = Gongwen()
    g.para("测民发〔2026〕8号　　　　签发人：李某", "")
    g.para("签发人：王某", "right")  # a second signer on a line of its own
    g.para("测试区民政局关于做好冬季送温暖工作的通知", "center")
    g.body("各街道办事处：", "请于12月底前完成走访慰问。")
    p = g.para("测试区民政局", "right")
    p.add_run().add_break()
    p.add_run("2026 年 11 月 2 日")
    g.body("此件公开发布")
    doc = g.save(tmp_path / "送温暖.docx")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    [item] = new_items(mini_site)
    meta, body = front_matter(item)
    assert (meta["标题"], meta["文号"], meta["公开主体"], meta["成文日期"], meta["公开属性"], meta["草稿"]) == (
        "测试区民政局关于做好冬季送温暖工作的通知", "测民发〔2026〕8号", "测试区民政局", dt.date(2026, 11, 2),
        "主动公开", False)
    assert body == "各街道办事处：\n\n请于12月底前完成走访慰问。\n"


def test_an_item_that_would_not_validate_is_not_written(mini_site: Path, tmp_path: Path, capsys) -> None:
    """Checked as gkpub check checks it before it is written: an image over the site's limit
    stops the import, and the files already put in place are removed again."""
    toml = mini_site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[limits]\nimage_max_kb = 1\n", encoding="utf-8")
    g = Gongwen()
    g.head("测试区民政局文件", "测民发〔2026〕11号", "测试区民政局关于养老服务设施布局的通知")
    g.body("各街道办事处：", "布局见下图。")
    noise = io.BytesIO()
    PILImage.effect_noise((200, 200), 80).convert("RGB").save(noise, format="PNG")
    g.image(noise.getvalue(), "养老服务设施布局图")
    g.tail([], ["测试区民政局"], "2026年11月5日")
    doc = g.save(tmp_path / "布局.docx")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 1
    err = capsys.readouterr().err
    assert "字段「正文」" in err and "1 KB" in err and "未导入（没有写入任何文件）" in err
    assert new_items(mini_site) == []
    assert not (mini_site / "content" / "items" / "yanglao" / "files").exists()


# ---------------------------------------------------------------- personal data

def test_an_unmasked_id_is_refused_with_its_line(mini_site: Path, tmp_path: Path, capsys) -> None:
    number = an_id()
    doc = notice(tmp_path, extra=(f"经审核，申请人张某（身份证号：{number}）符合条件。",))
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 1
    err = capsys.readouterr().err
    # line 18 of the document's text: 版头 3 lines (标志, 文号, blank), title 2, blank 1, 11 of body before it
    masked = number[:4] + "*" * 10 + number[-4:]
    assert f"通知.docx:18: 发现未遮蔽的身份证号「{number}」；公开前应改为「{masked}」；或加 --mask" in err
    assert "未导入（没有写入任何文件）" in err
    assert new_items(mini_site) == []


def test_an_id_with_a_mistyped_check_digit_is_refused_too(mini_site: Path, tmp_path: Path, capsys) -> None:
    good = an_id()
    typo = good[:17] + ("0" if good[17] != "0" else "1")  # one wrong digit: still a real person's number
    doc = notice(tmp_path, extra=(f"申请人身份证号{typo}。",))
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 1
    assert f"通知.docx:18: 发现未遮蔽的身份证号「{typo}」" in capsys.readouterr().err
    assert import_docx(mini_site, doc, "--catalog", POLICY, "--mask") == 0
    [item] = new_items(mini_site)
    assert typo not in item.read_text(encoding="utf-8")


def test_personal_data_in_an_attachment_stops_the_import(mini_site: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "收文"
    doc = notice(folder)
    number = an_id()
    (folder / "高龄津贴申请表.xlsx").write_bytes(xlsx_bytes([["姓名", "身份证号"], ["张某", number]]))
    assert import_docx(mini_site, doc, "--catalog", POLICY, "--mask") == 1
    err = capsys.readouterr().err
    assert "files/2026-11-23-调整高龄津贴发放标准-fj1.xlsx" in err and number in err
    assert "附件中的个人信息不能自动遮蔽" in err and "未导入（没有写入任何文件）" in err
    assert new_items(mini_site) == [] and not (mini_site / "content" / "items" / "yanglao" / "files").exists()


def test_mask_writes_the_masked_form(mini_site: Path, tmp_path: Path) -> None:
    number = an_id()
    doc = notice(tmp_path, extra=(f"经审核，申请人张某（身份证号：{number}，电话13812345678）符合条件。",))
    assert import_docx(mini_site, doc, "--catalog", POLICY, "--mask") == 0
    [item] = new_items(mini_site)
    text = item.read_text(encoding="utf-8")
    assert number not in text and "13812345678" not in text
    assert number[:4] + "\\*" * 10 + number[-4:] in text  # Markdown-escaped: shows as typed
    assert "138\\*\\*\\*\\*5678" in text
    item.write_text(text.replace("\n草稿: true\n", "\n草稿: false\n"), encoding="utf-8")  # its 附件3 is missing
    out = build(mini_site, tmp_path)
    html = page(out, front_matter(item)[0]["索引号"])
    assert f"身份证号：{number[:4]}{'*' * 10}{number[-4:]}，电话138****5678" in html


def test_mask_masks_a_number_written_twice(mini_site: Path, tmp_path: Path) -> None:
    doc = notice(tmp_path, extra=("联系人甲电话13812345678，联系人乙电话13812345678。",))
    assert import_docx(mini_site, doc, "--catalog", POLICY, "--mask") == 0
    [item] = new_items(mini_site)
    text = item.read_text(encoding="utf-8")
    assert "13812345678" not in text and text.count("138\\*\\*\\*\\*5678") == 2


# ---------------------------------------------------------------- who issued it, its number

def test_an_unknown_issuer_names_the_org_it_most_likely_is(mini_site: Path, tmp_path: Path, capsys) -> None:
    doc = notice(tmp_path, org="测试区民政厅")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 1
    err = capsys.readouterr().err
    assert ("通知.docx:26: 字段「公开主体」: 发文机关「测试区民政厅」不在 site.toml 的 [[org]] 中；"
            "是不是「测试区民政局」？若是，加 --org 测试区民政局 重新导入") in err
    assert new_items(mini_site) == []
    # following the hint imports it
    assert import_docx(mini_site, doc, "--catalog", POLICY, "--org", "测试区民政局") == 0
    [item] = new_items(mini_site)
    assert front_matter(item)[0]["公开主体"] == "测试区民政局"
    assert run("check", "--site", str(mini_site), "--today", TODAY.isoformat()) == 0


def test_an_office_of_a_body_is_not_that_body(mini_site: Path, tmp_path: Path, capsys) -> None:
    """「测试区人民政府办公室」 contains 「测试区人民政府」 but is another body: asked, never assumed."""
    doc = notice(tmp_path, doc_no="测政办发〔2026〕3号", org="测试区人民政府办公室")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 1
    err = capsys.readouterr().err
    assert "发文机关「测试区人民政府办公室」不在 site.toml 的 [[org]] 中；" in err, err
    assert new_items(mini_site) == []
    assert import_docx(mini_site, doc, "--catalog", POLICY, "--org", "测试区人民政府") == 0  # published under it
    [item] = new_items(mini_site)
    assert front_matter(item)[0]["公开主体"] == "测试区人民政府"


def test_a_new_issuer_gets_a_ready_to_paste_org(mini_site: Path, tmp_path: Path, capsys) -> None:
    doc = notice(tmp_path, doc_no="测文旅发〔2026〕7号", org="测试区文化和旅游局")  # 测民发 would name 区民政局
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 1
    err = capsys.readouterr().err
    assert ("通知.docx:26: 字段「公开主体」: 发文机关「测试区文化和旅游局」不在 site.toml 的 [[org]] 中；"
            "请先在 site.toml 的 [[org]] 中添加它（已有的公开主体用 --org 指定；把下面几行粘贴到其他 [[org]] 之后，"
            'code 换成它的统一社会信用代码）：\n    [[org]]\n    name = "测试区文化和旅游局"\n'
            '    short = "区文化和旅游局"\n    code = "11000000MB') in err
    assert "是不是" not in err  # 测试区民政局 shares half its characters, and is another body


@pytest.mark.parametrize("written", ["测民发[2026]7号", "测民发【2026】7号", "测民发(2026)7号", "测民发（2026）7号",
                                     "测民发［2026］7号", "测民发〔2026〕07号", "测民发 〔 2026 〕 7 号",
                                     "测民发（２０２６）７号"])
def test_doc_no_brackets_are_normalized(written: str) -> None:
    found = gongwen.normalize_doc_no(f"{written}　　签发人：李某")
    assert found is not None and found[1] == "测民发〔2026〕7号"


def test_wrong_brackets_in_the_document_are_normalized_in_the_item(mini_site: Path, tmp_path: Path,
                                                                  capsys) -> None:
    doc = notice(tmp_path, doc_no="测民发（2026）7号")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    [item] = new_items(mini_site)
    assert front_matter(item)[0]["文号"] == "测民发〔2026〕7号"
    capsys.readouterr()
    # the same document again: not a second item
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 2
    assert ("文号为「测民发〔2026〕7号」的信息已经有了：content/items/yanglao/2026-11-23-调整高龄津贴发放标准.md；"
            "这份文件已导入过") in capsys.readouterr().err
    assert new_items(mini_site) == [item]


@pytest.mark.parametrize(("line", "day"), [
    ("2026年9月28日", dt.date(2026, 9, 28)), ("２０２６年１０月１日", dt.date(2026, 10, 1)),
    ("二〇二六年九月二十八日", dt.date(2026, 9, 28)), ("二○二六年十二月三十一日", dt.date(2026, 12, 31)),
    ("二〇二六年十月十日", dt.date(2026, 10, 10)), ("2026 年 9 月 8 日", dt.date(2026, 9, 8)),
    ("2026年2月30日", None), ("发布于2026年9月28日", None)])
def test_date_lines(line: str, day: dt.date | None) -> None:
    assert gongwen.parse_date_line(line) == day


@pytest.mark.parametrize(("line", "attribute", "draft"), [
    ("（此件依申请公开）", "依申请公开", False), ("（此件不予公开）", "不予公开", False),
    ("", "主动公开", True)])
def test_the_disclosure_line_decides(mini_site: Path, tmp_path: Path, line: str, attribute: str, draft: bool,
                                     capsys) -> None:
    g = Gongwen()
    g.head("测试区民政局文件", "测民发〔2026〕9号", "测试区民政局关于内部工作安排的通知")
    g.body("各科室：", "现将有关事项通知如下。")
    g.tail([], ["测试区民政局"], "2026年9月28日", attribute=line)
    doc = g.save(tmp_path / "内部.docx")
    assert import_docx(mini_site, doc, "--catalog", POLICY) == 0
    [item] = new_items(mini_site)
    meta, _ = front_matter(item)
    assert meta["公开属性"] == attribute and meta["草稿"] is draft
    if draft:
        assert "没有「此件公开发布」" in capsys.readouterr().err
    out = build(mini_site, tmp_path)
    assert not (out / "xxgk" / CODE / "2026-00002").exists()  # never published


def test_dry_run_writes_nothing_and_a_missing_catalog_lists_the_leaves(mini_site: Path, tmp_path: Path,
                                                                       capsys) -> None:
    doc = notice(tmp_path)
    assert import_docx(mini_site, doc, "--catalog", POLICY, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "标题: 测试区民政局关于调整高龄津贴发放标准的通知" in out
    assert "将写入 content/items/yanglao/2026-11-23-调整高龄津贴发放标准.md" in out
    assert new_items(mini_site) == [] and not (mini_site / "content" / "items" / "yanglao" / "files").exists()
    assert import_docx(mini_site, doc) == 2
    err = capsys.readouterr().err
    assert "请用 --catalog 指定" in err and f"测试区民政局负责的目录条目有：{LIST_LEAF}、{POLICY}" in err
    assert import_docx(mini_site, doc, "--catalog", "养老服务/高龄津贴/政策文") == 2
    assert f"是不是「{POLICY}」" in capsys.readouterr().err


def test_a_doc_file_is_refused_with_the_way_out(mini_site: Path, tmp_path: Path, capsys) -> None:
    old = tmp_path / "旧.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert import_docx(mini_site, old, "--catalog", POLICY) == 2
    assert "另存为」.docx" in capsys.readouterr().err
    sheet = tmp_path / "其实是表格.docx"
    sheet.write_bytes(xlsx_bytes([["甲"]]))
    assert import_docx(mini_site, sheet, "--catalog", POLICY) == 2
    assert "无法作为 Word 文档（.docx）读取" in capsys.readouterr().err


# ---------------------------------------------------------------- import list

def test_a_roster_becomes_a_masked_notice_table(mini_site: Path, tmp_path: Path, capsys) -> None:
    ids = [an_id("53010219400101001"), an_id("53010219380512002")]
    sheet = tmp_path / "名单.xlsx"
    sheet.write_bytes(xlsx_bytes([
        ["测试区2026年11月高龄津贴新增发放名单", None, None, None, None],
        ["序号", "姓名", "身份证号", "联系电话", "金额（元）"],
        [1, "王大爷", ids[0], "13912345678", 100],
        [2, "李奶奶", ids[1], "0871-60001234", 300],
        [None, None, None, None, None],
        ["制表单位：测试区民政局", None, None, None, None],
    ]))
    assert run("import", "list", str(sheet), "--site", str(mini_site), "--today", TODAY.isoformat(),
               "--days", "7") == 2  # no --catalog: the list columns there are
    assert capsys.readouterr().err.strip() == (
        f"gkpub: 请用 --catalog 指定这份名单所属的目录（领域/事项/公开内容），如 --catalog {LIST_LEAF}；"
        f"名单类的目录条目有：{LIST_LEAF}")
    assert new_items(mini_site) == []
    assert run("import", "list", str(sheet), "--site", str(mini_site), "--today", TODAY.isoformat(),
               "--catalog", LIST_LEAF, "--days", "7") == 0
    [item] = new_items(mini_site)
    meta, body = front_matter(item)
    assert meta["标题"] == "测试区2026年11月高龄津贴新增发放名单"
    assert meta["公开主体"] == "测试区民政局"
    assert meta["公示期"] == {"开始": TODAY, "结束": TODAY + dt.timedelta(days=6)}
    assert "| 序号 | 姓名 | 身份证号 | 联系电话 | 金额（元） |" in body
    stars = "\\*" * 10
    assert f"| 1 | 王大爷 | {ids[0][:4]}{stars}{ids[0][-4:]} | 139\\*\\*\\*\\*5678 | 100 |" in body
    assert "0871-60001234" in body  # a landline is no personal number
    assert "制表单位：测试区民政局" in body
    for n in ids + ["13912345678"]:
        assert n not in item.read_text(encoding="utf-8")
    out = build(mini_site, tmp_path)
    html = page(out, meta["索引号"])
    assert f"<td>{ids[1][:4]}{'*' * 10}{ids[1][-4:]}</td>" in html and "<td>李奶奶</td>" in html


def import_list_asking(site: Path, sheet: Path, answers: list[str]) -> tuple[int, list[str]]:
    """`gkpub import list` of ``sheet`` without a 公示期, ``answers`` typed at its questions (asked back)."""
    given = iter(answers)
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(given)

    code = import_list(ListImport(file=sheet, site_dir=site, today=TODAY, catalog=LIST_LEAF,
                                  next_index=next_index_no, place=item_path, title="高龄津贴发放名单", ask=ask))
    return code, asked


def test_a_cell_with_a_line_break_stays_in_its_row(mini_site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "名单.csv"
    sheet.write_text('序号,姓名,住址\n1,王某,"东城街道\n幸福小区"\n2,李某,西岭村\n', encoding="utf-8")
    assert run("import", "list", str(sheet), "--site", str(mini_site), "--today", TODAY.isoformat(),
               "--catalog", LIST_LEAF, "--days", "7") == 0
    [item] = new_items(mini_site)
    assert "| 1 | 王某 | 东城街道 幸福小区 |\n| 2 | 李某 | 西岭村 |" in front_matter(item)[1]


def test_names_are_masked_when_the_site_asks_and_the_period_can_be_asked_for(mini_site: Path, tmp_path: Path) -> None:
    toml = mini_site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[privacy]\nmask_names = true\n", encoding="utf-8")
    sheet = tmp_path / "名单.csv"
    sheet.write_text("序号,户主姓名,村（社区）\n1,王大爷,东城社区\n2,欧阳明明,西岭村\n", encoding="utf-8")
    code, asked = import_list_asking(mini_site, sheet, ["2026-11-24", "2026-11-30"])
    assert code == 0 and len(asked) == 2 and "公示开始日期" in asked[0]
    [item] = new_items(mini_site)
    meta, body = front_matter(item)
    assert meta["公示期"] == {"开始": dt.date(2026, 11, 24), "结束": dt.date(2026, 11, 30)}
    assert meta["发布日期"] == dt.date(2026, 11, 24)
    assert "| 1 | 王某某 | 东城社区 |" in body and "| 2 | 欧阳某某 | 西岭村 |" in body
    assert "王大爷" not in body and "欧阳明明" not in body
    assert run("check", "--site", str(mini_site), "--today", "2026-11-24") == 0


def test_a_roster_without_a_notice_period_says_which_options(mini_site: Path, tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "名单.xlsx"
    sheet.write_bytes(xlsx_bytes([["序号", "姓名"], [1, "王大爷"]]))
    assert run("import", "list", str(sheet), "--site", str(mini_site), "--catalog", LIST_LEAF) == 2
    assert "缺少公示期：请加 --end 结束日期（YYYY-MM-DD）或 --days 天数" in capsys.readouterr().err
    assert new_items(mini_site) == []
