"""`gkpub import catalog` on sheets as they are in the field (issue 14, item 4).

The sheets are typed here from the layouts of the seeds' tables — the 梳理表 of seed 001
附件4, the DB31/T 1297 附录A table of seed 003, seed 004's 表1/表2 (one sheet, one table per
domain, each under its title) and the 上街 目录 (one table, a heading row per domain) — with
the header spellings those templates print (qualifiers in brackets, names broken over
lines, full-width spaces) and the cell styles offices use (box lists with ■ □ and 口, 「同上」,
lists split by 、；, lines or spaces). Their contents are made up.

Every test counts: the data rows written against the leaves read back, and the channel
entries written into each row against the channels of its leaf.
"""
from __future__ import annotations

import csv
import difflib
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from conftest import MINI_TOML, run
from openpyxl.utils import get_column_letter

from gkpub.content.catalog import load_catalog
from gkpub.content.catalog_table import element_value
from gkpub.content.config import load_config
from gkpub.content.model import Catalog
from gkpub.content.siteschema import credit_code_problem
from gkpub.importer.headers import find_headers, header_name, role_of
from gkpub.importer.orgs import insert_orgs, is_placeholder
from gkpub.importer.sheets import Sheet, read_sheets
from gkpub.util.errors import ErrorList

DATA = Path(__file__).resolve().parent / "data" / "import_field"
BOARD = "社区/村/企事业单位公示栏"

# How sheets name channels → the channel gkpub files them under (default vocabulary).
CHANNEL_OF = {
    "政府网站": "政府网站", "政府门户网站": "政府网站", "政府公报": "政府公报", "两微一端": "两微一端",
    "政务新媒体": "两微一端", "发布会/听证会": "发布会/听证会", "广播电视": "广播电视", "纸质媒体": "纸质媒体",
    "纸质载体": "纸质媒体", "公开查阅点": "公开查阅点", "政务服务中心": "政务服务中心", "政务服务大厅": "政务服务中心",
    "行政服务中心": "政务服务中心", "便民服务站": "便民服务站", "便民服务中心": "便民服务站", "入户/现场": "入户/现场",
    "公开栏": BOARD, "公示栏": BOARD, "社区公示栏": BOARD, "社区/企事业单位/村公示栏（电子屏）": BOARD,
    "精准推送": "精准推送", "其他": "其他",
}
# The box list the national template prints in its 公开渠道和载体 cells, in its order.
PRINTED = ["政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质载体", "公开查阅点", "政务服务中心",
           "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送", "12345政务服务热线", "其他"]


def boxes(ticked: list[str], empty: str = "□") -> str:
    """A box-list cell: every printed option, ■ before the ticked ones, two to a line."""
    assert set(ticked) <= set(PRINTED), ticked
    cells = [("■" if name in ticked else empty) + name for name in PRINTED]
    return "\n".join("".join(cells[i:i + 2]) for i in range(0, len(cells), 2))


def listed(entries: list[str], sep: str) -> str:
    return sep.join(entries)


def credit(first17: str) -> str:
    from gkpub.content.siteschema import credit_check_char
    return first17 + credit_check_char(first17)


# Bodies the 上街 and 附录A sheets name, added to the mini site (the 梳理表 names two it lacks).
FIELD_ORGS = f"""
[[org]]
name = "测试区教育体育局"
short = "区教育局"
code = "{credit('11530000MB0000003')}"
kind = "区级部门"

[[org]]
name = "测试区人力资源和社会保障局"
short = "区人社局"
code = "{credit('11530000MB0000004')}"
kind = "区级部门"

[[org]]
name = "测试区司法局"
short = "区司法局"
code = "{credit('11530000MB0000005')}"
kind = "区级部门"

[[org]]
name = "测试区公共资源交易中心"
short = "区公共资源交易中心"
code = "{credit('11530000MB0000006')}"
kind = "区级部门"
"""


@pytest.fixture
def field_site(mini_site: Path) -> Path:
    toml = MINI_TOML.replace("[[township]]", FIELD_ORGS.lstrip() + "\n[[township]]")
    (mini_site / "site.toml").write_text(toml, encoding="utf-8")
    return mini_site


# ---------------------------------------------------------------- writing sheets


@dataclass
class Row:
    """One data row of a fixture: the leaf it must become and the channel entries it names."""
    path: str  # 领域/事项/公开内容
    channels: list[str]  # as the sheet writes them (keys of CHANNEL_OF)

    @property
    def expected(self) -> list[str]:
        return list(dict.fromkeys(CHANNEL_OF[c] for c in self.channels))


@dataclass
class Fixture:
    path: Path
    rows: list[Row]


