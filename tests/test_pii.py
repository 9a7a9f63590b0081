"""Unmasked personal data: IDs, mobiles, bank cards; and what must not be flagged."""
from __future__ import annotations

import pytest

from gkpub.rules.pii import PiiHit, mask, scan


# Reference implementations written here, independent of gkpub.rules.pii.
def id18(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


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


def test_valid_id_is_found_and_so_is_a_wrong_check_digit() -> None:
    # issue #13 item 5: one mistyped digit still publishes 17 digits of a real person's number
    assert kinds(f"身份证号：{ID_A}。") == [("身份证号", ID_A)]
    assert kinds(f"身份证号：{wrong_check(ID_A)}。") == [("身份证号", wrong_check(ID_A))]
    assert kinds(f"{ID_X}") == [("身份证号", ID_X)]
    assert kinds(f"{ID_X.lower()}") == [("身份证号", ID_X.lower())]
    assert kinds(f"{ID_X[:-1]}5") == [("身份证号", f"{ID_X[:-1]}5")]
    hit = scan(f"| 王某某 | {wrong_check(ID_A)} |")[0]
    assert (hit.masked, hit.note) == (ID_A[:4] + "*" * 10 + wrong_check(ID_A)[-4:],
                                      "校验位不对，可能输错了一位，但其余数字仍是某人的身份证号")
    assert scan(f"| 王某某 | {ID_A} |")[0].note == ""


def test_id_shaped_serials_are_not_ids() -> None:
    # shaped like an ID but with a wrong check character: a serial when a word says so,
    # or when it is one group among others; no county code (digits 3-6 all zero): no ID
    bad = wrong_check(ID_A)
    assert kinds(f"项目编号 {bad}") == []
    assert kinds(f"合同 {bad}") == []
    assert kinds(f"批次 {bad[:6]}-{bad[6:14]}-{bad[14:]} 号") == []
    assert kinds(wrong_check(id18("43000019900101123"))) == []
    spaced = f"{bad[:6]} {bad[6:14]} {bad[14:]}"
    assert kinds(f"身份证号 {spaced}，请核对") == [("身份证号", spaced)]


@pytest.mark.parametrize("text, masked, kind", [
    ("539901********2318", "5399**********2318", "身份证号"),
    ("430702**********34", "4307************34", "身份证号"),
    ("43070219900101****", "4307**************", "身份证号"),
    ("**************2318", None, None),
    ("5399**********2318", None, None),
    ("5399************18", None, None),
    ("1381***5678", "138****5678", "手机号"),
    ("138*****678", None, None),
    ("卡号 62220212****1234", "622202******1234", "银行卡号"),
    ("622202******1234", None, None),
    ("62220212****1234", None, None),  # 16 characters, no card word: not read as anything
    ("**13812345678** 是加粗", None, None),
])
def test_partly_masked_forms_follow_the_one_rule(text: str, masked: str | None, kind: str | None) -> None:
    hits = [h for h in scan(text) if h.partial]
    if masked is None:
        assert hits == []
    else:
        assert [(h.kind, h.masked) for h in hits] == [(kind, masked)]
        head = {"身份证号": 4, "手机号": 3, "银行卡号": 6}[kind]
        assert hits[0].describe().endswith(
            f"遮盖得不够（{kind}最多显示前 {head} 位和后 4 位），公开前应改为「{masked}」")


def test_partly_masked_forms_with_markdown_escaped_stars() -> None:
    """The importers write masked numbers with escaped stars (5399\\*…, so Markdown shows the
    stars); a clerk who later shows more digits there is caught as without the escapes, at the
    column where the number starts, and told the escaped form to write."""
    e = "\\*"
    table = (f"| 姓名 | 身份证号 | 电话 |\n| 张某 | 539901{e * 8}1234 | 1381234{e * 4} |\n"
             f"| 李某 | 5399{e * 10}1234 | 138{e * 4}5678 |")
    hits = [h for h in scan(table) if h.partial]
    assert [(h.line, h.column, h.kind, h.value, h.masked) for h in hits] == [
        (2, 8, "身份证号", f"539901{e * 8}1234", f"5399{e * 10}1234"),
        (2, 37, "手机号", f"1381234{e * 4}", f"138{e * 8}")]


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
    "138****5678",
    "138-****-5678",
    "6222 **** **** 1234",
    "622202******1234",
    "索引号：11539901MB00002030/2026-00012",
    "索引号：11539901MB00002030/2026-13812",
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
    "统一社会信用代码 11539901MB00002030",
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
        (7, 12, "身份证号"),  # a wrong check digit is still someone's number (issue #13 item 5)
        (8, 33, "手机号"),
        (10, 6, "银行卡号"),
    ]
    line5 = text.split("\n")[4]
    assert line5[hits[0].column - 1:].startswith(ID_A)
    assert line5[hits[1].column - 1:].startswith("13812345678")
    assert hits[0].masked == ID_A[:4] + "*" * 10 + ID_A[-4:]
    assert hits[1].masked == "138****5678"
    assert hits[2].masked == ID_A[:4] + "*" * 10 + wrong_check(ID_A)[-4:]
    assert hits[3].masked == "139 **** 5678"
    assert hits[4].masked == CARD19[:6] + "*" * 9 + CARD19[-4:]
    assert all(isinstance(h, PiiHit) for h in hits)


