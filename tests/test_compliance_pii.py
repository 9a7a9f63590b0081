"""Unmasked personal data is a content error naming file, line, field and the masked form."""
from __future__ import annotations

from pathlib import Path

from compliance_helpers import TODAY, add_item, append_toml
from conftest import run, tree_digest
from gkpub.pii import id_check_char, luhn_ok

ID17 = "43070219800101123"
ID = ID17 + id_check_char(ID17)
ID_MASKED = ID[:4] + "*" * 10 + ID[-4:]
MOBILE = "13812345678"


def build(site: Path, capsys) -> tuple[int, str]:
    code = run("build", "--site", str(site), "--today", TODAY, "--no-search")
    return code, capsys.readouterr().err


def test_id_number_in_body_with_line_and_masked_form(mini_site: Path, capsys) -> None:
    assert build(mini_site, capsys)[0] == 0
    before = tree_digest(mini_site / "public")
    add_item(mini_site, "list.md", 2, body=f"| 姓名 | 身份证号 |\n| --- | --- |\n| 张三 | {ID} |\n")
    code, err = build(mini_site, capsys)
    assert code == 1
    # front matter: lines 1–7, body from line 8; the ID is on the body's third line
    assert (f"content/items/yanglao/list.md:10: 字段「正文」: 发现未遮蔽的身份证号「{ID}」；"
            f"请改为「{ID_MASKED}」") in err
    assert tree_digest(mini_site / "public") == before  # nothing published


def test_front_matter_values_are_scanned(mini_site: Path, capsys) -> None:
    add_item(mini_site, "a.md", 2, 摘要=f"联系人电话 {MOBILE}", 关键词=f"[低保, {ID}]")
    code, err = build(mini_site, capsys)
    assert code == 1
    assert f"a.md:7: 字段「摘要」: 发现未遮蔽的手机号「{MOBILE}」；请改为「138****5678」" in err
    assert f"a.md:8: 字段「关键词」: 发现未遮蔽的身份证号「{ID}」" in err


def test_masked_numbers_landlines_and_hotlines_pass(mini_site: Path, capsys) -> None:
    add_item(mini_site, "ok.md", 2, 摘要="咨询电话 0871-60000002，热线 12345",
             body=f"| 张三 | {ID_MASKED} | 138****5678 |\n\n索引号 11530000MB0000002B/2026-00002\n")
    assert build(mini_site, capsys)[0] == 0


def test_allow_list_in_site_toml(mini_site: Path, capsys) -> None:
    add_item(mini_site, "hotline.md", 2, body=f"服务热线：{MOBILE}\n")
    assert build(mini_site, capsys)[0] == 1
    append_toml(mini_site, f'[privacy]\nallow = ["{MOBILE}"]\n')
    assert build(mini_site, capsys)[0] == 0


def test_privacy_table_is_checked(mini_site: Path, capsys) -> None:
    append_toml(mini_site, '[privacy]\nalow = ["13812345678"]\n')
    code, err = build(mini_site, capsys)
    assert code == 1
    lines = (mini_site / "site.toml").read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert f"site.toml:{len(lines)}: 字段「privacy.alow」: 未知的配置项；是不是「allow」？" in err


def test_privacy_allow_must_be_a_list_of_strings(mini_site: Path, capsys) -> None:
    append_toml(mini_site, "[privacy]\nallow = 13812345678\n")
    code, err = build(mini_site, capsys)
    assert code == 1 and "字段「privacy.allow」: 应为文字列表" in err


def test_fixed_pages_are_scanned_too(mini_site: Path, capsys) -> None:
    guide = mini_site / "content" / "pages" / "guide.md"
    guide.parent.mkdir(parents=True)
    guide.write_text(f"---\n标题: 政府信息公开指南\n---\n联系人：王五，手机 {MOBILE}\n", encoding="utf-8")
    code, err = build(mini_site, capsys)
    assert code == 1 and "content/pages/guide.md:4: 字段「正文」: 发现未遮蔽的手机号" in err


def test_bank_card_in_body(mini_site: Path, capsys) -> None:
    head = "622202020011223344"
    card = next(head + d for d in "0123456789" if luhn_ok(head + d))
    add_item(mini_site, "card.md", 2, body=f"账户：{card}\n")
    code, err = build(mini_site, capsys)
    assert code == 1 and "card.md:8: 字段「正文」: 发现未遮蔽的银行卡号" in err
    assert f"请改为「622202*********{card[-4:]}」" in err
