"""argparse in Chinese: help, usage, argparse's own error messages, did-you-mean for subcommands.

argparse makes every string it shows the user (``usage:``, ``options``, ``error:``, ``invalid
choice`` …) with ``argparse._`` (gettext) and ``argparse.ngettext``, looked up as module
globals when the string is needed. No Chinese catalogue ships with Python, and gettext would
follow the user's locale anyway, while gkpub speaks Chinese whatever the locale. So
:func:`chinese` swaps those two names for a table lookup (:data:`MESSAGES`) for the length of a
``with`` block and puts the originals back afterwards. :class:`ChineseParser` opens that block
around everything that makes such strings: building a parser (section titles and ``-h``'s help
are made then), parsing (errors), and formatting usage and help. Other argparse users in the
same process (pytest, for one) see argparse unchanged outside those calls. The swap is
process-wide while it lasts; gkpub parses its command line on one thread, before any other
starts.

:class:`ChineseHelpFormatter` lays help out by display width: a Chinese character takes two
columns, and argparse counts characters, so without it the help column drifts and lines wrap
at twice the terminal width.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from gkpub.util.errors import did_you_mean

# Every msgid argparse (3.11–3.13) passes to _ or ngettext, in Chinese. A msgid missing here is
# shown in English; tests/test_cli.py reads argparse's source and fails on any it finds.
MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示帮助信息并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：「%(value)s」（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：「%(value)s」",
    "the following arguments are required: %s": "缺少参数：%s",
    "one of the arguments %s is required": "缺少参数：需要 %s 之一",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多接受一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "ignored explicit argument %r": "这个选项不接受值（多余的 %r）",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有子命令「%(parser_name)s」（可用：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开「%(filename)s」：%(error)s",
    "argument \"-\" with mode %r": "参数「-」不能以模式 %r 打开",
    "option '%(option)s' is deprecated": "选项 %(option)s 已弃用",
    "argument '%(argument_name)s' is deprecated": "参数 %(argument_name)s 已弃用",
    "command '%(parser_name)s' is deprecated": "子命令 %(parser_name)s 已弃用",
    # mistakes in gkpub's own parser definitions, not in what the user typed
    ".__call__() not defined": ".__call__() 未定义",
    "'required' is an invalid argument for positionals": "位置参数不能设置 required",
    "mutually exclusive arguments must be optional": "互斥的参数必须是选项",
    "%r is not callable": "%r 不可调用",
    "cannot merge actions - two groups are named %r": "无法合并参数：有两个参数组都叫 %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "无效的选项名 %(option)r：必须以 %(prefix_chars)r 中的字符开头",
    "dest= is required for options like %r": "%r 这样的选项必须指定 dest=",
    "invalid conflict_resolution value: %r": "无效的 conflict_resolution 值：%r",
    "cannot have multiple subparser arguments": "只能有一组子命令",
    "conflicting subparser: %s": "子命令重名：%s",
    "conflicting subparser alias: %s": "子命令别名重名：%s",
    "conflicting option string: %s": "选项名冲突：%s",
    "conflicting option strings: %s": "选项名冲突：%s",
}


def gettext_zh(message: Any) -> Any:
    """argparse's ``_``: the Chinese for a msgid, the msgid itself when there is none
    (argparse also passes None, as an absent description)."""
    return MESSAGES.get(message, message) if isinstance(message, str) else message


def ngettext_zh(singular: str, plural: str, n: int) -> str:
    return gettext_zh(singular if n == 1 else plural)


_depth = 0
_saved: tuple[Callable[..., Any], Callable[..., Any]] | None = None


@contextmanager
def chinese() -> Iterator[None]:
    """argparse speaks Chinese inside the block (re-entrant); see the module docstring."""
    global _depth, _saved
    if _depth == 0:
        _saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
        argparse._ = gettext_zh  # type: ignore[attr-defined]
        argparse.ngettext = ngettext_zh  # type: ignore[attr-defined]
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _saved is not None:
            argparse._, argparse.ngettext = _saved  # type: ignore[attr-defined]
            _saved = None


# ---------------------------------------------------------------- layout by display width

def display_width(text: str) -> int:
    """Terminal columns: two for wide (CJK) characters, one for the rest."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKENS = re.compile(r"[!-~]+| +|.")  # an ASCII word, a run of spaces, or any one other character
# Chinese text never starts a line with these; nor does a path go on after a break ("站点目录/preview")
_NO_LINE_START = set("，。、；：？！）」』》】〉,.;:?!)/")
_NO_LINE_END = set("（「『《【〈(")


