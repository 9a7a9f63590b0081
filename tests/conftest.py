"""Shared fixtures: a tiny purpose-built site, and the demo site built once per session."""
from __future__ import annotations

import datetime as dt
import hashlib
import textwrap
from pathlib import Path

import pytest

from gkpub.cli.main import main

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)

MINI_TOML = """\
[site]
title = "测试区人民政府"
subtitle = "政府信息公开"
base_url = "https://www.test.example.gov.cn/"
site_id = "5300000001"
district = "测试区"
city = "测试市"
level = "区县级"
government = "测试区人民政府"
supervision_phone = "0871-60000000"
page_size = 2

[[org]]
name = "测试区人民政府"
short = "区政府"
code = "11530000MB00000012"
kind = "区政府"

[[org]]
name = "测试区民政局"
short = "区民政局"
code = "11530000MB00000025"
kind = "区级部门"
doc_prefix = ["测民发"]
phone = "0871-60000002"

[[township]]
name = "东城街道"
org = "测试区人民政府"
communities = ["东城社区", "西岭村"]
"""

MINI_CATALOG = """\
领域: 养老服务
说明: 养老服务测试目录。
公开主体: 测试区民政局
事项:
  - 名称: 高龄津贴
    代码: gaoling
    事项类型: 行政给付
    事项编码: "T-001"
    公开内容:
      - 名称: 政策文件
        代码: zhengce
        过程: 决策
        要素: [补贴对象, 补贴标准]
        公开依据: [《中华人民共和国老年人权益保障法》]
        公开渠道: [政府网站, 社区/村/企事业单位公示栏]
        公开层级: [区县级]
      - 名称: 发放名单
        代码: mingdan
        过程: 结果
        公开时限: 5个工作日
"""


def item_text(**fields: object) -> str:
    """Front matter from keyword fields (keys may be Chinese), then a body."""
    body = fields.pop("body", "正文内容。")
    base: dict[str, object] = {
        "标题": "关于调整高龄津贴标准的通知",
        "索引号": "11530000MB00000025/2026-00001",
        "目录": "养老服务/高龄津贴/政策文件",
        "成文日期": "2026-03-02",
        "发布日期": "2026-03-05",
    }
    base.update(fields)
    lines = ["---"]
    for k, v in base.items():
        if v is None:
            continue
        lines.append(f"{k}: {v}")
    lines.append("---")
    return "\n".join(lines) + "\n" + textwrap.dedent(str(body)) + "\n"


@pytest.fixture
def mini_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content" / "catalog").mkdir(parents=True)
    (site / "content" / "items" / "yanglao").mkdir(parents=True)
    (site / "site.toml").write_text(MINI_TOML, encoding="utf-8")
    (site / "content" / "catalog" / "yanglao.yaml").write_text(MINI_CATALOG, encoding="utf-8")
    (site / "content" / "items" / "yanglao" / "policy.md").write_text(item_text(), encoding="utf-8")
    return site


def write_item(site: Path, name: str, text: str | bytes) -> Path:
    path = site / "content" / "items" / "yanglao" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> int:
    return main(list(args))


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo district, built once for the session (with search unless it is off)."""
    out = tmp_path_factory.mktemp("demo") / "public"
    assert run("build", "--site", str(REPO), "--out", str(out), "--today", TODAY.isoformat()) == 0
    return out


# ---------------------------------------------------------------- print fixture site
# A small site made for the print tests: boards that overflow, every way of being
# left off a board, and 服务 items in two domains for the handbook.
PRINT_CATALOG_JIUZHU = """\
领域: 社会救助
说明: 社会救助测试目录。
公开主体: 测试区民政局
事项:
  - 名称: 最低生活保障
    代码: dibao
    事项类型: 行政给付
    事项编码: "T-101"
    公开内容:
      - 名称: 办事指南
        代码: zhinan
        过程: 服务
        公开渠道: [政府网站, 便民服务站, 社区/村/企事业单位公示栏]
      - 名称: 工作部署
        代码: bushu
        过程: 执行
        公开渠道: [政府网站, 社区/村/企事业单位公示栏]
      - 名称: 监督检查
        代码: jiancha
        过程: 管理
        公开渠道: [政府网站, 社区/村/企事业单位公示栏]
      - 名称: 审核确认公示
        代码: gongshi
        过程: 结果
        公开渠道: [政府网站, 社区/村/企事业单位公示栏]
  - 名称: 临时救助
    代码: linshi
    事项类型: 行政给付
    事项编码: "T-102"
    公开内容:
      - 名称: 办事指南
        代码: zhinan
        过程: 服务
        公开渠道: [政府网站, 便民服务站]
