"""The command line as a user meets it: --version, -q/-v, Chinese help and usage errors,
did-you-mean, the same --site/--out everywhere, and no traceback for a problem with the
environment (a port in use, a closed pipe, an output folder that cannot be written, Ctrl-C)."""
from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, TODAY, run

import gkpub
from gkpub.cli import argparse_zh
from gkpub.cli.main import SITE_HELP, TODAY_HELP, make_parser, os_reason
from gkpub.store.locks import hold, lock_file

T = ("--today", TODAY.isoformat())


def gkpub_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "gkpub", *args]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(REPO), **extra}


def usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command line argparse refuses; its stderr (exit code 2 asserted)."""
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def all_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every parser of the command tree by its prog ("gkpub", "gkpub print board", …)."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(p: argparse.ArgumentParser) -> None:
        found[p.prog] = p
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    walk(child)

    walk(make_parser())
    return found


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo district's sources, copied (commands run on it must not touch the checkout)."""
    site = tmp_path_factory.mktemp("demo-cli") / "site"
    site.mkdir()
    shutil.copy2(REPO / "site.toml", site / "site.toml")
    for d in ("content", "layouts", "print"):
        if (REPO / d).is_dir():
            shutil.copytree(REPO / d, site / d)
    return site


# ---------------------------------------------------------------- --version, -q, -v

def test_version_prints_the_package_version() -> None:
    proc = subprocess.run(gkpub_cmd("--version"), capture_output=True, text=True, env=env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"gkpub {gkpub.__version__}\n"
    assert gkpub.__version__ == "0.2.0"


def test_default_build_output_is_unchanged(mini_site: Path, tmp_path: Path, capsys) -> None:
    assert run("build", "--site", str(mini_site), "--out", str(tmp_path / "out"), "--no-search", *T) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2, out
    assert re.fullmatch(r"已生成 \d+ 个页面（全部重新生成；发布 1 条信息；未发布：无），用时 \d+\.\d 秒 → "
                        + re.escape(str(tmp_path / "out")), lines[0])
    assert lines[1].startswith("合规检查（截至 2026-11-23）：") and "运行 gkpub check 可在终端查看。" in lines[1]
    assert err == ""


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_build_prints_nothing_on_success(mini_site: Path, tmp_path: Path, capsys, where: str) -> None:
    args = ["build", "--site", str(mini_site), "--out", str(tmp_path / "out"), "--no-search", *T]
    assert run(*(["-q", *args] if where == "before" else [*args, "--quiet"])) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "out" / "index.html").is_file()


def test_quiet_still_reports_errors(mini_site: Path, tmp_path: Path, capsys) -> None:
    (mini_site / "content" / "items" / "yanglao" / "policy.md").write_text("---\n标题: 缺字段\n---\n", encoding="utf-8")
    assert run("-q", "build", "--site", str(mini_site), "--out", str(tmp_path / "out"), "--no-search", *T) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "policy.md" in err and "未生成网站" in err


def test_verbose_build_says_where_things_went(mini_site: Path, tmp_path: Path, capsys) -> None:
    out_dir = tmp_path / "out"
    assert run("build", "-v", "--site", str(mini_site), "--out", str(out_dir), "--no-search", *T) == 0
    out, err = capsys.readouterr()
    assert out.startswith("已生成 "), "-v adds to stderr; stdout stays as without it"
    assert f"输出目录：{out_dir.resolve()}（正式网站）" in err
    assert f"缓存目录：{(mini_site / '.cache' / 'gkpub').resolve()}" in err
    assert "生成方式：全部重新生成" in err and "全文检索索引：未生成（--no-search）" in err
    report = re.search(r"合规报告：(\S+)", err)
    assert report and Path(report.group(1)).is_file()
    assert run("-v", "build", "--site", str(mini_site), "--out", str(out_dir), "--no-search", *T) == 0
    assert "生成方式：输入与上次相同，跳过生成" in capsys.readouterr().err  # nothing changed (cli/noop.py)


