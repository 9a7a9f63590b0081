"""What a one-shot build keeps on disk for the next one (#16): the validated items
(content/loader.py LoadState, loaded.pickle) and the parts of the open-data files
(store/memo.py, channels.pickle). Reused only while exact: every edit is seen, damaged or
foreign files are ignored, and the output is the bytes of a clean build."""
from __future__ import annotations

import datetime as dt
import pickle
import shutil
from pathlib import Path

from conftest import TODAY, item_text, run, tree_digest, write_item

from gkpub.content.loader import STATE_FILE, LoadState, load_site
from gkpub.outputs.opendata import files
from gkpub.store.memo import Memo


def _items(n: int) -> list[str]:
    return [item_text(标题=f"高龄津贴发放名单第{k}批", 索引号=f"11530000MB00000025/2026-{k + 100:05d}",
                      目录="养老服务/高龄津贴/发放名单", 成文日期="2026-04-01", 发布日期="2026-04-03",
                      body=f"第{k}批名单的说明。")
            for k in range(1, n + 1)]


def _site(mini_site: Path) -> Path:
    for k, text in enumerate(_items(6), start=1):
        write_item(mini_site, f"list-{k}.md", text)
    return mini_site


def build(site: Path, out: Path, cache: Path, *extra: str) -> int:
    return run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat(),
               "--no-search", "--cache", str(cache), *extra)


def same_as_clean(site: Path, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert build(site, clean, tmp_path / "clean-cache", "--clean") == 0
    assert tree_digest(out) == tree_digest(clean)


def test_state_is_kept_and_every_edit_is_seen(mini_site: Path, tmp_path: Path, capsys) -> None:
    site, out, cache = _site(mini_site), tmp_path / "out", tmp_path / "cache"
    assert build(site, out, cache) == 0
    stored = LoadState.read(cache, site)
    assert len(stored.memo.entries) == 7 and all(e[1] is not None for e in stored.memo.entries.values())
    assert (cache / "channels.pickle").is_file()
    before = (cache / STATE_FILE).stat().st_mtime_ns
    assert build(site, out, cache) == 0  # nothing changed: the state is not written again
    assert (cache / STATE_FILE).stat().st_mtime_ns == before

    item = site / "content/items/yanglao/list-3.md"
    item.write_text(item.read_text(encoding="utf-8").replace("发布日期: 2026-04-03", "发布日期: 2026-13-03"),
                    encoding="utf-8")
    capsys.readouterr()
    assert build(site, out, cache) == 1  # a known item that now has an error is validated again
    err = capsys.readouterr().err
    assert "content/items/yanglao/list-3.md:" in err and "发布日期" in err, err

    item.write_text(_items(3)[2].replace("第3批名单的说明。", "第3批名单的更正说明。"), encoding="utf-8")
    assert build(site, out, cache) == 0
    assert "第3批名单的更正说明" in (out / "xxgk/11530000MB00000025/2026-00103/index.html").read_text(encoding="utf-8")
    same_as_clean(site, out, tmp_path)
    assert (cache / STATE_FILE).stat().st_mtime_ns == before  # a few files validated again: not stored
    (site / "content/items/yanglao/list-6.md").unlink()
    assert build(site, out, cache) == 0
    same_as_clean(site, out, tmp_path)
    (cache / STATE_FILE).unlink()
    (site / "content/items/yanglao/list-5.md").touch()  # else nothing changed: the build is skipped (cli/noop.py)
    assert build(site, out, cache) == 0
    assert len(LoadState.read(cache, site).memo.entries) == 6  # stored again, without the file


def test_damaged_or_foreign_state_is_ignored(mini_site: Path, tmp_path: Path) -> None:
    site, out, cache = _site(mini_site), tmp_path / "out", tmp_path / "cache"
    assert build(site, out, cache) == 0
    state = cache / STATE_FILE
    tag, (memo, config, catalog) = pickle.loads(state.read_bytes())
    moved = tmp_path / "elsewhere"
    assert LoadState.read(cache, moved).memo.entries == {}  # another site folder: not this state
    # a state that lies about an item (another title, same digest) is not believed from another engine
    entry = memo.entries[str(site / "content/items/yanglao/list-1.md")]
    entry[1].el["标题"] = "不应出现的标题"
    state.write_bytes(pickle.dumps((("another engine",) + tag[1:], (memo, config, catalog))))
    (site / "content/items/yanglao/list-2.md").write_text(_items(2)[1] + "补充。\n", encoding="utf-8")
    assert build(site, out, cache) == 0
    assert "不应出现的标题" not in (out / "data/items.json").read_text(encoding="utf-8")
    same_as_clean(site, out, tmp_path)
    state.write_bytes(b"not a pickle")
    (cache / "channels.pickle").write_bytes(b"\x80\x05garbage")
    assert build(site, out, cache) == 0
    same_as_clean(site, out, tmp_path)


def test_items_json_from_the_memo_is_the_indented_document(mini_site: Path, tmp_path: Path) -> None:
    site = load_site(_site(mini_site), dt.date.fromisoformat(TODAY.isoformat()))
    index = {i.index_no for i in site.published}
    whole = files._json({"网站": site.config.title,
                         "信息": [files.item_record(i, site, index) for i in site.published]})
    memo = Memo(tmp_path / "m.pickle")
    assert files.items_json(site, memo) == whole  # computed
    memo.save()
    again = Memo(tmp_path / "m.pickle")
    assert len(again.old) == len(site.published) == 7
    assert files.items_json(site, again) == whole  # every record from the memo
    site.published = []
    assert files.items_json(site, Memo(None)) == files._json({"网站": site.config.title, "信息": []})
