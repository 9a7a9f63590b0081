"""A client of Pagefind's service mode (``pagefind --service``): records in, bundles out.

Pagefind's own Node and Python wrappers drive the same binary this way: each message is a
JSON object ``{"message_id": n, "payload": {...}}``, base64-encoded and followed by a comma,
on stdin; the answers come back the same way on stdout. Speaking it from Python keeps the
one dependency we have (the binary, from npm or GKPUB_PAGEFIND) and needs no Node.js at build
time. Requests are answered in order, one at a time, which is all a build needs.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Record = tuple[str, str, str, dict[str, str], dict[str, list[str]]]  # url, content, language, meta, filters


class ServiceError(RuntimeError):
    """Pagefind answered with an error, or stopped."""


class Service:
    """One ``pagefind --service`` process."""

    def __init__(self, exe: Path):
        self.proc = subprocess.Popen([str(exe), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self._next = 0
        self._buf = b""

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self._answer(self._send(payload))

    def _send(self, payload: dict[str, Any]) -> int:
        assert self.proc.stdin is not None
        self._next += 1
        message = json.dumps({"message_id": self._next, "payload": payload}, ensure_ascii=False)
        try:
            self.proc.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        except OSError as e:
            raise ServiceError(self._stopped(f"写入失败：{e}")) from e
        return self._next

    def _answer(self, message_id: int) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.flush()
        except OSError as e:
            raise ServiceError(self._stopped(f"写入失败：{e}")) from e
        while True:
            cut = self._buf.find(b",")
            if cut >= 0:
                raw, self._buf = self._buf[:cut], self._buf[cut + 1:]
                answer = json.loads(base64.b64decode(raw))
                if answer.get("message_id") != message_id:
                    continue  # not ours (Pagefind sends none unasked; be safe)
                body = answer["payload"]
                if body.get("type") == "Error":
                    raise ServiceError(str(body.get("message") or body))
                return body
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                raise ServiceError(self._stopped("进程意外退出"))
            self._buf += chunk

    def _stopped(self, what: str) -> str:
        self.proc.kill()
        err = self.proc.stderr.read().decode("utf-8", "replace").strip() if self.proc.stderr else ""
        self.proc.wait()
        return f"{what}{('：' + err.splitlines()[-1]) if err else ''}"

    def new_index(self) -> int:
        return int(self.call({"type": "NewIndex", "config": {}})["index_id"])

    def add_record(self, index: int, url: str, content: str, language: str, meta: dict[str, str],
                   filters: dict[str, list[str]]) -> None:
        self.add_records(index, [(url, content, language, meta, filters)])

    def add_records(self, index: int, records: Iterable[Record]) -> None:
        """Send every record, then read the answers: Pagefind reads its input on a thread of its
        own and handles the messages in order, so Python makes the next record while Pagefind
        indexes this one (a 313-record shard: 0.4 s of round trips saved)."""
        sent = [self._send({"type": "AddRecord", "index_id": index, "url": url, "content": content,
                            "language": language, "meta": meta, "filters": filters})
                for url, content, language, meta, filters in records]
        for message_id in sent:
            self._answer(message_id)

    def write(self, index: int, path: Path) -> None:
        self.call({"type": "WriteFiles", "index_id": index, "output_path": str(path)})

    def delete(self, index: int) -> None:
        self.call({"type": "DeleteIndex", "index_id": index})

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            if f is not None:
                f.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
