"""The cache's record of the output: which recorded digests a later look at the disk may keep."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from gkpub.store.manifest import RACY_NS, Record, _boot_id, scan, tree_entries


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    files = {"pagefind/a/index.pf": b"shard a", "pagefind/b/index.pf": b"shard b", "pagefind/words/0.json": b"{}"}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        old = time.time() - 60  # written well before the record was saved
        os.utime(root / rel, (old, old))
    return {rel: _sha(data) for rel, data in files.items()}


def test_a_vouched_file_keeps_its_digest_and_a_rewritten_one_is_read(tmp_path: Path) -> None:
    digests = _tree(tmp_path)
    # saved a while after the files were last touched (their ctime is now: utime sets it)
    record = Record(manifest="", key="", sigs={}, stats=scan(tmp_path), stamp=time.time_ns() + 2 * RACY_NS)
    files = dict(digests, **{"pagefind/a/index.pf": "f" * 64})  # what the record says of a (not its bytes)
    (tmp_path / "pagefind/b/index.pf").unlink()
    (tmp_path / "pagefind/b/index.pf").write_bytes(b"shard b, rebuilt")  # a new file: new inode and times
    got = tree_entries(tmp_path, "pagefind", (record, files))
    assert got["pagefind/a/index.pf"][0] == "f" * 64  # not read again: the record vouches for it
    assert got["pagefind/b/index.pf"][0] == _sha(b"shard b, rebuilt")
    assert got["pagefind/words/0.json"][0] == digests["pagefind/words/0.json"]
    assert {rel: d for rel, (d, _) in tree_entries(tmp_path, "pagefind").items()} == \
        dict(digests, **{"pagefind/b/index.pf": _sha(b"shard b, rebuilt")})  # without a record: all read


def test_no_vouching_for_a_change_near_the_record_or_after_a_reboot(tmp_path: Path) -> None:
    _tree(tmp_path)
    stats = scan(tmp_path)
    rel = "pagefind/a/index.pf"
    wrong = {r: "0" * 64 for r in stats}
    near = Record(manifest="", key="", sigs={}, stats=stats, stamp=stats[rel][2] + RACY_NS // 2)
    assert tree_entries(tmp_path, "pagefind", (near, wrong))[rel][0] == _sha(b"shard a")
    later = time.time_ns() + 2 * RACY_NS
    rebooted = Record(manifest="", key="", sigs={}, stats=stats, boot="another boot", stamp=later)
    assert not rebooted.vouches(rel, stats[rel], _boot_id())
    assert tree_entries(tmp_path, "pagefind", (rebooted, wrong))[rel][0] == _sha(b"shard a")