def test_quiet_new_item_and_report(mini_site: Path, tmp_path: Path, capsys) -> None:
    before = set((mini_site / "content" / "items").rglob("*.md"))
    assert run("new", "item", "-q", "--site", str(mini_site), "--catalog", "养老服务/高龄津贴/政策文件",
               "--title", "关于调整高龄津贴标准的通知", *T) == 0  # both required since #13 item 4
    assert capsys.readouterr().out == ""
    assert len(set((mini_site / "content" / "items").rglob("*.md")) - before) == 1
    report = tmp_path / "annual.md"
    assert run("-q", "report", "annual", "2026", "--site", str(mini_site), "--out", str(report), *T) == 0
    assert capsys.readouterr().out == "" and report.read_text(encoding="utf-8").count("## ") == 6
    assert run("report", "annual", "2026", "--site", str(mini_site), "--out", str(report), *T) == 0
    assert capsys.readouterr().out.startswith("已生成 2026 年度报告草稿")


def test_catalog_option_takes_chinese_slashes_and_spaces(mini_site: Path, capsys) -> None:
    """Typed with a Chinese keyboard: ／ and spaces name the same leaf (was a did-you-mean)."""
    assert run("new", "item", "--site", str(mini_site), "--catalog", "养老服务 ／ 高龄津贴／政策文件",
               "--title", "关于高龄津贴的通知", *T) == 0
    created = Path(capsys.readouterr().out.split("：", 1)[1].strip())
    assert created.is_file() and created.parent.name == "yanglao"


def test_quiet_and_verbose_together_is_a_usage_error(capsys) -> None:
    err = usage_error(capsys, "-q", "-v", "check")
    assert "错误：参数 -v/--verbose：不能与 -q/--quiet 同时使用" in err


# ---------------------------------------------------------------- Chinese help and errors

ARGPARSE_ENGLISH = re.compile(r"usage|positional arguments|options:|show this|help message|error|"
                              r"invalid|required|expected|argument|\b[A-Z][A-Z_]{2,}\b")
ALLOWED_CAPS = {"YYYY", "UTF", "GBK"}  # in our own help texts: YYYY-MM-DD, UTF-8 or GBK


def test_every_help_is_chinese() -> None:
    parsers = all_parsers()
    assert {"gkpub", "gkpub build", "gkpub serve", "gkpub check", "gkpub new site", "gkpub new item",
            "gkpub print board", "gkpub print boards", "gkpub print handbook", "gkpub print notice",
            "gkpub report annual", "gkpub import catalog"} <= set(parsers)
    for prog, parser in parsers.items():
        text = parser.format_help()
        assert text.startswith(f"用法：{prog} [-h]"), prog
        assert "\n选项：\n  -h, --help" in text and "显示帮助信息并退出" in text, prog
        english = [m for m in ARGPARSE_ENGLISH.findall(text) if m not in ALLOWED_CAPS]
        assert not english, f"{prog}: {english}\n{text}"
    top = parsers["gkpub"].format_help()
    assert "位置参数：" in top and "--version" in top and "显示版本号并退出" in top and "退出码：" in top
    assert argparse._("usage: ") == "usage: ", "argparse is English again outside gkpub's parsers"  # type: ignore[attr-defined]


@pytest.mark.parametrize("args", [["-h"], ["build", "-h"], ["print", "-h"], ["print", "board", "-h"],
                                  ["new", "site", "--help"]])
def test_help_from_the_command_line(args: list[str]) -> None:
    proc = subprocess.run(gkpub_cmd(*args), capture_output=True, text=True, env=env(), timeout=60)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("用法：gkpub") and "选项：" in proc.stdout
    assert not [m for m in ARGPARSE_ENGLISH.findall(proc.stdout) if m not in ALLOWED_CAPS]
    wide = [line for line in proc.stdout.splitlines() if argparse_zh.display_width(line) > 78]
    assert not wide, f"lines wider than the terminal (COLUMNS=80): {wide}"


