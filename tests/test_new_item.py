"""`gkpub new item` (issue #13 item 4): it asks on a terminal or says what is missing (exit 2),
never writes a file that fails validation, names the file by date and title, hints the 文号
with the org's own 机关代字 and starts the body with the leaf's 要素."""
from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from conftest import REPO, item_text, run, write_item

from gkpub.authoring.new_item import item_path, short_title
from gkpub.content.catalog import load_catalog
from gkpub.content.config import load_config
from gkpub.util.errors import ErrorList

TODAY = "2026-11-23"
FOLDER = Path("content") / "items" / "yanglao"


def files(site: Path) -> set[str]:
    return {p.name for p in (site / FOLDER).iterdir()}


def test_without_options_and_no_terminal_it_says_what_is_missing(mini_site: Path, capsys) -> None:
    before = files(mini_site)
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("gkpub: 缺少 --catalog 领域/事项/公开内容、--title 标题，未新建文件；例如：gkpub new item "
                   "--catalog 养老服务/高龄津贴/政策文件 --title 某某通知（在终端中运行时会逐项询问）")
    assert files(mini_site) == before
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY,
               "--catalog", "养老服务/高龄津贴/政策文件") == 2
    assert capsys.readouterr().err.startswith("gkpub: 缺少 --title 标题，未新建文件")
    assert files(mini_site) == before


def test_new_item_is_named_by_date_and_title_and_validates(mini_site: Path, capsys) -> None:
    write_item(mini_site, "old.md", item_text(**{"索引号": "11530000MB00000025/2026-00007",
                                                "文号": "测民发〔2026〕12号"}))
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY, "--catalog", "养老服务/高龄津贴/政策文件",
               "--title", "测试区民政局关于调整高龄津贴标准的通知") == 0
    path = Path(capsys.readouterr().out.split("：", 1)[1].strip())
    assert path == mini_site / FOLDER / "2026-11-23-调整高龄津贴标准.md"
    assert path.read_text(encoding="utf-8") == """\
---
标题: 测试区民政局关于调整高龄津贴标准的通知
索引号: 11530000MB00000025/2026-00008
目录: 养老服务/高龄津贴/政策文件
成文日期: 2026-11-23
发布日期: 2026-11-23
# 文号: 测民发〔2026〕13号
# 摘要: 一两句话的要点
草稿: true
---

## 补贴对象

（请填写补贴对象。）

## 补贴标准

（请填写补贴标准。）

（发布前删除上面的「草稿: true」。）
"""
    # the same title again: a second file, not an overwrite
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY, "--catalog", "养老服务/高龄津贴/政策文件",
               "--title", "测试区民政局关于调整高龄津贴标准的通知", "--org", "区政府") == 0
    second = Path(capsys.readouterr().out.split("：", 1)[1].strip())
    assert second.name == "2026-11-23-调整高龄津贴标准-2.md"
    text = second.read_text(encoding="utf-8")
    assert "索引号: 11530000MB00000012/2026-00001\n" in text and "公开主体: 测试区人民政府\n" in text
    assert "# 文号: 机关代字〔2026〕1号\n" in text  # 区政府 has no doc_prefix in this site
    assert run("build", "--site", str(mini_site), "--drafts", "--today", TODAY, "--no-search") == 0
    page = mini_site / "preview" / "xxgk" / "11530000MB00000025" / "2026-00008" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "补贴对象</h2>" in html and "补贴标准</h2>" in html


def test_the_prompts_new_item_writes_are_never_published(mini_site: Path, capsys) -> None:
    """A clerk who clears 草稿 but leaves a 「（请填写…）」 line is told at that line; the draft itself is fine."""
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY, "--catalog", "养老服务/高龄津贴/政策文件",
               "--title", "测试区民政局关于调整高龄津贴标准的通知") == 0
    path = Path(capsys.readouterr().out.split("：", 1)[1].strip())
    assert run("check", "--site", str(mini_site), "--today", TODAY) == 0
    capsys.readouterr()
    text = path.read_text(encoding="utf-8").replace("草稿: true\n", "")
    path.write_text(text, encoding="utf-8")
    assert run("check", "--site", str(mini_site), "--today", TODAY) == 1
    err = capsys.readouterr().err
    rel = path.relative_to(mini_site).as_posix()
    lines = text.splitlines()
    for prompt in ("（请填写补贴对象。）", "（请填写补贴标准。）", "（发布前删除上面的「草稿: true」。）"):
        line = lines.index(prompt) + 1
        assert (f"{rel}:{line}: 字段「正文」: 还留着新建时的提示「{prompt}」：请写上内容或删去这一行；"
                "还没写完的请保留「草稿: true」") in err, err
    path.write_text(text.replace("（请填写补贴对象。）", "年满80周岁的本区户籍老年人。")
                    .replace("（请填写补贴标准。）", "每人每月100元。")
                    .replace("（发布前删除上面的「草稿: true」。）\n", ""), encoding="utf-8")
    assert run("check", "--site", str(mini_site), "--today", TODAY) == 0