def save(path: Path, sheets: list[tuple[str, list[list[object]], list[str]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, merges in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append([None if v == "" else v for v in row])
        for rng in merges:
            ws.merge_cells(rng)
    wb.save(path)
    return path


def merged_down(col: int, first: int, last: int) -> str:
    letter = get_column_letter(col)
    return f"{letter}{first}:{letter}{last}"


def across(row: int, first: int, last: int) -> str:
    return f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"


# -- seed 001 附件4: the 梳理表 (three levels, a domain column, 「公开方式（载体）」 as the platform)

SHULI_HEADER = ["序号", "一级目录\n（事项类别）", "二级目录\n（事项名称）", "三级目录\n（公开内容）", "过程",
                "项目\n类别", "公开标准", "公开依据", "公开　主体", "公开方式\n（载体）", "公开时限", "公开格式",
                "监督方式"]
SHULI = [  # (domain, matter, leaf, stage, type, standard, basis, body, channels, sep, limit, format)
    ("养老服务", "高龄津贴", "补贴政策", "决策", "行政给付", "1.补贴对象 2.补贴标准 3.申领程序",
     "《中华人民共和国老年人权益保障法》", "区民政局", ["政府网站", "公开栏"], "、",
     "自信息形成或者变更之日起20个工作日内", "文本"),
    ("", "", "发放名单", "结果", "行政给付", "姓名、所在村（社区）、发放金额", "同上", "区民政局",
     ["政府网站", "公示栏"], "\n", "发放后5个工作日内", "文本、图表"),
    ("", "养老机构", "备案情况", "管理", "其他行政行为", "机构名称；地址；床位数", "《养老机构管理办法》",
     "测试区民政局", ["政府门户网站", "政务新媒体", "便民服务中心"], "；", "即时", "图表"),
    ("社会救助", "最低生活保障", "审核确认结果", "结果", "行政给付", "1.户主姓名 2.保障人数 3.保障金额",
     "《社会救助暂行办法》", "区民政局", ["政府网站", "社区/企事业单位/村公示栏（电子屏）"], " ", "20个工作日", "文本"),
    ("", "医疗救助", "救助标准", "决策", "行政给付", "救助对象、救助标准", "《社会救助暂行办法》", "区医疗保障局",
     ["政府网站", "政务服务大厅"], "、", "20个工作日", "文本"),
    ("", "临时救助", "办事指南", "服务", "公共服务", "1.申请条件 2.申请材料 3.办理流程", "同上", "东城街道办事处",
     ["政府网站", "入户/现场", "公开查阅点"], "，", "20个工作日", "文本"),
]


def shuli(tmp: Path, channel_header: str = "公开方式\n（载体）", name: str = "梳理表.xlsx") -> Fixture:
    header = [channel_header if h.startswith("公开方式") else h for h in SHULI_HEADER]
    rows: list[list[object]] = [["附件4"], ["测试区政务公开事项标准目录梳理表"] + [""] * 12, header]
    expect = []
    domain = matter = ""
    for n, (d, m, leaf, stage, kind, std, basis, body, chans, sep, limit, fmt) in enumerate(SHULI, start=1):
        domain, matter = d or domain, m or matter
        rows.append([n, d, m, leaf, stage, kind, std, basis, body, listed(chans, sep), limit, fmt, "0871-60000002"])
        expect.append(Row(f"{domain}/{matter}/{leaf}", chans))
    merges = [across(2, 1, 13), merged_down(2, 4, 6), merged_down(3, 4, 5), merged_down(2, 7, 9)]
    return Fixture(save(tmp / name, [("附件4 梳理表", rows, merges)]), expect)


# -- seed 003 附录A: DB31/T 1297 (类别, 公开事项 over two levels, checkbox groups, box lists)

def appendix_a(tmp: Path) -> Fixture:
    top = ["序号", "类别", "公开事项", "", "公开内容\n（要素）", "公开依据", "公开\n时限", "公开\n主体",
           "公开渠道\n和载体", "公开对象", "", "公开方式", "", "公开层级", "", ""]
    sub = ["", "", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定对象", "主动", "依申请", "市级", "区级",
           "街镇"]
    data = [  # matter, leaf, elements, basis, limit, body, ticked channels, empty box, audience, mode, levels
        ("法律援助", "办事指南", "1.申请条件\n2.申请材料\n3.办理流程", "《中华人民共和国法律援助法》", "20个工作日",
         "区司法局", ["政府网站", "政务服务中心", "公开查阅点"], "□", ("√", ""), ("√", ""), ("", "√", "√")),
        ("", "援助情况统计", "1.受理件数 2.办结件数", "同上", "同上", "区司法局", ["政府网站"], "口",
         ("√", ""), ("√", ""), ("", "√", "")),
        ("人民调解", "调解组织名单", "名称、地址、联系电话", "《中华人民共和国人民调解法》", "即时", "区司法局",
         ["政府网站", "社区/企事业单位/村公示栏（电子屏）", "两微一端"], "口", ("√", ""), ("√", "√"), ("", "√", "√")),
    ]
    rows: list[list[object]] = [["附录A 公共法律服务领域政务公开标准目录（示例）"] + [""] * 15, top, sub]
    expect = []
    matter = ""
    for n, (m, leaf, els, basis, limit, body, ticked, empty, aud, mode, lev) in enumerate(data, start=1):
        matter = m or matter
        rows.append([n, "公共服务事项" if n == 1 else "", m, leaf, els, basis, limit, body, boxes(ticked, empty),
                     *aud, *mode, *lev])
        expect.append(Row(f"公共法律服务/{matter}/{leaf}", [p for p in PRINTED if p in ticked]))  # box order
    merges = [across(1, 1, 16), across(2, 3, 4), across(2, 10, 11), across(2, 12, 13), across(2, 14, 16),
              merged_down(2, 4, 6), merged_down(3, 4, 5)]
    merges += [merged_down(c, 2, 3) for c in (1, 2, 5, 6, 7, 8, 9)]
    return Fixture(save(tmp / "附录A.xlsx", [("附录A", rows, merges)]), expect)


# -- seed 004 表1/表2: two domains in one sheet, each table under its title, the national header

NATIONAL_TOP = ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                "公开对象", "", "公开方式", "", "公开层级", ""]
NATIONAL_SUB = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群众", "主动", "依申请公开", "县级",
                "乡、村级"]
TABLES = [
    ("表1　测试区征地补偿领域基层政务公开标准目录", "征地补偿", [
        ("征地政策", "征地补偿标准", "补偿标准、安置途径", "《中华人民共和国土地管理法》", "20个工作日", "区政府",
         ("list", ["政府网站", "纸质载体"], "、"), ("√", ""), ("√", ""), ("√", "√")),
        ("", "征地告知", "拟征收土地的用途、位置、补偿标准", "同上", "同上", "区政府",
         ("boxes", ["政府网站", "社区/企事业单位/村公示栏（电子屏）"], "口"), ("", "√"), ("√", ""), ("√", "√")),
        ("征地结果", "补偿安置方案", "方案全文、听证告知", "《中华人民共和国土地管理法实施条例》", "20个工作日",
         "区政府", ("boxes", ["政府网站", "发布会/听证会", "入户/现场"], "□"), ("", "√"), ("√", ""), ("√", "")),
    ]),
    ("表2　测试区公共资源交易领域基层政务公开标准目录", "公共资源交易", [
        ("政府采购", "采购公告", "采购项目名称、预算金额、供应商资格要求", "《中华人民共和国政府采购法》",
         "及时公开，公告期限不少于5个工作日", "区公共资源交易中心", ("list", ["政府网站", "纸质载体"], "\n"),
         ("√", ""), ("√", ""), ("√", "")),
        ("", "中标（成交）结果", "中标供应商名称、中标金额", "同上", "中标人确定之日起2个工作日内",
         "区公共资源交易中心", ("list", ["政府网站"], "、"), ("√", ""), ("√", ""), ("√", "")),
        ("工程建设项目招标投标", "中标候选人公示", "中标候选人名单、投标报价、公示期",
         "《中华人民共和国招标投标法实施条例》", "公示期不少于3日", "区公共资源交易中心",
         ("list", ["政府网站", "行政服务中心"], " "), ("√", ""), ("√", ""), ("√", "√")),
    ]),
]
NOTE = "标准目录要素说明：公开事项按一级、二级排列；勾选的渠道即本项发布的平台。"


def tables_rows() -> tuple[list[list[object]], list[str], list[Row], list[int]]:
    """The 表1/表2 sheet's cells, merges, expected rows and (1-based) data rows with merged matters."""
    rows: list[list[object]] = []
    merges: list[str] = []
    expect: list[Row] = []
    for t, (title, domain, data) in enumerate(TABLES):
        if t:
            rows.append([""] * 14)
        rows.append([title] + [""] * 13)
        merges.append(across(len(rows), 1, 14))
        rows += [list(NATIONAL_TOP), list(NATIONAL_SUB)]
        h = len(rows) - 1  # 1-based first header row
        merges += [across(h, 2, 3), across(h, 9, 10), across(h, 11, 12), across(h, 13, 14)]
        merges += [merged_down(c, h, h + 1) for c in (1, 4, 5, 6, 7, 8)]
        matter = ""
        for n, (m, leaf, els, basis, limit, body, (style, chans, how), aud, mode, lev) in enumerate(data, 1):
            matter = m or matter
            for name in chans:  # the box list prints the 纸质载体 spelling
                assert style == "list" or name in PRINTED
            cell = listed(chans, how) if style == "list" else boxes(chans, how)
            rows.append([n, m, leaf, els, basis, limit, body, cell, *aud, *mode, *lev])
            expect.append(Row(f"{domain}/{matter}/{leaf}", chans if style == "list" else
                              [p for p in PRINTED if p in chans]))
        first = len(rows) - len(data) + 1
        merges.append(merged_down(2, first, first + 1))  # the first matter over its two rows
    rows.append([NOTE] + [""] * 13)
    merges.append(across(len(rows), 1, 14))
    return rows, merges, expect, []


def two_tables(tmp: Path) -> Fixture:
    rows, merges, expect, _ = tables_rows()
    return Fixture(save(tmp / "表1表2.xlsx", [("标准目录", rows, merges)]), expect)


# -- 上街 目录: one table, one header, a heading row per domain

SHANGJIE_HEADER = ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道",
                   "公开对象", "公开方式", "公开层级"]