def test_crlf_line_numbers() -> None:
    hits = scan("甲\r\n乙\r\n丙 13812345678")
    assert [(h.line, h.column) for h in hits] == [(3, 3)]


def test_describe_is_chinese() -> None:
    msg = scan("13812345678")[0].describe()
    assert "第 1 行第 1 列" in msg and "手机号" in msg and "138****5678" in msg


# ---------------------------------------------------------------- Broken 10: disguised numbers
from gkpub.rules.pii import normalize  # noqa: E402

ID_MASKED = ID_A[:4] + "*" * 10 + ID_A[-4:]
ISSUE_CARD = "6222021234567890128"  # the issue's card, written 622202 1234567890128
SPLIT_684 = f"{ID_A[:6]} {ID_A[6:14]} {ID_A[14:]}"


def entities(s: str, hexa: bool = False) -> str:
    return "".join(f"&#x{ord(c):x};" if hexa else f"&#{ord(c)};" for c in s)


@pytest.mark.parametrize("text,value,masked,note", [
    (f"身份证号 {SPLIT_684}", SPLIT_684, f"{ID_A[:4]}** ******** {ID_A[14:]}", ""),
    (f"身份证号 {ID_A[:6]}-{ID_A[6:14]}-{ID_A[14:]}", f"{ID_A[:6]}-{ID_A[6:14]}-{ID_A[14:]}",
     f"{ID_A[:4]}**-********-{ID_A[14:]}", ""),
    (" ".join(ID_A[i:i + 4] for i in range(0, 18, 4)), " ".join(ID_A[i:i + 4] for i in range(0, 18, 4)),
     f"{ID_A[:4]} **** **** **{ID_A[14:16]} {ID_A[16:]}", ""),
    (f"身份证号：{ID_A[:10]}\n{ID_A[10:]}。", f"{ID_A[:10]}\n{ID_A[10:]}", ID_MASKED, "跨行书写"),
    (f"{ID_A[:10]}\u00a0{ID_A[10:]}", f"{ID_A[:10]}\u00a0{ID_A[10:]}", ID_MASKED, "不换行空格"),
    (f"{ID_A[:10]}\u200b{ID_A[10:]}", f"{ID_A[:10]}\u200b{ID_A[10:]}", ID_MASKED, "看不见的字符"),
    (f"{ID_A[:10]}\u00ad{ID_A[10:]}", f"{ID_A[:10]}\u00ad{ID_A[10:]}", ID_MASKED, "看不见的字符"),
    (f"{ID_A[:3]}\ufeff{ID_A[3:9]}\u2060{ID_A[9:]}", f"{ID_A[:3]}\ufeff{ID_A[3:9]}\u2060{ID_A[9:]}",
     ID_MASKED, "看不见的字符"),
    (f"学籍号 G{ID_A}", ID_A, ID_MASKED, ""),
    (f"ID{ID_A}", ID_A, ID_MASKED, ""),
    (f"证件 {entities(ID_A[:6])}{ID_A[6:]}", f"{entities(ID_A[:6])}{ID_A[6:]}", ID_MASKED, "HTML 实体"),
    (f"证件 {entities(ID_A, hexa=True)}", entities(ID_A, hexa=True), ID_MASKED, "HTML 实体"),
    (f"{ID_A[:4]}&nbsp;{ID_A[4:]}", f"{ID_A[:4]}&nbsp;{ID_A[4:]}", ID_MASKED, "HTML 实体"),
    ('"' + "".join(f"\\u{ord(c):04x}" for c in ID_A[:8]) + ID_A[8:] + '"',
     "".join(f"\\u{ord(c):04x}" for c in ID_A[:8]) + ID_A[8:], ID_MASKED, "\\u 转义"),
    ("电话 138.1234.5678", "138.1234.5678", "138.****.5678", ""),
    ("电话 1381 234 5678", "1381 234 5678", "138* *** 5678", ""),
    ("Tel13812345678", "13812345678", "138****5678", ""),
    ("TEL13812345678", "13812345678", "138****5678", ""),
    ("手机 138\u00a01234\u00a05678", "138\u00a01234\u00a05678", "138****5678", "不换行空格"),
    ("手机 1381234\u00a05678", "1381234\u00a05678", "138****5678", "不换行空格"),
    ("手机 138**1234**5678", "138**1234**5678", "138****5678", "Markdown"),
    ("手机 １３８ １２３４ ５６７８", "１３８ １２３４ ５６７８", "138 **** 5678", ""),
    ("622202 1234567890128", "622202 1234567890128", "622202 *********0128", ""),
    ("收款账号：6222 0212 3456 7890 128", "6222 0212 3456 7890 128", "6222 02** **** ***0 128", ""),
])
def test_disguised_numbers_are_found(text: str, value: str, masked: str, note: str) -> None:
    hits = scan(text)
    assert [(h.value, h.masked) for h in hits] == [(value, masked)]
    assert (note in hits[0].note) if note else hits[0].note == ""
    # the column points at the number as written
    assert text[hits[0].column - 1:].startswith(value)


