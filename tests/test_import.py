"""`gkpub import catalog`: both sheet styles with merged cells and checkboxes, CSV, errors, round trip."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, run

from gkpub.content.catalog import load_catalog
from gkpub.content.catalog_table import element_value
from gkpub.content.config import load_config
from gkpub.content.model import Catalog
from gkpub.content.schema import INHERITED_KEYS
from gkpub.importer.values import is_checked, options, single
from gkpub.util.errors import ErrorList

# ---------------------------------------------------------------- fixtures

SHULI_HEADER = ["一级目录", "二级目录", "三级目录", "过程", "项目类别", "公开标准", "公开依据", "公开主体",
                "公开方式", "", "公开时限", "公开格式", "监督方式"]
SHULI_SUB = ["", "", "", "", "", "", "", "", "主动", "依申请", "", "", ""]
SHULI_ROWS = [
    ["养老服务", "高龄津贴", "政策文件", "决策", "行政给付", "1.补贴对象 2.补贴标准",
     "《中华人民共和国老年人权益保障法》", "区民政局", "■", "□", "自信息形成或变更之日起20个工作日内", "文本",
     "0871-60000002"],
    ["", "", "发放名单", "结果公开", "行政给付类", "姓名、补贴金额", "《中华人民共和国老年人权益保障法》",
     "测试区民政局", "√", "", "5个工作日", "文本、图表", "0871-60000002"],
    ["", "养老机构", "备案信息", "管理", "其他行政行为", "机构名称；地址；床位数", "《养老机构管理办法》",
     "测试区民政局", "□", "■", "即时", "图表", "0871-60000002"],
    ["社会救助", "最低生活保障", "审核确认公示", "结果", "行政给付", "1. 姓名 2. 保障人数", "《社会救助暂行办法》",
     "测试区民政局", "■", "□", "20个工作日", "文本", "0871-60000002"],
]


def shuli_xlsx(path: Path, rows: list[list[str]] = SHULI_ROWS) -> Path:
    """A 梳理表: two-row header (公开方式 over 主动 | 依申请), domains and matters merged down."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "标准目录梳理表"
    ws.append(SHULI_HEADER)
    ws.append(SHULI_SUB)
    for row in rows:
        ws.append([v or None for v in row])
    for col in "ABCDEFGHKLM":  # single headers span both header rows
        ws.merge_cells(f"{col}1:{col}2")
    ws.merge_cells("I1:J1")
    ws.merge_cells("A3:A5")  # 养老服务 over three rows
    ws.merge_cells("B3:B4")  # 高龄津贴 over two
    wb.save(path)
    return path


