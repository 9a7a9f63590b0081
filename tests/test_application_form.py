"""依申请公开 a resident can use (issue 12, item 3): receiving offices, the 申请表 PDF, the 指南.

条例 第十二条: the 指南 gives the receiving office's name, address, office hours, phone, fax and
internet contact; 第二十九条: what an application contains. Every org page says who receives
for it; the two 申请表 versions are printable A4 PDFs the 指南 links, present in the output.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_TOML, run

OFFICE = """\
office = "测试区人民政府办公室"
office_address = "测试市测试区政和路1号"
office_hours = "工作日 9:00—17:00"
office_postcode = "650000"
office_phone = "0871-60000010"
office_fax = "0871-60000011"
office_email = "zwgk@test.example.gov.cn"
office_url = "https://ysq.test.example.gov.cn/"
"""
GOV_ANCHOR = 'kind = "区政府"\n'


def with_office(toml: str, office: str = OFFICE) -> str:
    """The mini site with ``office`` in the government's [[org]]."""
    assert toml.count(GOV_ANCHOR) == 1
    return toml.replace(GOV_ANCHOR, GOV_ANCHOR + office)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- site.toml: bad office values are site.toml:LINE errors ---------------------------------

BAD = [
    # (name, replace this in OFFICE, with this, the line to report, fragments)
    ("email", 'office_email = "zwgk@test.example.gov.cn"', 'office_email = "zwgk at test.gov.cn"',
     "office_email", ["org[1].office_email", "不是电子邮箱地址"]),
    ("email without domain dot", 'office_email = "zwgk@test.example.gov.cn"', 'office_email = "zwgk@localhost"',
     "office_email", ["org[1].office_email", "不是电子邮箱地址"]),
    ("postcode five digits", 'office_postcode = "650000"', 'office_postcode = "65000"',
     "office_postcode", ["org[1].office_postcode", "不是邮政编码", "6 位数字"]),
    ("postcode as a number", 'office_postcode = "650000"', "office_postcode = 650000",
     "office_postcode", ["org[1].office_postcode", "6 位数字", "英文双引号"]),
    ("url", 'office_url = "https://ysq.test.example.gov.cn/"', 'office_url = "ysq.test.example.gov.cn"',
     "office_url", ["org[1].office_url", "http:// 或 https://"]),
    ("url ftp", 'office_url = "https://ysq.test.example.gov.cn/"', 'office_url = "ftp://ysq.test.gov.cn/"',
     "office_url", ["org[1].office_url", "http:// 或 https://"]),
    ("no name", 'office = "测试区人民政府办公室"\n', "",
     "office_address", ["org[1].office", "缺少受理机构名称"]),
    ("no phone", 'office_phone = "0871-60000010"\n', "",
     'office = "', ["org[1].office_phone", "缺少 office_phone（联系电话）", "第十二条"]),
    ("misspelt key", 'office_fax = "0871-60000011"', 'office_facs = "0871-60000011"',
     "office_facs", ["org[1].office_facs", "未知的配置项", "是不是「office_fax」"]),
]


@pytest.mark.parametrize("name,old,new,needle,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_office_values_are_site_toml_line_errors(mini_site: Path, capsys, name, old, new,
                                                     needle, expected) -> None:
    assert OFFICE.count(old) == 1
    text = with_office(MINI_TOML, OFFICE.replace(old, new))
    (mini_site / "site.toml").write_text(text, encoding="utf-8")
    code = run("check", "--site", str(mini_site), "--today", "2026-11-23")
    err = capsys.readouterr().err
    assert code == 1, err
    line = line_of(text, needle)
    assert f"site.toml:{line}: " in err, err
    for fragment in expected:
        assert fragment in err, (fragment, err)


def test_good_office_loads_and_the_government_receives_for_the_rest(mini_site: Path) -> None:
    from gkpub.content.config import load_config
    from gkpub.util.errors import ErrorList

    (mini_site / "site.toml").write_text(with_office(MINI_TOML), encoding="utf-8")
    errors = ErrorList()
    cfg = load_config(mini_site, errors)
    assert cfg is not None and not errors, errors.report()
    gov, dept = cfg.orgs
    assert gov.office is not None and gov.office.postcode == "650000"
    assert gov.office.url == "https://ysq.test.example.gov.cn/"
    assert dept.office is None
    assert cfg.receiver(dept) is gov and cfg.receiver(gov) is gov
    assert cfg.receiving_orgs == [gov] and cfg.received_by_government == [dept]