def test_issue_card_passes_luhn_and_is_masked_first_six_last_four() -> None:
    from gkpub.rules.pii import luhn_ok
    assert luhn_ok(ISSUE_CARD)
    assert [h.digits for h in scan("622202 1234567890128")] == [ISSUE_CARD]


def test_shown_value_makes_invisible_characters_visible() -> None:
    hit = scan(f"{ID_A[:10]}\u200b{ID_A[10:]}")[0]
    assert hit.shown == f"{ID_A[:10]}[U+200B]{ID_A[10:]}"
    assert scan(f"{ID_A[:10]}\n{ID_A[10:]}")[0].shown == f"{ID_A[:10]}⏎{ID_A[10:]}"


def test_errors_name_the_line_and_column_of_the_source_after_normalization() -> None:
    # entities and invisible characters earlier on a line, and a number split over two lines
    text = "\n".join([
        "第一行\u200b\u200b没有号码，&amp;&#12290;",
        f"&#x31;&#x33;&#x38;1234\u00ad5678 与 {entities(ID_A)}",
        "联系人：张三，身份证号 " + ID_A[:9],
        ID_A[9:] + "。",
    ])
    hits = scan(text)
    assert [(h.line, h.column, h.kind) for h in hits] == [(2, 1, "手机号"), (2, 31, "身份证号"),
                                                        (3, 13, "身份证号")]
    lines = text.split("\n")
    for h in hits[:2]:
        assert lines[h.line - 1][h.column - 1:].startswith(h.value)
    assert hits[2].value == ID_A[:9] + "\n" + ID_A[9:]


def test_normalized_text_maps_back_to_the_source() -> None:
    src = "ａ&#49;\u200b２&nbsp;\\u0033x"
    norm = normalize(src)
    assert norm.text == "a12\u00a03x"
    # every normalized character maps to the stretch of source that produced it
    spans = [norm.source_span(i, i + 1) for i in range(len(norm.text))]
    assert [src[a:b] for a, b in spans] == ["ａ", "&#49;", "２", "&nbsp;", "\\u0033", "x"]
    assert norm.source_span(1, 3) == (1, 8)  # '12': "&#49;\u200b２"


@pytest.mark.parametrize("text", [
    # the false alarm of Broken 10: a 16-digit project number that passes Luhn
    "项目编号：" + luhn_complete("622202202600012"),
    "合同编号 " + luhn_complete("622202202600012"),
    "| 序号 | 项目编号 | 金额（万元） |\n| --- | --- | --- |\n| 1 | " + luhn_complete("622202202600012") + " | 35.6 |",
    luhn_complete("530102202600012"),   # 行政区划代码 + year + serial, no label
    luhn_complete("440305202600077"),
    luhn_complete("110105202600001"),   # no card issuer starts 11
    luhn_complete("330102123456789"),   # 33: not a card issuer (JCB is 3528–3589)
    "合计 4500 1200 3300 8000 元",
    "合计 " + " ".join(luhn_complete("620277593942168")[i:i + 4] for i in range(0, 16, 4)) + " 元",
    "本年收入 " + luhn_complete("622202123456789") + " 元",
    "金额 13812345678 元",
    "2026.01.15-2026.01.21",
    "1381234-5678",
])
def test_serials_amounts_and_dates_are_not_cards_or_mobiles(text: str) -> None:
    assert scan(text) == []