def test_every_argparse_message_is_translated() -> None:
    """Read argparse's source: each string it passes to _ or ngettext must be in the table, or
    users of a newer Python see English."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    msgids = {arg.value for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("_", "ngettext")
              for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}
    msgids.add("subcommands")  # passed to _ through a variable (add_subparsers' default title)
    assert len(msgids) > 30
    missing = sorted(msgids - set(argparse_zh.MESSAGES))
    assert not missing, f"argparse messages with no Chinese: {missing}"
    for msgid, text in argparse_zh.MESSAGES.items():  # same placeholders, or % formatting breaks
        assert sorted(re.findall(r"%\((\w+)\)", msgid)) == sorted(re.findall(r"%\((\w+)\)", text)), msgid
        assert len(re.findall(r"%[sr]", msgid)) == len(re.findall(r"%[sr]", text)), msgid


@pytest.mark.parametrize("args, prog, wrong, right, listed", [
    (["biuld"], "gkpub", "biuld", "build", ["build", "serve", "check", "new", "print", "report", "import"]),
    (["print", "bords"], "gkpub print", "bords", "boards", ["board", "boards", "handbook", "notice"]),
    (["new", "stie"], "gkpub new", "stie", "site", ["site", "item"]),
    (["report", "anual", "2026"], "gkpub report", "anual", "annual", ["annual"]),
])
def test_misspelled_subcommand_suggests_the_right_one(capsys, args: list[str], prog: str, wrong: str,
                                                     right: str, listed: list[str]) -> None:
    err = usage_error(capsys, *args)
    assert err.startswith(f"用法：{prog} ")
    assert f"{prog}: 错误：没有子命令「{wrong}」。是不是「{right}」？\n可用的子命令：\n" in err
    for name in listed:
        assert re.search(rf"^  {name} +\S", err, re.M), f"{name} not listed with its help:\n{err}"
    assert "invalid choice" not in err and "Traceback" not in err


def test_nothing_close_lists_the_commands_without_a_guess(capsys) -> None:
    err = usage_error(capsys, "zzzz")
    assert "错误：没有子命令「zzzz」。\n可用的子命令：" in err and "是不是" not in err


@pytest.mark.parametrize("args, expected", [
    (["print"], "gkpub print: 错误：缺少参数：种类"),
    (["report", "annual"], "gkpub report annual: 错误：缺少参数：年份"),
    (["build", "--bogus"], "gkpub: 错误：无法识别的参数：--bogus"),
    (["print", "board", "东城社区", "--paper", "a3"],
     "错误：参数 --paper：无效的选择：「a3」。是不是「A3」？可选：A2、A3、A4"),
    (["check", "--format", "xml"], "错误：参数 --format：无效的选择：「xml」。可选：text、json"),
    (["serve", "--port", "http"], "错误：参数 --port：「http」不是整数"),
    (["serve", "--port", "70000"], "错误：参数 --port：70000 不在 0～65535 之间"),
    (["build", "--today", "2026-02-30"], "错误：参数 --today：「2026-02-30」不是 YYYY-MM-DD 格式的日期"),
    (["build", "--site"], "错误：参数 --site：需要一个值"),
])
def test_usage_errors_are_chinese(capsys, args: list[str], expected: str) -> None:
    err = usage_error(capsys, *args)
    assert err.startswith("用法：gkpub")
    assert expected in err, err


def test_wrap_keeps_punctuation_with_its_character() -> None:
    text = "有「警告」级别的合规问题时也以退出码 1 结束（供编辑仓库的 CI 使用）；「提示」不影响"
    for width in range(10, 40):
        lines = argparse_zh.wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), width
        for line in lines:
            assert argparse_zh.display_width(line) <= width, (width, line)
            assert line[0] not in "，。；：）」", (width, line)
            assert line[-1] not in "（「", (width, line)


# ---------------------------------------------------------------- --site, --out, --today

def test_site_out_and_today_are_the_same_everywhere() -> None:
    parsers = all_parsers()
    with_out = {}
    for prog, parser in parsers.items():
        options = {o: a for a in parser._actions for o in a.option_strings}
        if "--site" in options:
            site = options["--site"]
            assert (site.help, site.metavar, site.default) == (SITE_HELP, "目录", Path(".")), prog
        if "--out" in options:
            out = options["--out"]
            assert out.default is None and out.metavar in ("目录", "文件"), prog
            with_out[prog] = out.metavar
        if "--today" in options and prog != "gkpub new site":  # there it dates the new files
            today = options["--today"]
            assert (today.help, today.metavar, today.default) == (TODAY_HELP, "日期", None), prog
    leaves = {"gkpub build", "gkpub serve", "gkpub check", "gkpub new item", "gkpub print board",
              "gkpub print boards", "gkpub print handbook", "gkpub print notice", "gkpub report annual",
              "gkpub import catalog", "gkpub import requests", "gkpub import docx", "gkpub import list",
                  "gkpub admin", "gkpub report review"}
    for prog in leaves:
        assert any(a.option_strings == ["--site"] for a in parsers[prog]._actions), f"{prog} has no --site"
    files = {"gkpub report annual", "gkpub report review"}  # --out names a file there
    no_out = {"gkpub new item", "gkpub import docx", "gkpub import list"}  # they write where items go
    assert with_out == {p: "目录" for p in leaves - no_out - files} | {p: "文件" for p in files}


# ---------------------------------------------------------------- environment problems

def test_port_in_use_is_one_line_and_exit_2(mini_site: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(gkpub_cmd("serve", "--site", str(mini_site), "--port", str(port), *T),
                              capture_output=True, text=True, env=env(), timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"gkpub: 端口 {port} 已被占用（127.0.0.1:{port}）")
    assert f"--port {port + 1}" in lines[0]
    assert not (mini_site / "public").exists(), "the port is tried before anything is built"


def _closed_pipe() -> int:
    """A pipe's write end whose reader, a real process, has already exited."""
    r, w = os.pipe()
    reader = subprocess.Popen(["true"], stdin=r)
    os.close(r)
    assert reader.wait(timeout=30) == 0
    return w