SHANGJIE = [
    ("一、义务教育", [
        ("招生入学", "招生政策", "招生范围、入学条件、报名时间", "《中华人民共和国义务教育法》", "20个工作日",
         "区教育局", "■政府网站 ■公开栏 □两微一端", ["政府网站", "公开栏"], "全社会", "主动", "区级、镇街级"),
        ("", "学区划分方案", "各校服务片区", "同上", "同上", "区教育局", "政府网站\n公开栏", ["政府网站", "公开栏"],
         "全社会", "主动", "区级"),
    ]),
    ("二、就业创业", [
        ("就业服务", "招聘活动动态", "岗位、人数、条件、联系方式", "《中华人民共和国就业促进法》", "即时", "区人社局",
         "政府网站、政务新媒体、便民服务站", ["政府网站", "政务新媒体", "便民服务站"], "全社会", "主动公开",
         "区级、乡级"),
        ("", "就业补贴发放名单", "姓名（脱敏）、补贴类别、金额", "同上", "20个工作日", "区人社局",
         "■政府网站 ■社区公示栏", ["政府网站", "社区公示栏"], "特定群体", "主动", "区级"),
    ]),
]


def shangjie_rows() -> tuple[list[list[object]], list[Row]]:
    rows: list[list[object]] = [SHANGJIE_HEADER]
    expect = []
    n = 0
    for heading, data in SHANGJIE:
        rows.append([heading] + [""] * 10)
        domain = heading.split("、", 1)[1]
        matter = ""
        for m, leaf, els, basis, limit, body, cell, chans, aud, mode, lev in data:
            n += 1
            matter = m or matter
            rows.append([n, m, leaf, els, basis, limit, body, cell, aud, mode, lev])
            expect.append(Row(f"{domain}/{matter}/{leaf}", chans))
    return rows, expect


