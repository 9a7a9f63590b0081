"""A client of Pagefind's service mode (``pagefind --service``): records in, bundles out.

Pagefind's own Node and Python wrappers drive the same binary this way: each message is a
JSON object ``{"message_id": n, "payload": {...}}``, base64-encoded and followed by a comma,
on stdin; the answers come back the same way on stdout. Speaking it from Python keeps the
one dependency we have (the binary, from npm or GKPUB_PAGEFIND) and needs no Node.js at build
time. Pagefind reads its input on a thread of its own and handles the messages in order, one at
a time; records are pipelined (add_records), everything else waits for its answer.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

RecordArgs = tuple[str, str, str, dict[str, str], dict[str, list[str]]]  # url, content, language, meta, filters
IN_FLIGHT = 64  # records sent and not yet answered, at most (the answers echo each record's meta)


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
                body = answer.get("payload") or {}
                if answer.get("message_id") is None and body.get("type") == "Error":
                    # a message Pagefind could not read: it names none, and no answer will follow
                    raise ServiceError(self._stopped(str(body.get("message") or body)))
                if answer.get("message_id") != message_id:
                    continue  # an earlier message's, not ours
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

    def add_records(self, index: int, records: Iterable[RecordArgs]) -> None:
        """Send the records as they are made, reading the answers IN_FLIGHT behind: Pagefind
        indexes one record while Python makes the next (a 313-record shard: 0.58 s → 0.22–0.33 s).
        A record Pagefind refuses stops the process (the index would lack it) and names its URL."""
        waiting: dict[int, str] = {}
        try:
            for url, content, language, meta, filters in records:
                waiting[self._send({"type": "AddRecord", "index_id": index, "url": url, "content": content,
                                    "language": language, "meta": meta, "filters": filters})] = url
                if len(waiting) >= IN_FLIGHT:
                    self._take(waiting)
            while waiting:
                self._take(waiting)
        except ServiceError:
            if self.proc.poll() is None:
                self._stopped("")
            raise

    def _take(self, waiting: dict[int, str]) -> None:
        message_id = min(waiting)
        try:
            self._answer(message_id)
        except ServiceError as e:
            raise ServiceError(f"{waiting[message_id]}：{e}") from e
        del waiting[message_id]

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