@pytest.mark.parametrize("args", [["check"], ["check", "--format", "json"], ["-h"], ["--version"]])
def test_closed_pipe_exits_quietly(demo_copy: Path, args: list[str]) -> None:
    w = _closed_pipe()
    try:
        argv = [*args, "--site", str(demo_copy), *T] if args[0] == "check" else args
        proc = subprocess.Popen(gkpub_cmd(*argv), stdout=w, stderr=subprocess.PIPE, text=True, env=env())
    finally:
        os.close(w)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert err in ("", "gkpub: 输出在读完之前被关闭（例如接了 | head），其余内容没有输出。\n"), err
    if args[0] == "check":
        assert err.count("\n") == 1
        assert proc.returncode == 2  # an environment problem, told in one line
    else:  # argparse ignores a failed write of its help; what is still buffered fails at gkpub's flush
        assert proc.returncode in (0, 2)


def test_check_into_head(demo_copy: Path) -> None:
    """The real pipeline: whether or not head is gone before gkpub writes, no traceback."""
    cmd = " ".join(gkpub_cmd("check", "--site", str(demo_copy), *T)) + " | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, env=env(), timeout=120)
    assert proc.stdout.startswith("检查通过：") and proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") <= 1
    assert proc.returncode in (0, 2)


def test_unwritable_out(mini_site: Path, tmp_path: Path, capsys) -> None:
    """The output path goes through a regular file. Tests run as root, which a chmod 0500 folder
    would not stop; nobody, root included, can make a folder inside a file (ENOTDIR/EEXIST)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "public"
    assert run("build", "--site", str(mini_site), "--out", str(out), "--no-search", *T) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"gkpub: 无法写入输出目录 {out}：{blocker} 是一个文件，不是目录\n"

    assert run("print", "boards", "--site", str(mini_site), "--out", str(out / "deeper"), *T) == 2
    assert capsys.readouterr().err == f"gkpub: 无法写入输出目录 {out / 'deeper'}：{blocker} 是一个文件，不是目录\n"

    report = blocker / "annual.md"
    assert run("report", "annual", "2026", "--site", str(mini_site), "--out", str(report), *T) == 2
    assert capsys.readouterr().err == f"gkpub: 无法写入输出文件 {report}：{blocker} 是一个文件，不是目录\n"


def test_unwritable_out_from_the_command_line(mini_site: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    proc = subprocess.run(gkpub_cmd("build", "--site", str(mini_site), "--out", str(blocker / "out"), *T),
                          capture_output=True, text=True, env=env(), timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("gkpub: 无法写入输出目录 ") and "Traceback" not in proc.stderr
    proc = subprocess.run(gkpub_cmd("build", "-v", "--site", str(mini_site), "--out", str(blocker / "out"), *T),
                          capture_output=True, text=True, env=env(), timeout=120)
    assert proc.returncode == 2 and "Traceback" in proc.stderr, "-v shows where it happened"


def test_os_reason_names_the_file_in_the_way(tmp_path: Path) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("", encoding="utf-8")
    for attempt in (lambda: os.mkdir(blocker / "x"), lambda: (blocker / "x" / "y").mkdir(parents=True),
                    lambda: blocker.mkdir(exist_ok=True)):
        with pytest.raises(OSError) as exc:
            attempt()
        assert os_reason(exc.value) == f"{blocker} 是一个文件，不是目录"
    with pytest.raises(OSError) as exc:
        (tmp_path / "missing" / "file.txt").read_text()
    assert os_reason(exc.value) == f"文件或目录不存在（{tmp_path / 'missing' / 'file.txt'}）"


def test_ctrl_c_exits_130_without_a_traceback(mini_site: Path, tmp_path: Path) -> None:
    """Interrupt a build while it waits for another build's lock on the same output folder
    (held here), so the signal surely arrives mid-command."""
    out = tmp_path / "out"
    with hold(lock_file(out), "测试"):
        proc = subprocess.Popen(gkpub_cmd("build", "--site", str(mini_site), "--out", str(out), "--no-search", *T),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env(GKPUB_LOCK_TIMEOUT="120"))
        stderr = proc.stderr
        assert stderr is not None
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(stderr.readline()), daemon=True)
        reader.start()
        reader.join(timeout=60)
        assert first and "等待" in first[0], first
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        stdout, rest = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert rest == "\ngkpub: 已中断。\n" and "Traceback" not in rest
    assert stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("verbosity", [0, 2])
def test_serve_quiet_and_verbose(mini_site: Path, capfd, verbosity: int) -> None:
    """-q drops the line after each rebuild; -v names the files the rebuild was for (stderr)."""
    import json
    import urllib.request

    from conftest import item_text, write_item

    from gkpub.build.builder import BuildOptions
    from gkpub.cli.serve import serve

    def version(base: str) -> int:
        with urllib.request.urlopen(base + "/__gkpub/state", timeout=10) as r:
            return int(json.loads(r.read())["version"])

    ready, stop = threading.Event(), threading.Event()
    opts = BuildOptions(site_dir=mini_site, out_dir=mini_site / "public", today=TODAY, search=False,
                        cache_dir=mini_site / ".cache")
    thread = threading.Thread(target=serve, args=(opts,), daemon=True,
                              kwargs=dict(port=0, ready=ready, stop=stop, verbosity=verbosity))
    thread.start()
    try:
        assert ready.wait(30)
        base = f"http://127.0.0.1:{ready.port}"  # type: ignore[attr-defined]
        v0 = version(base)
        write_item(mini_site, "policy.md", item_text(标题="关于调整高龄津贴标准的通知（修订）"))
        deadline = time.monotonic() + 10
        while version(base) == v0:
            assert time.monotonic() < deadline, "no rebuild"
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=30)
    out, err = capfd.readouterr()
    assert "预览地址：http://127.0.0.1:" in out, "the address is shown even with -q"
    if verbosity == 0:
        assert "已更新" not in out
    else:
        assert "已更新 " in out and "有变化：policy.md" in err