def shangjie(tmp: Path) -> Fixture:
    rows, expect = shangjie_rows()
    headings = [i + 1 for i, r in enumerate(rows) if str(r[0]).endswith(("义务教育", "就业创业"))]
    return Fixture(save(tmp / "上街目录.xlsx", [("上街目录", rows, [across(r, 1, 11) for r in headings])]), expect)


def shangjie_csv(tmp: Path) -> Fixture:
    rows, expect = shangjie_rows()
    path = tmp / "上街目录.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)  # no merges: a heading is its row's only cell
    return Fixture(path, expect)


# ---------------------------------------------------------------- running and counting


def do_import(site: Path, sheet: Path, *extra: str) -> tuple[int, Path]:
    out = site.parent / "imported"
    if out.exists():
        shutil.rmtree(out)
    return run("import", "catalog", str(sheet), "--site", str(site), "--out", str(out), *extra), out


def load_imported(site: Path, out: Path) -> Catalog:
    target = site / "content" / "catalog"
    shutil.rmtree(target)
    shutil.copytree(out, target)
    errors = ErrorList(root=site)
    cfg = load_config(site, errors)
    assert cfg is not None and not errors, errors.report()
    catalog = load_catalog(site, cfg, errors)
    assert not errors, errors.report()
    return catalog


def assert_nothing_lost(catalog: Catalog, fixture: Fixture) -> None:
    """Rows in = leaves out, each where it belongs; channel entries in = channels out, row by row."""
    leaves = {leaf.path: leaf for leaf in catalog.leaves}
    assert len(catalog.leaves) == len(fixture.rows)
    assert sorted(leaves) == sorted(r.path for r in fixture.rows)
    channels_in = channels_out = 0
    for row in fixture.rows:
        got = element_value(leaves[row.path], "公开渠道")
        assert got == row.expected, row.path
        channels_in += len(row.expected)
        channels_out += len(got)
    assert channels_out == channels_in > 0


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(("text", "role"), [
    ("一级目录\n（事项类别）", "领域"), ("二级目录（事项名称）", "事项"), ("三级目录（公开内容）", "公开内容"),
    ("公开　主体", "公开主体"), ("公开渠道\n和载体", "公开渠道"), ("公开方式（载体）", "公开渠道"),
    ("公开方式\n(载体)", "公开渠道"), ("公开方式", "公开方式"), ("【公开依据】", "公开依据"),
    ("公开时限（工作日）", "公开时限"),
    ("公开内容（要素）", "要素"), ("公开范围", "公开对象"), ("监督方式（电话）", "ignore"), ("事项类别", None),
])
def test_header_spellings_of_the_seed_templates(text: str, role: str | None) -> None:
    assert role_of(text) == role


