"""Unmasked personal data: IDs, mobiles, bank cards; and what must not be flagged."""
from __future__ import annotations

import pytest

from gkpub.pii import PiiHit, mask, scan


# Reference implementations written here, independent of gkpub.pii.
def id18(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def wrong_check(valid: str) -> str:
    last = valid[-1]
    return valid[:-1] + ("1" if last != "1" else "2")


def luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        s = prefix + d
        total = 0
        for i, c in enumerate(reversed(s)):
            n = int(c) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return s
    raise AssertionError


def kinds(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in scan(text)]


ID_A = id18("43070219900101123")      # check char computed above
ID_X = next(id18(f"11010519850620{n:03d}") for n in range(1000)
            if id18(f"11010519850620{n:03d}").endswith("X"))
CARD16 = luhn_complete("622202123456789")
CARD19 = luhn_complete("621700123456789012")


def test_reference_values_look_right() -> None:
    assert len(ID_A) == 18 and len(ID_X) == 18 and ID_X.endswith("X")
    assert len(CARD16) == 16 and len(CARD19) == 19


def test_valid_id_is_found_and_wrong_check_digit_is_not() -> None:
    assert kinds(f"身份证号：{ID_A}。") == [("身份证号", ID_A)]
    assert kinds(f"身份证号：{wrong_check(ID_A)}。") == []
    assert kinds(f"{ID_X}") == [("身份证号", ID_X)]
    assert kinds(f"{ID_X.lower()}") == [("身份证号", ID_X.lower())]
    assert kinds(f"{ID_X[:-1]}5") == []


def test_id_needs_plausible_birth_date() -> None:
    assert kinds(id18("43070218990101123")) == []   # born 1899
    assert kinds(id18("43070219901301123")) == []   # month 13
    assert kinds(id18("43070219900230123")) == []   # 30 February
    assert kinds(id18("43070230000101123")) == []   # born in 3000
    assert kinds(id18("00070219900101123")) == []   # no such province


def test_fifteen_digit_id() -> None:
    old = "430702900101123"   # 1990-01-01
    assert kinds(f"旧证 {old}") == [("身份证号", old)]
    assert kinds("430702901301123") == []  # month 13
    assert kinds("430702900132123") == []  # day 32
    assert scan(old)[0].masked == "4307*******1123"


def test_mask_forms() -> None:
    assert mask(ID_A, "身份证号") == ID_A[:4] + "*" * 10 + ID_A[-4:]
    assert mask("13812345678", "手机号") == "138****5678"
    assert mask(CARD16, "银行卡号") == CARD16[:6] + "*" * 6 + CARD16[-4:]
    assert mask(CARD19, "银行卡号") == CARD19[:6] + "*" * 9 + CARD19[-4:]
    assert mask("138-1234-5678", "手机号") == "138-****-5678"
    assert mask("+86 138 1234 5678", "手机号") == "+86 138 **** 5678"
    with pytest.raises(ValueError):
        mask("123", "护照号")


@pytest.mark.parametrize("text,value,masked", [
    ("联系电话：13812345678", "13812345678", "138****5678"),
    ("电话19912345678。", "19912345678", "199****5678"),
    ("138-1234-5678", "138-1234-5678", "138-****-5678"),
    ("138 1234 5678", "138 1234 5678", "138 **** 5678"),
    ("+86 138 1234 5678", "+86 138 1234 5678", "+86 138 **** 5678"),
    ("+8613812345678", "+8613812345678", "+86138****5678"),
    ("(+86)13812345678", "(+86)13812345678", "(+86)138****5678"),
    ("手机１３８１２３４５６７８", "１３８１２３４５６７８", "138****5678"),
])
def test_mobiles_found(text: str, value: str, masked: str) -> None:
    hits = scan(text)
    assert [(h.kind, h.value, h.masked) for h in hits] == [("手机号", value, masked)]


def test_two_mobiles_separated_by_slash() -> None:
    assert [h.value for h in scan("13812345678/13912345678")] == ["13812345678", "13912345678"]


@pytest.mark.parametrize("text", [
    "12812345678",        # 12x is not a mobile prefix
    "1381234567",         # 10 digits
    "138123456789",       # 12 digits
    "138-12345678",       # inconsistent grouping
])
def test_not_mobiles(text: str) -> None:
    assert scan(text) == []


def test_cards_luhn_valid_vs_invalid() -> None:
    assert kinds(f"卡号 {CARD16}") == [("银行卡号", CARD16)]
    assert kinds(f"卡号 {CARD19}") == [("银行卡号", CARD19)]
    bad16 = CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10)
    assert kinds(f"卡号 {bad16}") == []
    grouped = " ".join(CARD16[i:i + 4] for i in range(0, 16, 4))
    hyphen = "-".join(CARD16[i:i + 4] for i in range(0, 16, 4))
    assert kinds(grouped) == [("银行卡号", grouped)]
    assert kinds(hyphen) == [("银行卡号", hyphen)]
    assert scan(hyphen)[0].masked == CARD16[:4] + "-" + CARD16[4:6] + "**-****-" + CARD16[-4:]
    assert scan(CARD16)[0].masked == CARD16[:6] + "******" + CARD16[-4:]