def test_new_item_never_writes_a_file_that_fails(mini_site: Path, capsys) -> None:
    before = files(mini_site)
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY, "--catalog", "养老服务/高龄津贴/政策文件",
               "--title", "王某身份证号110105194912310021补发") == 1
    err = capsys.readouterr().err
    assert ("字段「标题」: 发现未遮蔽的身份证号「110105194912310021」（校验位不对，可能输错了一位，"
            "但其余数字仍是某人的身份证号）；请改为「1101**********0021」") in err
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY, "--catalog", "养老服务/高龄津贴/政策文件",
               "--title", "通知", "--org", "测试区应急管理局") == 2
    err = capsys.readouterr().err
    assert err.startswith("gkpub: 「测试区应急管理局」不是 site.toml 中的公开主体"
                          "（已有：测试区人民政府（区政府）、测试区民政局（区民政局））；"
                          "请在 site.toml 的 [[org]] 中添加这个机关后再运行")
    assert 'name = "测试区应急管理局"' in err
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY, "--catalog", "养老服务/高龄津贴/政策文",
               "--title", "通知") == 2
    assert capsys.readouterr().err.strip() == (
        "gkpub: 目录「养老服务/高龄津贴/政策文」不在标准目录中；是不是「养老服务/高龄津贴/政策文件」？"
        "格式为「领域/事项/公开内容」，目录见 content/catalog/")
    assert files(mini_site) == before


def _run_on_a_terminal(args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run gkpub under a pseudo-terminal, typing each answer after the next prompt ends in ：."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: gkpub on the terminal
        os.chdir(REPO)
        os.execv(sys.executable, [sys.executable, "-m", "gkpub", *args])
    out = b""
    pending = list(answers)
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        assert ready, f"no output from gkpub for 30 s:\n{out.decode(errors='replace')}"
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
        if pending and out.decode(errors="replace").rstrip().endswith("："):
            os.write(fd, (pending.pop(0) + "\n").encode())
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_on_a_terminal_it_asks_for_what_is_missing(mini_site: Path) -> None:
    before = files(mini_site)
    code, out = _run_on_a_terminal(["new", "item", "--site", str(mini_site), "--today", TODAY],
                                   ["养老服务/高龄津贴/发放单", "2", "2026年高龄津贴发放名单公示"])
    assert code == 0, out
    assert "  1. 养老服务/高龄津贴/政策文件（决策）" in out and "  2. 养老服务/高龄津贴/发放名单（结果）" in out
    assert "「养老服务/高龄津贴/发放单」不在标准目录中；是不是「养老服务/高龄津贴/发放名单」？" in out
    new = files(mini_site) - before
    assert new == {"2026-11-23-2026年高龄津贴发放名单公示.md"}, out
    text = (mini_site / FOLDER / new.pop()).read_text(encoding="utf-8")
    assert "目录: 养老服务/高龄津贴/发放名单\n" in text and "标题: 2026年高龄津贴发放名单公示\n" in text
    check = subprocess.run([sys.executable, "-m", "gkpub", "build", "--site", str(mini_site), "--drafts",
                            "--today", TODAY, "--no-search"], capture_output=True, text=True, cwd=REPO)
    assert check.returncode == 0, check.stderr


def test_item_path_keeps_the_importers_naming(mini_site: Path) -> None:
    errors = ErrorList(root=mini_site)
    cfg = load_config(mini_site, errors)
    assert cfg is not None
    leaf = load_catalog(mini_site, cfg, errors).leaf_by_path()["养老服务/高龄津贴/发放名单"]
    assert item_path(mini_site, leaf, "11530000MB00000025/2026-00012") == (
        mini_site / "content" / "items" / "yanglao" / "2026-0025-00012.md")
    assert item_path(mini_site, leaf, "11530000MB00000025/2026-00012", title="关于「十五五」规划：征求意见的公告",
                     day=dt.date(2026, 1, 5)).name == "2026-01-05-十五五-规划-征求意见.md"
    assert short_title("青禾区民政局关于印发《青禾区高龄津贴发放管理办法》的通知") == "印发-青禾区高龄津贴发放管理办法"