def test_header_names_come_back_on_one_line() -> None:
    sheet = Sheet("s", [SHULI_HEADER, ["1", "养老服务", "高龄津贴", "补贴政策"] + [""] * 9])
    [header] = find_headers(sheet)
    assert [c.header for c in header.columns][:4] == ["序号", "一级目录（事项类别）", "二级目录（事项名称）",
                                                      "三级目录（公开内容）"]
    assert header_name("公开方式\n（载体）") == "公开方式(载体)"


# ---------------------------------------------------------------- the four sheets


@pytest.mark.parametrize("channel_header", ["公开方式\n（载体）", "公开方式"])
def test_shuli_of_seed_001_with_its_platform_column(field_site: Path, tmp_path: Path, capsys,
                                                    channel_header: str) -> None:
    fixture = shuli(tmp_path, channel_header)
    code, out = do_import(field_site, fixture.path, "--add-orgs")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "「监督方式」列未导入" in captured.err and "不认识" not in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["d02.yaml", "yanglao.yaml"]  # two domains, two files
    catalog = load_imported(field_site, out)
    assert_nothing_lost(catalog, fixture)
    leaves = {leaf.path: leaf for leaf in catalog.leaves}
    names = leaves["养老服务/高龄津贴/发放名单"]
    assert element_value(names, "公开依据") == ["《中华人民共和国老年人权益保障法》"]  # 「同上」
    assert element_value(names, "公开方式") == "主动公开"  # the platform column is no mode
    assert element_value(leaves["社会救助/医疗救助/救助标准"], "公开主体") == "测试区医疗保障局"
    assert element_value(leaves["社会救助/临时救助/办事指南"], "公开主体") == "东城街道办事处"


def test_appendix_a_of_seed_003(field_site: Path, tmp_path: Path, capsys) -> None:
    fixture = appendix_a(tmp_path)
    code, out = do_import(field_site, fixture.path, "--slug", "公共法律服务=falv")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    catalog = load_imported(field_site, out)
    assert [d.name for d in catalog.domains] == ["公共法律服务"]  # from the title above the table
    assert_nothing_lost(catalog, fixture)
    leaves = {leaf.path: leaf for leaf in catalog.leaves}
    stats = leaves["公共法律服务/法律援助/援助情况统计"]
    assert element_value(stats, "公开时限") == "20个工作日" and element_value(stats, "公开依据") == [
        "《中华人民共和国法律援助法》"]
    assert element_value(leaves["公共法律服务/人民调解/调解组织名单"], "公开方式") == "主动公开"
    assert element_value(leaves["公共法律服务/法律援助/办事指南"], "公开层级") == ["区县级", "街镇级"]


def test_two_tables_of_seed_004_in_one_sheet(field_site: Path, tmp_path: Path, capsys) -> None:
    fixture = two_tables(tmp_path)
    code, out = do_import(field_site, fixture.path, "--stage", "执行")  # 采购公告: no stage in its name
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "以下各行属于领域「征地补偿」" in captured.err and "以下各行属于领域「公共资源交易」" in captured.err
    assert "标准目录要素说明" in captured.err  # the note under the tables is named, not read as a row
    assert len(list(out.iterdir())) == 2
    catalog = load_imported(field_site, out)
    assert [d.name for d in catalog.domains] == ["征地补偿", "公共资源交易"]
    assert_nothing_lost(catalog, fixture)
    leaves = {leaf.path: leaf for leaf in catalog.leaves}
    notice = leaves["征地补偿/征地政策/征地告知"]
    assert element_value(notice, "公开对象") == "特定对象"
    assert element_value(notice, "公开层级") == ["区县级", "街镇级", "村/社区"]  # 乡、村级 is two levels
    assert element_value(leaves["公共资源交易/政府采购/中标（成交）结果"], "公开时限") == "中标人确定之日起2个工作日内"
    assert element_value(leaves["公共资源交易/政府采购/采购公告"], "过程") == "执行"


@pytest.mark.parametrize("make", [shangjie, shangjie_csv], ids=["xlsx", "csv"])
def test_shangjie_catalogue_with_a_heading_row_per_domain(field_site: Path, tmp_path: Path, capsys, make) -> None:
    fixture = make(tmp_path)
    code, out = do_import(field_site, fixture.path)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    catalog = load_imported(field_site, out)
    assert [d.name for d in catalog.domains] == ["义务教育", "就业创业"]
    assert_nothing_lost(catalog, fixture)
    leaves = {leaf.path: leaf for leaf in catalog.leaves}
    assert element_value(leaves["义务教育/招生入学/学区划分方案"], "公开依据") == ["《中华人民共和国义务教育法》"]
    assert element_value(leaves["就业创业/就业服务/招聘活动动态"], "公开层级") == ["区县级", "街镇级"]