def wrap(text: str, width: int) -> list[str]:
    """Greedy line breaking by display width: between any two Chinese characters, at spaces
    between ASCII words. A token that cannot start a line takes the one before it along, and
    an opening bracket never ends one."""
    lines: list[list[str]] = []
    line: list[str] = []
    for token in _TOKENS.findall(" ".join(text.split())):
        if token.isspace():
            if line:
                line.append(token)
            continue
        if line and display_width("".join(line) + token) > width:
            carried: list[str] = []
            while len(line) > 1 and not line[-1].isspace() and (
                    (carried or [token])[0][0] in _NO_LINE_START or line[-1][-1] in _NO_LINE_END):
                carried.insert(0, line.pop())
            lines.append(line)
            line = carried
        line.append(token)
    lines.append(line)
    return ["".join(tokens).rstrip() for tokens in lines if "".join(tokens).strip()] or [""]


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's default layout, with widths measured in terminal columns (see module docstring).

    Overrides three of HelpFormatter's methods; the bodies follow what Python 3.11–3.13 do,
    with ``len`` replaced by :func:`display_width`."""

    def add_argument(self, action: argparse.Action) -> None:
        if action.help is argparse.SUPPRESS:
            return
        invocations = [self._format_action_invocation(action)]
        for sub in self._iter_indented_subactions(action):
            invocations.append(self._format_action_invocation(sub))
        width = max(map(display_width, invocations)) + self._current_indent
        self._action_max_length = max(self._action_max_length, width)
        self._add_item(self._format_action, [action])

    def _format_action(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        first_indent = 0
        if not action.help:
            parts = [f"{indent}{header}\n"]
        elif display_width(header) <= action_width:
            parts = [indent + header + " " * (action_width - display_width(header) + 2)]
        else:
            parts = [f"{indent}{header}\n"]
            first_indent = help_position
        if action.help and action.help.strip():
            text = self._expand_help(action)
            if text:
                lines = self._split_lines(text, help_width)
                parts.append(" " * first_indent + lines[0] + "\n")
                parts.extend(" " * help_position + line + "\n" for line in lines[1:])
        elif not parts[0].endswith("\n"):
            parts.append("\n")
        for sub in self._iter_indented_subactions(action):
            parts.append(self._format_action(sub))
        return self._join_parts(parts)

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings = getattr(self, "_headings", set()) | {heading}
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in getattr(self, "_headings", ()):  # 「选项：」, not argparse's 「选项:」
            text = re.sub(rf"^( *){re.escape(heading)}:$", rf"\g<1>{heading}：", text, flags=re.M)
        return text

    def _format_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None) -> str:
        # argparse wraps usage by character count: narrow the width it sees until the lines fit
        full = self._width
        try:
            text = super()._format_usage(usage, actions, groups, prefix)
            for _ in range(8):
                over = max(map(display_width, text.splitlines()), default=0) - full
                if over <= 0 or self._width - over < 20:
                    break
                self._width -= over
                text = super()._format_usage(usage, actions, groups, prefix)
            return text
        finally:
            self._width = full

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


# ---------------------------------------------------------------- the parser

class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose every message is Chinese, with did-you-mean for subcommands.

    Exits 2 on a usage error, as argparse does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with chinese():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", type(self))
        with chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with chinese():  # parse_args itself makes the 「无法识别的参数」 message
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with chinese():
            super().error(message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is None or value in action.choices:
            return
        if isinstance(action, argparse._SubParsersAction):
            raise argparse.ArgumentError(None, unknown_subcommand(action, str(value)))
        names = [str(c) for c in action.choices]
        raise argparse.ArgumentError(action, f"无效的选择：「{value}」。{did_you_mean(str(value), names)}"
                                             f"可选：{'、'.join(names)}")


def unknown_subcommand(action: argparse._SubParsersAction, value: str) -> str:
    """「没有子命令「biuld」。是不是「build」？」 and the subcommands there are, with their help."""
    names = list(action.choices or ())
    helps = {a.dest: a.help or "" for a in action._choices_actions}
    width = max(map(display_width, names), default=0)
    listing = "\n".join(f"  {n}{' ' * (width - display_width(n))}  {helps.get(n, '')}".rstrip() for n in names)
    return f"没有子命令「{value}」。{did_you_mean(value, names)}\n可用的子命令：\n{listing}"


# ---------------------------------------------------------------- argument types with Chinese messages

def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」不是 YYYY-MM-DD 格式的日期") from None


def int_arg(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``; argparse's own message would say 'invalid int value'."""
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"「{text}」不是整数") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} 不在 {low}～{high} 之间")
        return value
    convert.__name__ = "整数"
    return convert
