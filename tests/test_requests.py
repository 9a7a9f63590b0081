"""The 依申请公开 register (data/requests/): validation with file:line errors in Chinese, the
deadline findings of 条例 第三十条 and 第三十三条 on hand-worked 2026 cases, the import of an
office's ledger, and the register never reaching the output."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, run

from gkpub.build.channels import BuildContext, PrivateFile, write_channels
from gkpub.compliance.checks import check_site
from gkpub.content.loader import load_site
from gkpub.content.requests import REGISTER_DIR, RESULTS, parse_result
from gkpub.util.errors import BuildFailed

HEADER = ("编号,收到日期,申请人类型,申请方式,补正告知日期,补正收到日期,延期告知日期,答复日期,办理结果,收费金额,"
          "行政复议,行政诉讼\n")
REG = f"{REGISTER_DIR}/2026/区民政局.csv"


def register(site: Path, rows: str, rel: str = REG, header: str = HEADER) -> Path:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + rows, encoding="utf-8")
    return path


def errors_of(site: Path, today: dt.date = dt.date(2026, 11, 23)) -> list[str]:
    with pytest.raises(BuildFailed) as exc:
        load_site(site, today)
    return [e.format() for e in exc.value.errors.sorted()]


def findings_of(site: Path, today: dt.date, kind: str | None = None) -> list:
    report = check_site(load_site(site, today))
    return [f for f in report.findings if kind is None or f.kind == kind]


# ---------------------------------------------------------------- loading and validation

def test_a_valid_register_loads_row_by_row(mini_site: Path) -> None:
    register(mini_site, "A-1,2026-03-16,个人,网上申请,,,,2026/4/3,同意公开,100元,维持,\n"
                        "A-2,2026年5月6日,法律服务机构,当面,,,,,,,,\n")
    site = load_site(mini_site, dt.date(2026, 11, 23))
    a, b = site.requests
    assert (a.case, a.org.short, a.received, a.applicant, a.channel) == ("A-1", "区民政局", dt.date(2026, 3, 16),
                                                                          "自然人", "网络")
    assert (a.replied, a.result.name, a.fee, a.review) == (dt.date(2026, 4, 3), "予以公开", 100.0, "结果维持")
    assert (a.source, a.line) == (REG, 2)
    assert b.received == dt.date(2026, 5, 6) and b.replied is None and b.result is None  # still pending
    assert b.open_at(dt.date(2026, 12, 31))


def test_every_bad_row_is_an_error_with_file_line_and_column(mini_site: Path) -> None:
    register(mini_site,
             "A-1,2026-02-30,自然人,网络,,,,,,,,\n"  # 2: no such day
             "A-2,2026-03-02,法人或其他组织,网络,,,,,,,,\n"  # 3: which kind?
             "A-3,2026-03-02,自然人,飞鸽传书,,,,,,,,\n"  # 4: channel
             "A-4,2026-03-02,自然人,网络,,,,2026-03-20,不予公开,,,\n"  # 5: which 不予公开?
             "A-5,2026-03-02,自然人,网络,,,,2026-03-20,,,,\n"  # 6: reply without result
             "A-6,2026-03-02,自然人,网络,,,,,予以公开,,,\n"  # 7: result without reply
             "A-7,2026-03-10,自然人,网络,,,,2026-03-09,予以公开,,,\n"  # 8: reply before receipt
             "A-8,2026-03-02,自然人,网络,,2026-03-09,,2026-03-20,予以公开,,,\n"  # 9: 补正 received, never asked
             "A-1,2026-03-02,自然人,网络,,,,,,,,\n"  # 10: duplicate number (A-1 failed above: not a duplicate)
             "A-9,2026-03-02,自然人,网络,,,,,,-5,,\n"  # 11: negative fee
             "A-2,2026-03-02,自然人,网络,,,,,,,,\n"  # 12: fine (A-2 above failed)
             "A-2,2026-03-03,自然人,网络,,,,,,,,\n"  # 13: duplicate of line 12
             ",2026-03-02,自然人,网络,,,,,,,,\n"  # 14: no number
             "A-10,2026-03-02,自然人,网络,,,2026-03-25,2026-03-20,予以公开,,,\n"  # 15: extended after the reply
             "A-11,2026-03-02,自然人,网络,,,,2026-03-20,同意公开,,败诉,\n")  # 16: outcome
    errs = errors_of(mini_site)
    expect = [
        (2, "收到日期", "这一天不存在"),
        (3, "申请人类型", "要写明是哪一类：商业企业、科研机构、社会公益组织、法律服务机构、其他"),
        (4, "申请方式", "不是申请方式"),
        (5, "办理结果", "要写明是哪一种情形：「不予公开：属于国家秘密」"),
        (6, "办理结果", "填写了答复日期，但没有办理结果"),
        (7, "答复日期", "填写了办理结果，但没有答复日期"),
        (8, "答复日期", "答复日期 2026-03-09 早于收到日期 2026-03-10"),
        (9, "补正收到日期", "没有补正告知日期"),
        (11, "收费金额", "不能为负数"),
        (13, "编号", f"编号「A-2」已在 {REG} 第 12 行使用"),
        (14, "编号", "没有填写编号"),
        (15, "延期告知日期", "延期告知日期 2026-03-25 晚于答复日期 2026-03-20"),
        (16, "行政复议", "不是复议或诉讼的结果"),
    ]
    for line, column, text in expect:
        assert any(e.startswith(f"{REG}:{line}: 字段「{column}」:") and text in e for e in errs), (line, errs)
    assert len(errs) == len(expect), errs


def test_the_register_as_it_stood_on_the_day(mini_site: Path) -> None:
    register(mini_site, "A-1,2026-03-16,自然人,网络,2026-03-20,2026-03-27,2026-04-08,2026-04-20,予以公开,50,维持,\n"
                        "A-2,2026-05-06,自然人,网络,,,,,,,,\n")
    (a,) = load_site(mini_site, dt.date(2026, 3, 24)).requests  # A-2 not received yet
    assert (a.supplement_asked, a.supplement_received, a.extended, a.replied, a.result) == (
        dt.date(2026, 3, 20), None, None, None, None)
    assert (a.fee, a.review) == (0.0, "")
    assert len(load_site(mini_site, dt.date(2026, 5, 6)).requests) == 2


def test_the_header_is_checked(mini_site: Path) -> None:
    register(mini_site, "A-1,2026-03-02,自然人,张三\n", header="编号,收到日期,申请人类型,申请人姓名\n")
    errs = errors_of(mini_site)
    assert any(e.startswith(f"{REG}:1: 字段「申请人姓名」: 登记表不认识列「申请人姓名」") and "不要放在登记表中" in e
               for e in errs), errs
    assert any("登记表缺少列：答复日期、办理结果" in e for e in errs), errs


def test_the_body_comes_from_the_file_name_or_a_column(mini_site: Path) -> None:
    register(mini_site, "A-1,2026-03-02,自然人,,,,,,,,,\n", rel=f"{REGISTER_DIR}/2026/台账.csv")
    errs = errors_of(mini_site)
    where = f"{REGISTER_DIR}/2026/台账.csv"
    assert any(e.startswith(f"{where}:1: 字段「机关」: 不知道这个登记表属于哪个机关") for e in errs)
    path = register(mini_site, "测试区民政局,A-1,2026-03-02,自然人,,,,,,,,,\n区农业局,A-2,2026-03-02,自然人,,,,,,,,,\n",
                    rel=f"{REGISTER_DIR}/2026/台账.csv", header="机关," + HEADER)
    errs = errors_of(mini_site)
    assert len(errs) == 1 and errs[0].startswith(
        f"{REGISTER_DIR}/2026/台账.csv:3: 字段「机关」: 「区农业局」不在 site.toml 的 [[org]] 中"), errs
    path.write_text("机关," + HEADER + "测试区民政局,A-1,2026-03-02,自然人,,,,,,,,,\n", encoding="utf-8")
    assert load_site(mini_site, dt.date(2026, 11, 23)).requests[0].org.short == "区民政局"


def test_a_spreadsheet_in_the_register_folder_is_refused(mini_site: Path) -> None:
    (mini_site / REGISTER_DIR).mkdir(parents=True)
    (mini_site / REGISTER_DIR / "台账.xlsx").write_bytes(b"PK")
    (mini_site / REGISTER_DIR / "README.md").write_text("说明", encoding="utf-8")  # notes are fine
    errs = errors_of(mini_site)
    assert errs == [f"{REGISTER_DIR}/台账.xlsx: 依申请公开登记表应为 CSV 文件；Excel 表格请用 gkpub import requests "
                    f"台账.xlsx 转换后放在 {REGISTER_DIR}/ 中，再删去原表格"]


def test_gbk_registers_are_read(mini_site: Path) -> None:
    path = mini_site / REG
    path.parent.mkdir(parents=True)
    path.write_bytes((HEADER + "A-1,2026-03-02,自然人,网络,,,,2026-03-06,予以公开,,,\n").encode("gb18030"))
    assert load_site(mini_site, dt.date(2026, 11, 23)).requests[0].result.name == "予以公开"


def test_result_spellings() -> None:
    assert parse_result("（三）不予公开 3.危及\"三安全一稳定\"").name == "不予公开：危及“三安全一稳定”"
    assert parse_result("部分公开（区分处理的，只计这一情形，不计其他情形）").name == "部分公开"
    assert parse_result("本机关不掌握相关政府信息").name == "无法提供：本机关不掌握相关政府信息"
    assert parse_result("逾期不补正").label.startswith("1.申请人无正当理由逾期不补正")
    assert len(RESULTS) == 21 and len({r.name for r in RESULTS}) == 21
    for r in RESULTS:
        assert parse_result(r.name) == r


# ---------------------------------------------------------------- deadlines (worked by hand)
# 2026 calendar: 清明 04-04..06 (Sat–Mon), 劳动节 05-01..05 with 05-09 (Sat) worked.
# Received Mon 2026-03-16: working days 03-17..20 (4), 03-23..27 (9), 03-30..04-03 (14),
# 04-07..10 (18), 04-13 (19), 04-14 (20): the reply is due by 2026-04-14.
# Extended: 20 more from 04-14: 04-15..17 (3), 04-20..24 (8), 04-27..30 (12), 05-06..08 (15),
# 05-09 (16), 05-11..14 (20): due by 2026-05-14.
# 补正 notice: 7 working days from 03-16 is 03-25. Completed application in on Wed 04-01:
# 04-02, 04-03 (2), 04-07..10 (6), 04-13..17 (11), 04-20..24 (16), 04-27..30 (20): due 04-30.

CASES = [
    # (number, row after the 编号, finding kind or None)
    ("T-1", "2026-03-16,自然人,网络,,,,2026-04-14,予以公开,,,", None),
    ("T-2", "2026-03-16,自然人,网络,,,,2026-04-15,予以公开,,,", "request_late"),
    ("T-3", "2026-03-16,自然人,网络,,,2026-04-10,2026-05-14,予以公开,,,", None),
    ("T-4", "2026-03-16,自然人,网络,,,2026-04-10,2026-05-15,予以公开,,,", "request_late"),
    ("T-5", "2026-03-16,自然人,网络,,,2026-04-15,2026-05-14,予以公开,,,", "request_late"),  # extension too late
    ("T-6", "2026-03-16,自然人,网络,2026-03-25,2026-04-01,,2026-04-30,部分公开,,,", None),
    ("T-7", "2026-03-16,自然人,网络,2026-03-26,2026-04-01,,2026-04-30,部分公开,,,", "request_supplement_late"),
    ("T-8", "2026-03-16,自然人,网络,2026-03-25,2026-04-01,,2026-05-06,部分公开,,,", "request_late"),
    # asked to complete, never did: no reply period runs; closed as 逾期不补正
    ("T-9", "2026-03-16,自然人,网络,2026-03-20,,,2026-06-30,逾期不补正,,,", None),
]


@pytest.mark.parametrize("case,row,kind", CASES, ids=[c[0] for c in CASES])
def test_reply_and_supplement_deadlines(mini_site: Path, case: str, row: str, kind: str | None) -> None:
    register(mini_site, f"{case},{row}\n")
    found = findings_of(mini_site, dt.date(2026, 11, 23))
    assert [f.kind for f in found if f.kind.startswith("request")] == ([kind] if kind else [])


def test_late_messages_say_what_was_due_and_by_how_much(mini_site: Path) -> None:
    register(mini_site, "T-2,2026-03-16,自然人,网络,,,,2026-04-15,予以公开,,,\n"
                        "T-5,2026-03-16,自然人,网络,,,2026-04-15,2026-05-14,予以公开,,,\n"
                        "T-8,2026-03-16,自然人,网络,2026-03-25,2026-04-01,,2026-05-06,部分公开,,,\n"
                        "T-7,2026-03-16,自然人,网络,2026-03-26,2026-04-01,,2026-04-30,部分公开,,,\n")
    found = findings_of(mini_site, dt.date(2026, 11, 23))
    msgs = {f.line: f for f in found if f.file == REG}
    assert sorted(msgs) == [2, 3, 4, 5] and len([f for f in found if f.file == REG]) == 4
    assert msgs[2].message == ("区民政局编号 T-2 的申请：2026-03-16 收到申请，答复期限20个工作日，"
                               "最迟应于 2026-04-14 答复，实际 2026-04-15 答复，逾期 1 个工作日（条例第三十三条）")
    assert "延期告知日期 2026-04-15 已在原期限 2026-04-14 之后，延期不成立" in msgs[3].message
    assert "2026-04-01 收到补正后的申请" in msgs[4].message and "最迟应于 2026-04-30" in msgs[4].message
    assert "逾期 1 个工作日" in msgs[4].message  # 05-01..05 are holidays: 05-06 is one working day late
    assert msgs[5].kind == "request_supplement_late" and "最迟 2026-03-25" in msgs[5].message
    for f in msgs.values():
        assert (f.file, f.public, f.url) == (REG, False, "")  # the register is private: never on a public page


def test_an_open_case_is_late_once_today_is_past_its_deadline(mini_site: Path) -> None:
    register(mini_site, "T-1,2026-03-16,自然人,网络,,,,,,,,\n")
    assert findings_of(mini_site, dt.date(2026, 4, 14), "request_late") == []
    late = findings_of(mini_site, dt.date(2026, 4, 15), "request_late")
    assert len(late) == 1 and "截至 2026-04-15 仍未答复" in late[0].message


def test_the_year_without_a_calendar_is_reported_only_when_it_matters(mini_site: Path) -> None:
    # Received Mon 2026-12-21: 20 working days run into 2027, which has no calendar yet.
    # Known working days after 12-21 in 2026: 12-22..25, 12-28..31 = 8.
    # Y-1 replied 12-31: 8 working days, on time whatever 2027 holds.
    # Y-2 still open on 2027-01-04: at most 8 + 3 (01-01..03, unknown) = 11 < 20: on time.
    # Y-3 补正 notice 12-31: 7 working days end 12-30, so it is one day late: decided in 2026.
    # Y-4 still open on 2027-03-02: 8 known + up to 60 unknown days: depends on 2027.
    # Y-5 replied 2027-03-01: 8 known + up to 59 unknown; late only if 2027 has >= 12 working
    #     days before 03-01 (it surely does, but without a calendar gkpub does not guess).
    register(mini_site, "Y-1,2026-12-21,自然人,网络,,,,2026-12-31,予以公开,,,\n"
                        "Y-2,2026-12-21,自然人,网络,,,,,,,,\n"
                        "Y-3,2026-12-21,自然人,网络,2026-12-31,,,,,,,\n")
    found = findings_of(mini_site, dt.date(2027, 1, 4))
    got = sorted((f.line, f.kind) for f in found if f.file == REG)
    assert got == [(4, "request_supplement_late")], found
    register(mini_site, "Y-4,2026-12-21,自然人,网络,,,,,,,,\n"
                        "Y-5,2026-12-21,自然人,网络,,,,2027-03-01,予以公开,,,\n")
    found = findings_of(mini_site, dt.date(2027, 3, 2))
    got = sorted((f.line, f.kind) for f in found if f.file == REG)
    assert got == [(2, "no_calendar"), (3, "no_calendar")], found
    assert "2027 年" in found[0].message


# ---------------------------------------------------------------- never published

def test_the_register_never_reaches_the_output(mini_site: Path, tmp_path: Path) -> None:
    register(mini_site, "SECRET-7731,2026-03-16,自然人,网络,,,,2026-04-14,予以公开,,,\n")
    out = tmp_path / "public"
    assert run("build", "--site", str(mini_site), "--out", str(out), "--today", "2026-11-23", "--no-search") == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    assert any(p.suffix == ".csv" for p in files)  # open data has CSV files; none of them is the register
    assert not any(b"SECRET-7731" in p.read_bytes() or "申请人类型".encode() in p.read_bytes() for p in files)
    assert not any("requests" in p.relative_to(out).as_posix() for p in files)


def test_an_attachment_leading_into_the_register_is_refused(mini_site: Path, capsys) -> None:
    register(mini_site, "A-1,2026-03-16,自然人,网络,,,,2026-04-14,予以公开,,,\n")
    files = mini_site / "content" / "items" / "yanglao" / "files"
    files.mkdir()
    os.symlink(os.path.relpath(mini_site / REG, files), files / "tongji.csv")
    item = mini_site / "content" / "items" / "yanglao" / "policy.md"
    item.write_text(item.read_text(encoding="utf-8").replace("---\n正文", "附件: [files/tongji.csv]\n---\n正文", 1),
                    encoding="utf-8")
    errs = errors_of(mini_site)
    assert any("字段「附件」" in e and f"符号链接指向 {REG}" in e for e in errs), errs


def test_the_build_refuses_to_copy_a_register_file(mini_site: Path, tmp_path: Path, capsys) -> None:
    path = register(mini_site, "A-1,2026-03-16,自然人,网络,,,,2026-04-14,予以公开,,,\n")
    site = load_site(mini_site, dt.date(2026, 11, 23))

    class Leaky:
        name = "测试通道"

        def files(self, ctx: BuildContext):
            yield "assets/a.txt", b"fine"
            yield "assets/tongji.csv", path

    put: list[str] = []

    class Sink:
        def put(self, rel: str, payload: object) -> None:
            put.append(rel)

    ctx = BuildContext(site=site, renderer=None, report=None, page_paths=[], layouts=[],  # type: ignore[arg-type]
                       out_dir=tmp_path)
    with pytest.raises(PrivateFile, match="依申请公开登记表"):
        write_channels([Leaky()], ctx, Sink())
    assert put == ["assets/a.txt"]
    # and through the theme: a site asset that is a link to the register stops the build
    assets = mini_site / "layouts" / "assets"
    assets.mkdir(parents=True)
    os.symlink(path, assets / "tongji.csv")
    out = tmp_path / "public"
    assert run("build", "--site", str(mini_site), "--out", str(out), "--today", "2026-11-23", "--no-search") == 2
    assert "依申请公开登记表" in capsys.readouterr().err
    assert not (out / "assets" / "tongji.csv").exists()


def test_the_demo_register_is_never_published(demo_public: Path) -> None:
    cases = [line.split(",")[0] for p in (REPO / REGISTER_DIR).rglob("*.csv")
             for line in p.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert len(cases) >= 10
    files = [p for p in demo_public.rglob("*") if p.is_file()]
    assert not any(b"RS-2026-0" in p.read_bytes() or "申请人类型".encode() in p.read_bytes() for p in files)


def test_the_demo_register_has_its_deliberate_findings() -> None:
    report = check_site(load_site(REPO, dt.date(2026, 11, 23)))
    late = [f for f in report.findings if f.kind == "request_late"]
    assert [(f.file, f.line) for f in late] == [(f"{REGISTER_DIR}/2026/区民政局.csv", 4)]
    assert "最迟应于 2026-05-13 答复，实际 2026-05-29 答复" in late[0].message
    supplement = [f for f in report.findings if f.kind == "request_supplement_late"]
    assert [(f.file, f.line) for f in supplement] == [(f"{REGISTER_DIR}/2026/区人社局.csv", 4)]


# ---------------------------------------------------------------- import from an office's ledger

def ledger(path: Path, rows: list[list[object]]) -> Path:
    """A ledger as an office keeps it: a title row, a two-row header with 补正 merged over its
    two dates, the applicant's name and phone (not imported), real Excel dates and typed ones."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年台账"
    ws.append(["测试区民政局政府信息公开申请登记台账（2026年）"])
    ws.merge_cells("A1:K1")
    ws.append(["序号", "申请人姓名", "联系电话", "申请人类别", "申请渠道", "收到申请日期", "补正", "",
               "答复日期", "答复结果", "备注"])
    ws.append(["", "", "", "", "", "", "告知日期", "收到日期", "", "", ""])
    ws.merge_cells("G2:H2")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def imports(src: Path, site: Path, *extra: str) -> int:
    return run("import", "requests", str(src), "--site", str(site), "--today", "2026-11-23", *extra)


