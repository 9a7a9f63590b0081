"""The client of ``pagefind --service`` against the real binary: pipelined records, and a failure
on the way that must end in ServiceError, never a hang or a partial index passed on."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from gkpub.outputs.search.pagefind import find_pagefind
from gkpub.outputs.search.service import IN_FLIGHT, Service, ServiceError

pytestmark = pytest.mark.pagefind


def records(n: int) -> list[tuple[str, str, str, dict[str, str], dict[str, list[str]]]]:
    return [(f"/r/{i}/", f"alpha beta w{i:04d}", "unknown", {"title": f"第{i}条"}, {"类型": ["公开信息"]})
            for i in range(n)]


def test_more_records_than_in_flight_all_land_in_order(tmp_path: Path) -> None:
    exe, _ = find_pagefind()
    n = IN_FLIGHT * 2 + 5
    with Service(exe) as svc:
        index = svc.new_index()
        svc.add_records(index, iter(records(n)))
        svc.write(index, tmp_path / "bundle")
        svc.delete(index)
        # the same process goes on answering after a pipelined batch
        assert svc.new_index() >= 0
    urls = []
    for f in (tmp_path / "bundle" / "fragment").iterdir():
        data = json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
        urls.append(data["url"])
    assert sorted(urls) == sorted(f"/r/{i}/" for i in range(n))


def test_a_refused_record_is_an_error_naming_it_and_stops_the_process() -> None:
    exe, _ = find_pagefind()
    with Service(exe) as svc:
        with pytest.raises(ServiceError) as e:
            svc.add_records(12345, iter(records(IN_FLIGHT + 3)))  # no such index: each record refused
        assert str(e.value).startswith("/r/0/：") and "index" in str(e.value)
        assert svc.proc.poll() is not None  # stopped, not left holding a partial index
        with pytest.raises(ServiceError):
            svc.new_index()


def test_pagefind_dying_on_the_way_is_an_error_not_a_hang() -> None:
    exe, _ = find_pagefind()
    with Service(exe) as svc:
        index = svc.new_index()
        svc.proc.kill()
        svc.proc.wait()
        with pytest.raises(ServiceError):
            svc.add_records(index, iter(records(IN_FLIGHT * 3)))


def test_a_message_pagefind_cannot_read_is_an_error_not_a_hang() -> None:
    exe, _ = find_pagefind()
    with Service(exe) as svc:
        assert svc.proc.stdin is not None
        svc.proc.stdin.write(b"e30=,")  # "{}": valid base64 and JSON, not a message
        with pytest.raises(ServiceError):
            svc.new_index()