def db31_xlsx(path: Path, extra_rows: list[list[str]] = ()) -> Path:
    """DB31/T 1297 style: title row, header with 公开事项 / 公开对象 / 公开方式 / 公开层级 groups."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "养老服务"
    ws.append(["测试区养老服务领域基层政务公开标准目录"] + [None] * 15)
    ws.merge_cells("A1:P1")
    ws.append(["序号", "类别", "公开事项", None, "公开内容（要素）", "公开依据", "公开时限", "公开主体",
               "公开渠道和载体", "公开对象", None, "公开方式", None, "公开层级", None, None])
    ws.append([None, None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定对象",
               "主动", "依申请", "市级", "区级", "街镇"])
    for col in "ABEFGHI":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("C2:D2")
    ws.merge_cells("J2:K2")
    ws.merge_cells("L2:M2")
    ws.merge_cells("N2:P2")
    rows = [
        [1, "公共服务事项", "高龄津贴", "办事指南", "1.申领条件\n2.申请材料", "《中华人民共和国老年人权益保障法》",
         "20个工作日", "区民政局", "政府网站、政务新媒体、公开栏", "■", "□", "■", "□", "□", "■", "■"],
        [2, None, None, "发放名单", "1.姓名（脱敏）2.补贴标准", "《中华人民共和国老年人权益保障法》",
         "5个工作日", "区民政局", "政府网站、公示栏", "□", "■", "■", "□", "□", "■", "□"],
        [3, None, "养老机构监管", "监督检查结果", "1.检查时间 2.检查结果", "《养老机构管理办法》",
         "20个工作日", "区民政局", "政府网站", "■", "□", "■", "■", "□", "■", "□"],
        *extra_rows,
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("B4:B6")  # 类别 over every row
    ws.merge_cells("C4:C5")  # 高龄津贴 over two rows
    wb.save(path)
    return path


def load_imported(site: Path, out: Path) -> Catalog:
    target = site / "content" / "catalog"
    shutil.rmtree(target)
    shutil.copytree(out, target)
    errors = ErrorList(root=site)
    cfg = load_config(site, errors)
    catalog = load_catalog(site, cfg, errors)
    assert not errors, errors.report()
    return catalog


def leaf_map(catalog: Catalog) -> dict[str, dict]:
    return {leaf.path: leaf.elements for leaf in catalog.leaves}


def do_import(site: Path, sheet: Path, *extra: str) -> tuple[int, Path]:
    out = site.parent / "imported"
    return run("import", "catalog", str(sheet), "--site", str(site), "--out", str(out), *extra), out


# ---------------------------------------------------------------- the two styles

def test_shuli_sheet_with_merged_cells_and_checkboxes(mini_site: Path, tmp_path: Path, capsys) -> None:
    code, out = do_import(mini_site, shuli_xlsx(tmp_path / "梳理表.xlsx"))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "「监督方式」列未导入" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["d02.yaml", "yanglao.yaml"]  # 养老服务 keeps its slug
    leaves = leaf_map(load_imported(mini_site, out))
    assert set(leaves) == {"养老服务/高龄津贴/政策文件", "养老服务/高龄津贴/发放名单", "养老服务/养老机构/备案信息",
                           "社会救助/最低生活保障/审核确认公示"}
    policy = leaves["养老服务/高龄津贴/政策文件"]
    assert policy["过程"] == "决策" and policy["事项类型"] == "行政给付"
    assert policy["要素"] == ["补贴对象", "补贴标准"] and policy["公开方式"] == "主动公开"
    assert policy["公开主体"] == "测试区民政局"  # short name → official name
    names = leaves["养老服务/高龄津贴/发放名单"]
    assert names["过程"] == "结果" and names["事项类型"] == "行政给付" and names["公开格式"] == ["文本", "图表"]
    assert names["要素"] == ["姓名", "补贴金额"] and names["公开时限"] == "5个工作日"
    filing = leaves["养老服务/养老机构/备案信息"]
    assert filing["公开方式"] == "依申请公开" and filing["要素"] == ["机构名称", "地址", "床位数"]
    assert leaves["社会救助/最低生活保障/审核确认公示"]["要素"] == ["姓名", "保障人数"]


def test_db31_sheet_with_groups_title_row_and_inferred_stage(mini_site: Path, tmp_path: Path, capsys) -> None:
    code, out = do_import(mini_site, db31_xlsx(tmp_path / "db31.xlsx"), "--slug", "养老服务=yanglao")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "第 1 行是标题或说明行" not in captured.err  # the title is above the header
    assert "已按名称推断" in captured.err
    catalog = load_imported(mini_site, out)
    assert [d.slug for d in catalog.domains] == ["yanglao"] and catalog.domains[0].category == "公共服务事项"
    leaves = leaf_map(catalog)
    assert list(leaves) == ["养老服务/高龄津贴/办事指南", "养老服务/高龄津贴/发放名单",
                            "养老服务/养老机构监管/监督检查结果"]
    guide = leaves["养老服务/高龄津贴/办事指南"]
    assert guide["过程"] == "服务" and guide["要素"] == ["申领条件", "申请材料"]
    assert guide["公开渠道"] == ["政府网站", "两微一端", "社区/村/企事业单位公示栏"]
    assert guide["公开对象"] == "全社会" and guide["公开方式"] == "主动公开"
    assert guide["公开层级"] == ["区县级", "街镇级"]
    names = leaves["养老服务/高龄津贴/发放名单"]
    assert names["过程"] == "结果" and names["公开对象"] == "特定对象" and names["要素"] == ["姓名（脱敏）", "补贴标准"]
    check = leaves["养老服务/养老机构监管/监督检查结果"]
    assert check["公开方式"] == "主动公开"  # both ticked: the wider one
    assert "推断，请核对" in (out / "yanglao.yaml").read_text(encoding="utf-8")


def test_csv_with_blank_cells_for_merges(mini_site: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "梳理表.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(SHULI_HEADER)
        w.writerow(SHULI_SUB)
        w.writerows(SHULI_ROWS)
    code, out = do_import(mini_site, path)
    assert code == 0, capsys.readouterr().err
    leaves = leaf_map(load_imported(mini_site, out))
    assert "养老服务/高龄津贴/发放名单" in leaves and "养老服务/养老机构/备案信息" in leaves
    assert leaves["养老服务/养老机构/备案信息"]["公开方式"] == "依申请公开"


def test_gbk_csv_is_read(mini_site: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "gbk.csv"
    text = "一级目录,二级目录,三级目录,过程,公开主体,公开依据\n养老服务,高龄津贴,政策文件,决策,区民政局,《条例》\n"
    path.write_bytes(text.encode("gbk"))
    code, out = do_import(mini_site, path)
    assert code == 0, capsys.readouterr().err
    assert "养老服务/高龄津贴/政策文件" in leaf_map(load_imported(mini_site, out))


# ---------------------------------------------------------------- rows that cannot be read

def test_unreadable_rows_are_reported_with_row_numbers_and_nothing_is_written(
        mini_site: Path, tmp_path: Path, capsys) -> None:
    rows = [list(r) for r in SHULI_ROWS]
    rows[1][3] = "决定"  # row 4: not a stage
    rows[2][8] = "x"  # row 5: not a checkbox
    rows[3][2] = ""  # row 6: no leaf name
    rows.append(["社会救助", "临时救助", "办事指南", "服务", "行政给付", "", "", "某某局", "■", "", "", "", ""])
    code, out = do_import(mini_site, shuli_xlsx(tmp_path / "bad.xlsx", rows))
    err = capsys.readouterr().err
    assert code == 1
    assert "bad.xlsx[标准目录梳理表]:4: 字段「过程」: 「决定」不是五公开环节" in err
    assert "bad.xlsx[标准目录梳理表]:5: 字段「公开方式/主动」: 应为 ■（是）或 □（否），实际是「x」" in err
    assert "bad.xlsx[标准目录梳理表]:6: 字段「公开内容」: 缺少公开内容（三级事项）名称" in err
    assert "bad.xlsx[标准目录梳理表]:7: 字段「公开主体」: 「某某局」不是允许的值" in err
    assert "共 4 处无法导入" in err and "未写入任何文件" in err
    assert not out.exists()


def test_stage_that_cannot_be_inferred_needs_the_option(mini_site: Path, tmp_path: Path, capsys) -> None:
    extra = [[4, None, "其他事项", "年度情况报表", "1.报表", "《养老机构管理办法》", "20个工作日", "区民政局",
              "政府网站", "■", "□", "■", "□", "□", "■", "□"]]
    extra[0][3] = "其他信息"
    sheet = db31_xlsx(tmp_path / "db31.xlsx", extra)
    code, _ = do_import(mini_site, sheet)
    assert code == 1
    assert "db31.xlsx[养老服务]:7: 字段「过程」: 缺少过程，也无法从名称推断" in capsys.readouterr().err
    code, out = do_import(mini_site, sheet, "--stage", "执行")
    assert code == 0, capsys.readouterr().err
    assert leaf_map(load_imported(mini_site, out))["养老服务/其他事项/其他信息"]["过程"] == "执行"


def test_existing_files_need_force_and_slugs_are_reused(mini_site: Path, tmp_path: Path, capsys) -> None:
    sheet = shuli_xlsx(tmp_path / "梳理表.xlsx")
    out = mini_site / "content" / "catalog"
    code = run("import", "catalog", str(sheet), "--site", str(mini_site))
    err = capsys.readouterr().err
    assert code == 1 and "yanglao.yaml" in err and "--force" in err  # 养老服务 is yanglao.yaml in the site
    code = run("import", "catalog", str(sheet), "--site", str(mini_site), "--force")
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["d02.yaml", "yanglao.yaml"]


# ---------------------------------------------------------------- round trip

def effective(catalog: Catalog) -> list[tuple]:
    keys = INHERITED_KEYS + ("要素", "类别", "更新周期")
    return [(leaf.domain.name, leaf.domain.slug, leaf.domain.description, leaf.domain.category,
             leaf.matter.name, leaf.matter.code, leaf.name, leaf.code,
             {k: element_value(leaf, k) for k in keys})
            for leaf in catalog.leaves]


@pytest.mark.parametrize("name", ["catalog.xlsx", "catalog.csv"])
def test_round_trip_export_import_gives_the_same_catalogue(demo_public: Path, tmp_path: Path, name: str,
                                                           capsys) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "layouts", site / "layouts")  # the mark images site.toml names
    shutil.copytree(REPO / "content" / "catalog", site / "content" / "catalog")
    errors = ErrorList(root=site)
    cfg = load_config(site, errors)
    original = load_catalog(site, cfg, errors)
    code, out = do_import(site, demo_public / "data" / name)
    assert code == 0, capsys.readouterr().err
    again = load_imported(site, out)
    assert effective(again) == effective(original)
    assert sorted(p.stem for p in out.iterdir()) == sorted(d.slug for d in original.domains)


def test_import_is_deterministic(mini_site: Path, tmp_path: Path, capsys) -> None:
    sheet = db31_xlsx(tmp_path / "db31.xlsx")
    first = mini_site.parent / "imported"
    assert do_import(mini_site, sheet)[0] == 0
    texts = {p.name: p.read_text(encoding="utf-8") for p in first.iterdir()}
    shutil.rmtree(first)
    assert do_import(mini_site, sheet)[0] == 0
    assert {p.name: p.read_text(encoding="utf-8") for p in first.iterdir()} == texts


def test_checkbox_marks_inside_one_cell() -> None:
    assert single("公开方式", options("公开方式", "■主动公开 □依申请公开")) == "主动公开"
    assert single("公开方式", options("公开方式", "□主动 √依申请")) == "依申请公开"
    assert options("公开层级", "☑县级 ☐乡级 ■村（社区）") == ["区县级", "村/社区"]
    assert is_checked("✓") and not is_checked("□") and not is_checked("")
    with pytest.raises(ValueError):
        is_checked("可能")
