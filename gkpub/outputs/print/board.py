"""Bulletin-board posters (公开栏/公示栏) for community and village boards.

An item goes on a board when its 公开渠道 includes the board channel and its
公开栏 names that board, the board's township, or 全部; it comes off when it has
expired or its 公示期 has ended. Items come only from ``Site.published``.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2

from gkpub.content.config import SiteConfig, Township
from gkpub.content.flow import flows_of
from gkpub.content.model import Item, Site
from gkpub.content.schema import STAGES
from gkpub.content.vocab import BOARD_CHANNEL
from gkpub.outputs.print import carry as manifest
from gkpub.outputs.print.render import (
    Paper,
    PrintItem,
    make_print_env,
    print_item,
    render_html,
    render_pdf,
    safe_filename,
    supervision_line,
)
from gkpub.store.staging import staged, write_atomic
from gkpub.util.errors import UsageError, allowed_list, did_you_mean

ALL_BOARDS = "全部"


@dataclass(frozen=True)
class Board:
    name: str
    township: Township

    @property
    def file_name(self) -> str:
        return safe_filename(self.name) + ".pdf"


@dataclass(frozen=True)
class BoardResult:
    board: Board
    path: Path
    pages: int
    items: int


def boards(cfg: SiteConfig) -> list[Board]:
    return [Board(c, t) for t in cfg.townships for c in t.communities]


def find_board(cfg: SiteConfig, name: str) -> Board:
    every = boards(cfg)
    for b in every:
        if b.name == name:
            return b
    names = [b.name for b in every]
    if not names:
        raise UsageError("site.toml 中没有配置公开栏；请在 [[township]] 的 communities 中列出社区/村")
    raise UsageError(f"没有名为「{name}」的公开栏；{did_you_mean(name, names)}"
                     f"可用：{allowed_list(names)}（见 site.toml 的 [[township]]）")


def on_board(item: Item, board: Board, today: dt.date) -> bool:
    if BOARD_CHANNEL not in item.el.get("公开渠道", []):
        return False
    targets = item.el.get("公开栏", [])
    if not ({board.name, board.township.name, ALL_BOARDS} & set(targets)):
        return False
    if item.expired(today):
        return False
    period = item.el.get("公示期")
    return not (period and period["结束"] < today)


def unassigned(site: Site) -> list[Item]:
    """Published items meant for boards (by channel) that name no board: on no poster."""
    return [i for i in site.published if BOARD_CHANNEL in i.el.get("公开渠道", [])
            and not i.el.get("公开栏") and not i.expired(site.today)]


def board_items(site: Site, board: Board) -> dict[str, list[Item]]:
    """The board's items by stage, newest first within a stage (Site.published is)."""
    by_stage: dict[str, list[Item]] = {s: [] for s in STAGES}
    for item in site.published:
        if on_board(item, board, site.today):
            by_stage[item.stage].append(item)
    return by_stage


def columns_for(paper: Paper) -> int:
    width = paper.size_mm[0]
    return 3 if width >= 400 else 2 if width >= 280 else 1


def board_html(site: Site, board: Board, paper: Paper,
               env: jinja2.Environment) -> tuple[str, list[str]]:
    """The poster's HTML and the 索引号 of the items on it."""
    cfg = site.config
    shown: list[str] = []
    sections: list[tuple[str, list[PrintItem]]] = []
    by_stage = board_items(site, board)
    flows = flows_of(item for items in by_stage.values() for item in items)  # after the stages
    for stage, items in by_stage.items():
        views = [print_item(item, cfg, len(shown) + k, summarise=True)
                 for k, item in enumerate(items, start=1)]
        shown += [item.index_no for item in items]
        if views:
            sections.append((stage, views))
    html = render_html(env, "board.html", site=cfg, board=board, paper=paper,
                       columns=columns_for(paper), sections=sections, flows=flows, count=len(shown),
                       today=site.today, supervision=supervision_line(cfg, board.township.org),
                       home_url=cfg.base_url)
    return html, shown


def boards_dir(out_dir: Path) -> Path:
    return manifest.print_root(out_dir) / "boards"


def print_board(site: Site, name: str, paper: Paper, out_dir: Path) -> BoardResult:
    board = find_board(site.config, name)
    env = make_print_env(site.config.root)
    html, shown = board_html(site, board, paper, env)
    rendered = render_pdf(html)
    path = boards_dir(out_dir) / board.file_name
    write_atomic(path, rendered.pdf)
    manifest.record(out_dir, site, {f"boards/{board.file_name}": shown})
    return BoardResult(board, path, rendered.pages, len(shown))


def print_all_boards(site: Site, paper: Paper, out_dir: Path) -> list[BoardResult]:
    """Every board, plus index.html / index.json; the folder is replaced as a whole."""
    cfg = site.config
    env = make_print_env(cfg.root)
    target = boards_dir(out_dir)
    results: list[BoardResult] = []
    shown_by_file: dict[str, list[str]] = {"boards/index.html": [], "boards/index.json": []}
    with staged(target) as out:
        for board in boards(cfg):
            html, shown = board_html(site, board, paper, env)
            rendered = render_pdf(html)
            out.write_bytes(board.file_name, rendered.pdf)
            shown_by_file[f"boards/{board.file_name}"] = shown
            results.append(BoardResult(board, target / board.file_name, rendered.pages, len(shown)))
        rows = [{"board": r.board.name, "township": r.board.township.name,
                 "file": r.board.file_name, "href": quote(r.board.file_name),
                 "sheets": r.pages, "items": r.items} for r in results]
        out.write_text("index.html", render_html(
            env, "boards-index.html", site=cfg, rows=rows, today=site.today, paper=paper))
        out.write_text("index.json", json.dumps(
            {"printed": site.today.isoformat(), "paper": paper.label, "boards": rows},
            ensure_ascii=False, indent=1) + "\n")
    manifest.record(out_dir, site, shown_by_file, replace_prefix="boards/")
    return results