# ---------------------------------------------------------------- channels are never dropped


def test_an_unknown_channel_is_an_error_with_a_suggestion(field_site: Path, tmp_path: Path, capsys) -> None:
    rows = [SHANGJIE_HEADER,
            [1, "招生入学", "招生政策", "招生范围", "《中华人民共和国义务教育法》", "20个工作日", "区教育局",
             "政府网站、政务服务热线", "全社会", "主动", "区级"],
            [2, "招生入学", "划片方案", "片区", "《中华人民共和国义务教育法》", "20个工作日", "区教育局",
             "■政府网站 ■政府网 □两微一端", "全社会", "主动", "区级"],
            [3, "招生入学", "录取名单", "名单", "《中华人民共和国义务教育法》", "20个工作日", "区教育局",
             "政府网站■公开栏", "全社会", "主动", "区级"]]
    sheet = save(tmp_path / "bad.xlsx", [("义务教育", rows, [])])
    code, out = do_import(field_site, sheet)
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "bad.xlsx[义务教育]:2: 字段「公开渠道」: 「政务服务热线」不是本站的公开渠道；是不是「政务服务中心」？" in err
    assert "site.toml [vocab] 的 channels" in err
    assert "bad.xlsx[义务教育]:3: 字段「公开渠道」: 「政府网」不是本站的公开渠道；是不是「政府网站」？" in err
    assert "bad.xlsx[义务教育]:4: 字段「公开渠道」: 「政府网站」前面没有勾选框" in err
    assert "共 3 处无法导入" in err


def test_a_plain_mode_column_holding_both_mode_and_platforms(field_site: Path, tmp_path: Path, capsys) -> None:
    header = ["一级目录", "二级目录", "三级目录", "过程", "公开主体", "公开方式"]
    rows = [header,
            ["养老服务", "高龄津贴", "政策文件", "决策", "区民政局", "主动公开；政府网站、公开栏"],
            ["养老服务", "高龄津贴", "发放名单", "结果", "区民政局", "依申请"],
            ["养老服务", "高龄津贴", "统计", "结果", "区民政局", "主动 政府网站 村务大会"]]
    sheet = save(tmp_path / "mode.xlsx", [("养老服务", rows, [])])
    code, _ = do_import(field_site, sheet)
    err = capsys.readouterr().err
    assert code == 1
    assert ("mode.xlsx[养老服务]:4: 字段「公开方式」: 「村务大会」既不是公开方式（主动公开、依申请公开），"
            "也不是本站的公开渠道") in err
    assert "共 1 处无法导入" in err
    rows[3][5] = "主动 政府网站"
    code, out = do_import(field_site, save(tmp_path / "mode.xlsx", [("养老服务", rows, [])]))
    assert code == 0, capsys.readouterr().err
    leaves = {leaf.path: leaf for leaf in load_imported(field_site, out).leaves}
    policy = leaves["养老服务/高龄津贴/政策文件"]
    assert element_value(policy, "公开方式") == "主动公开"
    assert element_value(policy, "公开渠道") == ["政府网站", BOARD]
    assert element_value(leaves["养老服务/高龄津贴/发放名单"], "公开方式") == "依申请公开"


def test_channels_map_to_the_sites_own_vocabulary(field_site: Path, tmp_path: Path, capsys) -> None:
    toml = (field_site / "site.toml").read_text(encoding="utf-8")
    (field_site / "site.toml").write_text(toml + '\n[vocab]\nchannels = ["政府网站", "公开栏", "其他"]\n',
                                          encoding="utf-8")
    (field_site / "content" / "catalog" / "yanglao.yaml").unlink()  # its channels are not in this vocabulary
    rows = [["一级目录", "二级目录", "三级目录", "过程", "公开主体", "公开渠道"],
            ["养老服务", "高龄津贴", "政策文件", "决策", "区民政局", "政府门户网站、公开栏、其他（村民大会）"]]
    code, out = do_import(field_site, save(tmp_path / "v.xlsx", [("养老服务", rows, [])]))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "「其他(村民大会)」按「其他」导入（「村民大会」未导入" in captured.err  # said, not silently cut
    text = next(out.iterdir()).read_text(encoding="utf-8")
    assert "公开渠道: [政府网站, 公开栏, 其他]" in text  # the site's own 公开栏, not the default board name


# ---------------------------------------------------------------- bodies the site lacks


