"""Shared fixtures: a tiny purpose-built site, and the demo site built once per session."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest

from gkpub.cli import main

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
code = "11530000MB0000001A"
kind = "区政府"

[[org]]
name = "测试区民政局"
short = "区民政局"
code = "11530000MB0000002B"
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
        "索引号": "11530000MB0000002B/2026-00001",
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