def test_import_an_office_ledger(mini_site: Path, tmp_path: Path, capsys) -> None:
    src = ledger(tmp_path / "台账.xlsx", [
        [1, "张某", "13800000000", "个人", "网上申请", dt.datetime(2026, 3, 16), None, None, "2026.4.3", "同意公开",
         ""],
        [2, "某律所", "0871-1", "律师事务所", "来信", "2026年5月6日", "2026-05-08", "2026-05-12", "2026-05-29",
         "（四）无法提供 1.本机关不掌握相关政府信息", "已告知"],
        [3, "李某", "", "自然人", "当面", "2025-12-29", None, None, "2026-01-08", "部分公开", ""],
        [None, None, None, None, None, None, None, None, None, None, None],
    ])
    assert imports(src, mini_site, "--org", "区民政局") == 0
    cap = capsys.readouterr()
    assert "未导入的列：申请人姓名、联系电话" in cap.err
    assert "已导入 3 件申请" in cap.out
    text = (mini_site / REG).read_text(encoding="utf-8-sig")
    assert text.splitlines() == [
        "编号,收到日期,申请人类型,申请方式,补正告知日期,补正收到日期,延期告知日期,答复日期,办理结果,收费金额,行政复议,行政诉讼,备注",
        "2026-001,2026-03-16,自然人,网络,,,,2026-04-03,予以公开,,,,",
        "2026-002,2026-05-06,法律服务机构,信函,2026-05-08,2026-05-12,,2026-05-29,无法提供：本机关不掌握相关政府信息,,,,已告知",
    ]
    assert (mini_site / REGISTER_DIR / "2025" / "区民政局.csv").read_text(encoding="utf-8-sig").splitlines()[1] == \
        "2025-003,2025-12-29,自然人,当面,,,,2026-01-08,部分公开,,,,"
    for p in (mini_site / REGISTER_DIR).rglob("*.csv"):
        assert "张某" not in p.read_text(encoding="utf-8-sig") and "138" not in p.read_text(encoding="utf-8-sig")
    assert len(load_site(mini_site, dt.date(2026, 11, 23)).requests) == 3
    # a second import does not overwrite without --force
    assert imports(src, mini_site, "--org", "区民政局") == 1
    assert "已存在" in capsys.readouterr().err
    assert imports(src, mini_site, "--org", "区民政局", "--force") == 0