"""
PRINT_CATALOG_YANGLAO_SERVICE = """\
  - 名称: 居家养老服务
    代码: jujia
    事项类型: 公共服务
    公开内容:
      - 名称: 服务指南
        代码: zhinan
        过程: 服务
        公开渠道: [政府网站, 社区/村/企事业单位公示栏]
"""
GUIDE_BODY = """\
## 一、服务对象

具有本区户籍、家庭人均收入低于本区最低生活保障标准且家庭财产状况符合规定的城乡居民。

## 二、申请材料

1. 申请人有效身份证件原件及复印件；
2. 户口簿原件及复印件；
3. 家庭成员收入情况申报表；
4. 授权核对家庭经济状况声明书。

## 三、办理流程

申请人向户籍所在地街道（乡镇）便民服务中心提出申请，经入户调查、信息核对、民主评议和公示后，由区民政局审核确认。受理机关应当自受理之日起 20 个工作日内办结。

## 四、办理时间和地点

周一至周五上午 9:00—12:00，下午 14:00—17:30（法定节假日除外）；东城街道便民服务中心综合受理窗口。本事项不收取任何费用。咨询电话：0871-60000002。

## 五、办理依据

《社会救助暂行办法》《最低生活保障审核确认办法》。

## 六、温馨提示

申请人应如实申报家庭收入和财产状况。采取虚报、隐瞒、伪造等手段骗取救助资金的，由民政部门决定停止救助，责令退回非法获取的救助资金，并依法追究责任。审核确认后，家庭人口、收入和财产状况发生变化的，应当及时告知街道（乡镇）。
"""
NOTICE_BODY = """\
经个人申请、社区初审、街道审核和区民政局审定，现将拟纳入最低生活保障的对象予以公示。

| 序号 | 户主姓名 | 身份证号 | 家庭人口 | 所在社区 |
| --- | --- | --- | --- | --- |
| 1 | 张** | 4307**********1234 | 3 | 东城社区 |
| 2 | 李** | 4307**********5678 | 2 | 东城社区 |

公示期内如有异议，请向东城街道或区民政局反映，联系电话 138****5678。
"""
HELD_BACK_TITLES = (
    "依申请公开的低保复核材料", "不予公开的内部审核意见", "尚未定稿的草稿通知",
    "明年发布的工作计划", "已失效的旧补贴标准", "公示期已结束的名单公示",
    "依申请公开的临时救助办事指南",
)


def print_site_items() -> dict[str, dict[str, object]]:
    """File name → front-matter fields (and body) of the print fixture's items."""
    seq = iter(range(1, 1000))

    def idx() -> str:
        return f"11530000MB00000025/2026-{next(seq):05d}"

    items: dict[str, dict[str, object]] = {
        "policy.md": dict(标题="关于调整高龄津贴标准的通知", 索引号=idx(), 公开栏="[全部]",
                          文号="测民发〔2026〕3号"),
    }
    for n in range(1, 9):
        items[f"bushu{n}.md"] = dict(
            标题=f"东城街道2026年第{n}批最低生活保障资金发放工作安排", 索引号=idx(),
            目录="社会救助/最低生活保障/工作部署", 公开栏="[东城街道]",
            成文日期=f"2026-10-{n + 1:02d}", 发布日期=f"2026-10-{n + 3:02d}",
            body=("根据区民政局工作安排，本批资金将于本月底前通过社会保障卡发放到户。"
                  "各社区要认真核对发放名单，做好政策宣传和解释工作，确保资金安全、及时、足额发放。\n\n"
                  "发放过程中如遇问题，请及时与街道社会事务办公室联系。"))
    for n in range(1, 5):
        items[f"jiancha{n}.md"] = dict(
            标题=f"东城社区第{n}季度低保规范管理检查情况通报", 索引号=idx(),
            目录="社会救助/最低生活保障/监督检查", 公开栏="[东城社区]",
            成文日期=f"2026-09-{n + 1:02d}", 发布日期=f"2026-09-{n + 4:02d}",
            body="本次检查共抽查低保档案 36 份，发现问题 3 个，已全部整改到位。\n\n"
                 "下一步将建立问题整改台账，实行销号管理。")
    for n in range(1, 7):
        items[f"gongshi{n}.md"] = dict(
            标题=f"东城社区2026年11月第{n}批最低生活保障审核确认公示", 索引号=idx(),
            目录="社会救助/最低生活保障/审核确认公示", 公开栏="[东城社区]",
            成文日期="2026-11-18", 发布日期="2026-11-20",
            公示期="{开始: 2026-11-20, 结束: 2026-11-30}", body=NOTICE_BODY)
    for n, (path, board) in enumerate([("社会救助/最低生活保障/办事指南", "[全部]"),
                                       ("社会救助/临时救助/办事指南", "[]"),
                                       ("养老服务/居家养老服务/服务指南", "[全部]")], start=1):
        for k in range(1, 3):
            items[f"guide{n}{k}.md"] = dict(
                标题=f"{path.split('/')[1]}办事指南（第{k}版）", 索引号=idx(), 目录=path,
                公开栏=board, 摘要="符合条件的居民可向街道便民服务中心申请，20 个工作日内办结，不收费。",
                成文日期="2026-06-01", 发布日期=f"2026-06-{k + 1:02d}", body=GUIDE_BODY)
    items["xiling.md"] = dict(标题="西岭村2026年高龄津贴新增对象公示", 索引号=idx(),
                              公开栏="[西岭村]", 公示期="{开始: 2026-11-20, 结束: 2026-11-27}")
    items["web-only.md"] = dict(标题="仅在网站发布的高龄津贴统计", 索引号=idx(), 公开栏="[全部]",
                                公开渠道="[政府网站]")
    held = dict(zip(HELD_BACK_TITLES, [
        dict(公开属性="依申请公开"), dict(公开属性="不予公开"), dict(草稿="true"),
        dict(发布日期="2026-12-20", 成文日期="2026-12-18"), dict(有效期至="2026-06-30"),
        dict(公示期="{开始: 2026-10-20, 结束: 2026-11-01}"),
        dict(公开属性="依申请公开", 目录="社会救助/最低生活保障/办事指南"),
    ], strict=True))
    for n, (title, extra) in enumerate(held.items(), start=1):
        items[f"held{n}.md"] = dict(标题=title, 索引号=idx(), 公开栏="[全部]", **extra)
    return items