def test_valid_id_is_not_a_card() -> None:
    # An 18-digit valid ID that also happens to pass Luhn is reported once, as an ID.
    found = None
    for n in range(1000):
        cand = id18(f"43070219900101{n:03d}")
        if cand.isdigit():
            digits = [int(c) for c in reversed(cand)]
            if sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)) % 10 == 0:
                found = cand
                break
    assert found is not None
    assert kinds(found) == [("身份证号", found)]


def test_date_led_serial_passing_luhn_is_not_a_card() -> None:
    serial = luhn_complete("202601151234567")
    assert kinds(f"订单号 {serial}") == []


@pytest.mark.parametrize("text", [
    "4307**********1234",
    "430702**********34",
    "138****5678",
    "138-****-5678",
    "6222 **** **** 1234",
    "622202******1234",
    "索引号：11539901MB0000203D/2026-00012",
    "索引号：11539901MB0000203D/2026-13812",
    "青民发〔2026〕5号",
    "订单号 DD13812345678",
    "编号 13812345678A",
    f"编号 X{ID_A}",
    "电话：0871-65110301",
    "电话：(0871)65110301",
    "电话：（0871）65110301",
    "电话：087165110301",
    "政务服务便民热线 12345，劳动保障 12333，报警 110，服务热线 400-820-8820，95588",
    "邮编 650000",
    "2026年1月15日，2026-01-15，20260115",
    "金额 13812345678.00 元，合计 1,381,234,567 元",
    "面积 0.13812345678 平方公里",
    "统一社会信用代码 11539901MB0000203D",
])
def test_false_positives(text: str) -> None:
    assert scan(text) == []


def test_allow_list() -> None:
    text = "热线 13812345678，另 13912345678"
    assert [h.value for h in scan(text, allow=["13812345678"])] == ["13912345678"]
    assert scan("138-1234-5678", allow=["13812345678"]) == []
    assert scan(ID_A, allow=[ID_A]) == []


def test_line_and_column_in_multiline_table() -> None:
    text = "\n".join([
        "# 2026年高龄津贴发放名单公示",
        "",
        "| 序号 | 姓名 | 身份证号 | 联系电话 |",
        "| --- | --- | --- | --- |",
        f"| 1 | 张三 | {ID_A} | 13812345678 |",
        "| 2 | 李四 | 4307**********1234 | 138****5678 |",
        f"| 3 | 王五 | {wrong_check(ID_A)} | 0871-65110301 |",
        "| 4 | 赵六 | 4307**********1234 | 139 1234 5678 |",
        "",
        f"发放账户：{CARD19}",
    ])
    hits = scan(text)
    assert [(h.line, h.column, h.kind) for h in hits] == [
        (5, 12, "身份证号"),   # after "| 1 | 张三 | " (11 characters)
        (5, 33, "手机号"),
        (8, 33, "手机号"),
        (10, 6, "银行卡号"),
    ]
    line5 = text.split("\n")[4]
    assert line5[hits[0].column - 1:].startswith(ID_A)
    assert line5[hits[1].column - 1:].startswith("13812345678")
    assert hits[0].masked == ID_A[:4] + "*" * 10 + ID_A[-4:]
    assert hits[1].masked == "138****5678"
    assert hits[2].masked == "139 **** 5678"
    assert hits[3].masked == CARD19[:6] + "*" * 9 + CARD19[-4:]
    assert all(isinstance(h, PiiHit) for h in hits)


def test_crlf_line_numbers() -> None:
    hits = scan("甲\r\n乙\r\n丙 13812345678")
    assert [(h.line, h.column) for h in hits] == [(3, 3)]


def test_describe_is_chinese() -> None:
    msg = scan("13812345678")[0].describe()
    assert "第 1 行第 1 列" in msg and "手机号" in msg and "138****5678" in msg