def test_import_reports_every_bad_row_and_writes_nothing(mini_site: Path, tmp_path: Path, capsys) -> None:
    src = ledger(tmp_path / "台账.xlsx", [
        [1, "", "", "个人", "网上", "2026-03-16", None, None, "2026-04-03", "同意", ""],
        [2, "", "", "外星人", "网上", "2026-13-01", None, None, "", "", ""],
    ])
    assert imports(src, mini_site, "--org", "区民政局") == 1
    err = capsys.readouterr().err
    assert "台账.xlsx[2026年台账]:4: 字段「办理结果」: 「同意」不是年度报告格式中的办理结果" in err
    assert "台账.xlsx[2026年台账]:5: 字段「收到日期」" in err and "台账.xlsx[2026年台账]:5: 字段「申请人类型」" in err
    assert "未写入任何文件" in err
    assert not (mini_site / REGISTER_DIR).exists()


def test_import_needs_the_body(mini_site: Path, tmp_path: Path, capsys) -> None:
    src = ledger(tmp_path / "台账.xlsx", [[1, "", "", "个人", "网上", "2026-03-16", None, None, "", "", ""]])
    assert run("import", "requests", str(src), "--site", str(mini_site), "--today", "2026-11-23") == 1
    assert "没有用 --org 指定台账所属的机关" in capsys.readouterr().err
    assert run("import", "requests", str(src), "--org", "区农业局", "--site", str(mini_site)) == 2
    assert "--org「区农业局」不在 site.toml 的 [[org]] 中" in capsys.readouterr().err