def test_new_bodies_are_a_snippet_to_paste(field_site: Path, tmp_path: Path, capsys) -> None:
    fixture = shuli(tmp_path)
    before = (field_site / "site.toml").read_text(encoding="utf-8")
    code, out = do_import(field_site, fixture.path)
    captured = capsys.readouterr()
    assert code == 1 and not out.exists()
    assert (field_site / "site.toml").read_text(encoding="utf-8") == before
    assert "字段「公开主体」: 「区医疗保障局」不是允许的值" in captured.err and "--add-orgs" in captured.err
    assert "表中有 2 个机关 site.toml 中没有：「测试区医疗保障局」（梳理表.xlsx[附件4 梳理表] 第 8 行）" in captured.err
    snippet = captured.out
    data = tomllib.loads(snippet)
    assert [(o["name"], o.get("short"), o["kind"]) for o in data["org"]] == [
        ("测试区医疗保障局", "区医疗保障局", "区级部门"), ("东城街道办事处", None, "街镇")]
    for org in data["org"]:
        assert credit_code_problem(org["code"]) is None and is_placeholder(org["code"])
    assert snippet.count("# 占位代码") == 2
    # ready to paste: the site loads with it, and the import then goes through
    (field_site / "site.toml").write_text(before + "\n" + snippet, encoding="utf-8")
    code, out = do_import(field_site, fixture.path)
    assert code == 0, capsys.readouterr().err
    assert_nothing_lost(load_imported(field_site, out), fixture)


def test_add_orgs_writes_them_into_site_toml_keeping_its_comments(field_site: Path, tmp_path: Path,
                                                                  capsys) -> None:
    toml = (field_site / "site.toml").read_text(encoding="utf-8")
    toml = "# 测试站点（注释要保留）\n" + toml.replace("[[township]]", "# ---------------- 街镇\n[[township]]")
    (field_site / "site.toml").write_text(toml, encoding="utf-8")
    fixture = shuli(tmp_path)
    code, out = do_import(field_site, fixture.path, "--add-orgs")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "已在 site.toml 中新增 2 个机关：测试区医疗保障局、东城街道办事处" in captured.out
    after = (field_site / "site.toml").read_text(encoding="utf-8")
    cut = toml.index("# ---------------- 街镇")
    head, tail = toml[:cut], toml[cut - 1:]
    assert after.startswith(head)  # every earlier line as it was
    assert after.endswith(tail)  # the section comment stays with its table
    added = after[len(head):-len(tail)]
    assert added.count("[[org]]") == 2 and "占位代码" in added
    errors = ErrorList(root=field_site)
    cfg = load_config(field_site, errors)
    assert cfg is not None and not errors, errors.report()
    assert cfg.org_by_name("区医疗保障局").name == "测试区医疗保障局"
    assert cfg.org_by_name("东城街道办事处").kind == "街镇"
    assert len({o.code for o in cfg.orgs}) == len(cfg.orgs)
    assert_nothing_lost(load_imported(field_site, out), fixture)
    # run again: nothing new to add, the files are there
    code, _ = do_import(field_site, fixture.path, "--add-orgs", "--force")
    assert code == 0, capsys.readouterr().err
    assert (field_site / "site.toml").read_text(encoding="utf-8") == after


def test_add_orgs_writes_nothing_while_a_row_is_wrong(field_site: Path, tmp_path: Path, capsys) -> None:
    before = (field_site / "site.toml").read_text(encoding="utf-8")
    rows = [["一级目录", "二级目录", "三级目录", "过程", "公开主体", "公开渠道"],
            ["养老服务", "高龄津贴", "政策文件", "决策", "区医疗保障局", "政府网站"],
            ["养老服务", "高龄津贴", "名单", "决定", "区医疗保障局", "政府网站"],
            ["养老服务", "高龄津贴", "指南", "服务", "相关审批部门", "政府网站"],
            ["养老服务", "高龄津贴", "标准", "决策", "区民政局、各街道办事处", "政府网站"]]
    code, out = do_import(field_site, save(tmp_path / "o.xlsx", [("养老服务", rows, [])]), "--add-orgs")
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert (field_site / "site.toml").read_text(encoding="utf-8") == before
    assert "o.xlsx[养老服务]:3: 字段「过程」" in err
    assert "o.xlsx[养老服务]:4: 字段「公开主体」: 「相关审批部门」不是某一个机关的名称" in err
    assert "o.xlsx[养老服务]:5: 字段「公开主体」: 「区民政局、各街道办事处」写了不止一个机关" in err
    assert "共 3 处无法导入" in err


def test_insert_orgs_after_the_last_org_table() -> None:
    text = "[site]\ntitle = \"x\"\r\n\r\n[[org]]\nname = \"a\"\n# trailing note of a\n\n# -- next\n[vocab]\n"
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    out = insert_orgs(text, "[[org]]\nname = \"b\"\n")
    assert out == ("[site]\r\ntitle = \"x\"\r\n\r\n[[org]]\r\nname = \"a\"\r\n# trailing note of a\r\n"
                   "\r\n[[org]]\r\nname = \"b\"\r\n\r\n# -- next\r\n[vocab]\r\n")
    assert re.findall(r'name = "(\w)"', out) == ["a", "b"]
    assert insert_orgs("[site]\nx = 1", "[[org]]\n") == "[site]\nx = 1\n\n[[org]]\n"