def write_print_site(root: Path) -> Path:
    (root / "content" / "catalog").mkdir(parents=True)
    (root / "site.toml").write_text(MINI_TOML, encoding="utf-8")
    (root / "content" / "catalog" / "yanglao.yaml").write_text(
        MINI_CATALOG + PRINT_CATALOG_YANGLAO_SERVICE, encoding="utf-8")
    (root / "content" / "catalog" / "jiuzhu.yaml").write_text(PRINT_CATALOG_JIUZHU, encoding="utf-8")
    for name, fields in print_site_items().items():
        write_item(root, name, item_text(**fields))
    return root


@pytest.fixture(scope="session")
def print_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_print_site(tmp_path_factory.mktemp("print") / "site")


def print_cmd(*args: str) -> int:
    return run("print", *args)


@pytest.fixture(scope="session")
def printed(print_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site's print output (boards, handbooks, one notice), made once."""
    out = tmp_path_factory.mktemp("printed")
    common = ("--site", str(print_site), "--out", str(out), "--today", TODAY.isoformat())
    assert print_cmd("boards", *common) == 0
    assert print_cmd("handbook", *common) == 0
    assert print_cmd("handbook", "--domain", "社会救助", "--paper", "A4", *common) == 0
    assert print_cmd("notice", "11530000MB00000025/2026-00014", *common) == 0
    return out / "print"


@pytest.fixture(scope="session")
def demo_printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo district's posters for every board and its handbook, made once."""
    out = tmp_path_factory.mktemp("demo-print")
    common = ("--site", str(REPO), "--out", str(out), "--today", TODAY.isoformat())
    assert print_cmd("boards", *common) == 0
    assert print_cmd("handbook", *common) == 0
    return out / "print"


# ---------------------------------------------------------------- markers
# `pytest -m "not browser and not pdf and not pagefind"` runs the fast core; CI runs all.
# A test is marked by the module it is in and by the session fixtures it uses.
MODULE_MARKS = {
    "browser": {"test_a11y_elder", "test_a11y_pages", "test_a11y_valid", "test_attachments", "test_preview",
                "test_search", "test_serve", "test_city_search"},
    "pdf": {"test_a11y_elder", "test_attachments", "test_faults", "test_outguard", "test_pii_sources",
            "test_print_board", "test_print_carry", "test_print_demo", "test_print_fonts", "test_print_handbook",
            "test_print_notice", "test_wheel"},
    "pagefind": {"test_faults", "test_search", "test_wheel", "test_city_search"},
}
FIXTURE_MARKS = {"demo_public": "pagefind", "demo_printed": "pdf", "printed": "pdf"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        names = {mark for mark, modules in MODULE_MARKS.items() if module in modules}
        names |= {mark for fixture, mark in FIXTURE_MARKS.items() if fixture in getattr(item, "fixturenames", ())}
        for name in sorted(names):
            item.add_marker(getattr(pytest.mark, name))