def test_project_numbers_are_luhn_valid_and_issuer_prefixed() -> None:
    """The serials above would be cards by Luhn and prefix alone: the context decides."""
    from gkpub.rules.pii import card_issuer_ok, luhn_ok
    for s in (luhn_complete("622202202600012"), luhn_complete("530102202600012"),
              luhn_complete("440305202600077")):
        assert luhn_ok(s) and card_issuer_ok(s)


def test_region_year_lead_only_rules_out_16_digits() -> None:
    # a 19-digit UnionPay card whose digits 7–10 look like a year is still a card
    card = luhn_complete("622202199301595025")
    assert kinds(f"{card[:6]} {card[6:]}") == [("银行卡号", f"{card[:6]} {card[6:]}")]


def test_card_words_and_table_headers_decide() -> None:
    odd = luhn_complete("940012345678901")  # a local card with a prefix not on the issuer list
    assert scan(odd) == []
    assert kinds(f"银行卡号：{odd}") == [("银行卡号", odd)]
    table = f"| 姓名 | 银行卡号 |\n| --- | --- |\n| 张三 | {odd} |\n| 李四 | 6222 **** **** 1234 |"
    assert [(h.line, h.kind) for h in scan(table)] == [(3, "银行卡号")]
    # the nearest word wins: a project number after an account number
    serial = luhn_complete("622202202600012")
    assert kinds(f"账号 {CARD19}，项目编号 {serial}") == [("银行卡号", CARD19)]


def test_blank_joined_numbers_in_extracted_text_need_a_word() -> None:
    # PDF text: blanks also stand between table cells
    row = "办公费 1500 300 1200"
    assert scan(row, extracted=True) == []
    assert [h.kind for h in scan(row)] == ["手机号"]  # typed text: a run of its own
    assert [h.kind for h in scan("联系电话\n1 张三 138 1234 5678 300", extracted=True)] == ["手机号"]
    assert [h.kind for h in scan("1 张三 6222 0212 3456 7890 300", extracted=True)] == []
    assert [h.kind for h in scan("序号 姓名 银行卡号\n1 张三 6222 0212 3456 7890 300",
                                 extracted=True)] == ["银行卡号"]
    # an ID's check character makes any grouping safe
    assert [h.kind for h in scan(f"1 张三 {SPLIT_684} 300", extracted=True)] == ["身份证号"]


def test_prefixes_that_do_not_make_personal_data() -> None:
    assert scan(f"编号 X{ID_A}") == []
    assert scan("订单号 DD13812345678") == []
    assert scan("型号 AB13812345678") == []


def test_allow_list_applies_to_disguised_forms() -> None:
    assert scan("热线 138.1234.5678", allow=["13812345678"]) == []
    assert scan("热线 138\u200b12345678", allow=["138-1234-5678"]) == []


def test_no_catastrophic_backtracking_on_long_blanks() -> None:
    import time
    text = ("1" + " " * 5000) * 30 + "x"
    t = time.perf_counter()
    assert scan(text) == []
    assert time.perf_counter() - t < 2


def test_extracted_table_header_above_names_the_card_column() -> None:
    # PDF text: the header row is lines above, and its last column (金额) is not the card's
    amount = next(a for a in range(100, 1000) if luhn_ok_ref(CARD16 + str(a)))
    grouped = " ".join(CARD16[i:i + 4] for i in range(0, 16, 4))
    text = f"序号 姓名 银行卡号 发放金额\n1 张三 {grouped} {amount}\n2 李四 {CARD19} 300"
    assert [(h.line, h.value) for h in scan(text, extracted=True)] == [(2, grouped), (3, CARD19)]
    # a serial word on the row itself still rules a card out
    assert scan(f"序号 银行卡号\n1 项目编号 {luhn_complete('622202202600012')}", extracted=True) == []


def luhn_ok_ref(s: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(s)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0