def test_add_orgs_into_the_starter_site_toml(tmp_path: Path, capsys) -> None:
    """A new site is where a district's sheet is first imported: its commented site.toml."""
    site = tmp_path / "site"
    assert run("new", "site", str(site)) == 0
    capsys.readouterr()
    before = (site / "site.toml").read_text(encoding="utf-8")
    fixture = shuli(tmp_path)
    code, out = do_import(site, fixture.path, "--add-orgs")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    after = (site / "site.toml").read_text(encoding="utf-8")
    changes = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False).get_opcodes()
    assert [op[0] for op in changes if op[0] != "equal"] == ["insert"]  # one block in, nothing else touched
    org_section = after[:after.index("# -------------------- [[township]]")]
    assert len(re.findall(r"^\[\[org\]\]$", org_section, re.M)) == 1 + 3  # the new bodies sit in the org section
    # 「区民政局」 and 「测试区民政局」 in one sheet are one body: its full name and its short name
    errors = ErrorList(root=site)
    cfg = load_config(site, errors)
    assert cfg is not None and not errors, errors.report()
    body = cfg.org_by_name("区民政局")
    assert body is not None and body.name == "测试区民政局" and body is cfg.org_by_name("测试区民政局")
    assert_nothing_lost(load_imported(site, out), fixture)


# ---------------------------------------------------------------- .xls


XLS = DATA / "seed004-tables.xls"  # written by tests/data/import_field/make_xls.py from tables_rows()


def test_xls_is_read_like_the_same_sheet_as_xlsx(field_site: Path, tmp_path: Path, capsys) -> None:
    fixture = two_tables(tmp_path)
    [from_xls] = read_sheets(XLS)
    [from_xlsx] = read_sheets(fixture.path)
    assert from_xls.rows == from_xlsx.rows, "seed004-tables.xls is stale: run tests/data/import_field/make_xls.py"
    assert from_xls.rows[0][13] == TABLES[0][0] and from_xls.rows[3][1] == from_xls.rows[4][1] == "征地政策"  # merges
    code, out = do_import(field_site, XLS, "--stage", "执行")
    assert code == 0, capsys.readouterr().err
    xls_files = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert_nothing_lost(load_imported(field_site, out), Fixture(XLS, fixture.rows))
    code, out = do_import(field_site, fixture.path, "--stage", "执行", "--force")
    assert code == 0, capsys.readouterr().err
    xlsx_files = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    strip = lambda text: text.split("\n", 1)[1]  # the first line names the source file
    assert {k: strip(v) for k, v in xls_files.items()} == {k: strip(v) for k, v in xlsx_files.items()}


def test_a_workbook_is_read_by_its_bytes_not_its_name(field_site: Path, tmp_path: Path, capsys) -> None:
    fixture = shangjie(tmp_path)
    named_xls = tmp_path / "其实是xlsx.xls"
    shutil.copy(fixture.path, named_xls)
    code, out = do_import(field_site, named_xls)
    assert code == 0, capsys.readouterr().err
    assert_nothing_lost(load_imported(field_site, out), fixture)
    named_xlsx = tmp_path / "其实是xls.xlsx"
    shutil.copy(XLS, named_xlsx)
    assert read_sheets(named_xlsx)[0].rows == read_sheets(XLS)[0].rows

    page = tmp_path / "导出.xls"
    page.write_text("<html><body><table><tr><td>一级目录</td></tr></table></body></html>", encoding="utf-8")
    assert do_import(field_site, page)[0] == 2
    assert "实际是网页（HTML）格式" in capsys.readouterr().err
    broken = tmp_path / "损坏.xls"
    broken.write_bytes(XLS.read_bytes()[:1500])
    assert do_import(field_site, broken)[0] == 2
    assert "无法读取 Excel 文件 损坏.xls" in capsys.readouterr().err
    other = tmp_path / "目录.xls"
    other.write_bytes(b"\x00\x01 not a workbook")
    assert do_import(field_site, other)[0] == 2
    assert "不是 Excel 文件" in capsys.readouterr().err


def test_domain_option_wins_over_the_titles(field_site: Path, tmp_path: Path, capsys) -> None:
    fixture = shangjie(tmp_path)
    code, out = do_import(field_site, fixture.path, "--domain", "义务教育")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "以下各行属于" not in captured.err and "第 5 行是标题或说明行（「二、就业创业」）" in captured.err
    catalog = load_imported(field_site, out)
    assert [d.name for d in catalog.domains] == ["义务教育"] and len(catalog.leaves) == len(fixture.rows)
