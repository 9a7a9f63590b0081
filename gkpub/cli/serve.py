"""`gkpub serve`: build, serve on localhost, rebuild on every save, reload the open page.

The reload script and the error overlay are added to pages as they are served; the
files on disk stay exactly what `gkpub build` writes. A content error leaves the
last good pages served and shows the error over the page, as the terminal prints it.
"""
from __future__ import annotations

import errno
import functools
import http.server
import io
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from gkpub.build.builder import Builder, BuildOptions
from gkpub.util.errors import BuildFailed, UsageError, warnings_report

DEBOUNCE = 0.08  # seconds of quiet after a save before rebuilding (editors write in bursts)
WATCHED = ("content", "layouts", "print")

RELOAD_JS = """(function () {
  var seen = null;
  function overlay(text) {
    var box = document.getElementById('gkpub-error');
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('div');
      box.id = 'gkpub-error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.94);' +
        'color:#fff;font:16px/1.6 monospace;padding:24px;white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = '内容有错误，网站未更新（下面是终端中的同一信息）：\\n\\n' + text;
  }
  function poll() {
    fetch('/__gkpub/state', {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen && !s.error) { location.reload(); return; }
      seen = s.version;
      overlay(s.error);
    }).catch(function () {}).finally(function () { setTimeout(poll, 250); });
  }
  poll();
})();
"""


class ServeState:
    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.lock = threading.Lock()

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "error": self.error}, ensure_ascii=False).encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: ServeState

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        path = urlsplit(self.path).path
        if path == "/__gkpub/state":
            return self._send(200, "application/json; charset=utf-8", self.state.as_json())
        if path == "/__gkpub/reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())
        local = Path(self.translate_path(path))
        if local.is_dir():
            if not path.endswith("/"):
                return super().do_GET()  # the standard redirect to the slash form
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            html = local.read_bytes()
            tag = b'<script src="/__gkpub/reload.js"></script>'
            html = html.replace(b"</body>", tag + b"</body>", 1) if b"</body>" in html else html + tag
            return self._send(200, "text/html; charset=utf-8", html)
        if not local.exists():
            not_found = Path(self.directory) / "404.html"
            if not_found.is_file():
                return self._send(404, "text/html; charset=utf-8", not_found.read_bytes())
        return super().do_GET()

    def _send(self, code: int, ctype: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class Rebuilder:
    """Rebuilds after changes, one build at a time, and tells the browser."""

    def __init__(self, builder: Builder, state: ServeState, out: TextIO | None = None,
                 err: TextIO | None = None, verbose: bool = False):
        # the streams of the moment, not of import time (a test's capture may have replaced them)
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.builder, self.state = builder, state
        self.verbose = verbose  # -v: name the files each rebuild was for
        self.dirty = threading.Event()
        self.stopping = threading.Event()
        self.pending: set[str] | None = set()  # files reported changed; None: unknown, check all
        self.pending_lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.dirty.set()
        self.thread.join(timeout=30)

    def changed(self, path: str | None = None) -> None:
        """A file changed (``path``), or something changed that names no single file (None)."""
        with self.pending_lock:
            if path is None:
                self.pending = None
            elif self.pending is not None:
                self.pending.add(path)
        self.dirty.set()

    def _take_pending(self) -> set[str] | None:
        with self.pending_lock:
            pending, self.pending = self.pending, set()
        return pending

    def _loop(self) -> None:
        while not self.stopping.is_set():
            self.dirty.wait()
            if self.stopping.is_set():
                return
            while True:  # wait for a moment of quiet
                self.dirty.clear()
                time.sleep(DEBOUNCE)
                if not self.dirty.is_set():
                    break
            self.rebuild()

    def rebuild(self) -> float | None:
        t0 = time.perf_counter()
        changed = self._take_pending()
        if self.verbose:
            what = "、".join(sorted(Path(p).name for p in changed)) if changed else "（未知，全部核对）"
            print(f"{time.strftime('%H:%M:%S')} 有变化：{what}", file=self.err, flush=True)
        try:
            result = self.builder.run(extras=False, changed=changed)
        except BuildFailed as exc:
            text = exc.errors.report()
            with self.state.lock:
                self.state.error = text
            print(text, file=self.err, flush=True)
            return None
        elapsed = time.perf_counter() - t0
        with self.state.lock:
            self.state.error = ""
            self.state.version += 1
        print(f"{time.strftime('%H:%M:%S')} 已更新 {result.rendered} 个页面，用时 {elapsed * 1000:.0f} 毫秒",
              file=self.out, flush=True)
        if result.site.warnings:
            print(warnings_report(result.site.warnings), file=self.err, flush=True)
        try:
            self.builder.run_extras()  # data files, feeds, report: after the browser is told
        except Exception as exc:  # never let a background step kill the server
            print(f"更新开放数据等文件时出错：{exc}", file=self.err, flush=True)
        self.builder.tidy()
        return elapsed


def watch(paths: list[Path], on_change) -> object:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            if event.is_directory:
                if event.event_type in ("moved", "created", "deleted"):
                    on_change(None)  # a folder moved in or out: its files are not listed one by one
                return
            for path in (event.src_path, getattr(event, "dest_path", "")):
                name = Path(str(path)).name
                if path and not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp"))):
                    on_change(str(path))

    observer = Observer()
    handler = Handler()
    for p in paths:
        if p.is_dir():
            observer.schedule(handler, str(p), recursive=True)
        elif p.is_file():
            observer.schedule(handler, str(p.parent), recursive=False)
    observer.start()
    return observer


def bind(host: str, port: int, handler: Callable[..., http.server.BaseHTTPRequestHandler]
         ) -> http.server.ThreadingHTTPServer:
    """The preview server, listening; a Chinese UsageError (exit 2) when it cannot listen there."""
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except socket.gaierror:
        raise UsageError(f"无法监听地址 {host}：找不到这个主机名；请用 --host 改正，如 --host 127.0.0.1") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"端口 {port} 已被占用（{host}:{port}），可能另一个 gkpub serve 正在运行；"
                             f"请用 --port 换一个端口，如 --port {port + 1 if port < 65535 else 8000}") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UsageError(f"没有权限监听端口 {port}（小于 1024 的端口需要管理员权限）；"
                             f"请用 --port 换一个端口，如 --port 8000") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UsageError(f"无法监听地址 {host}：本机没有这个地址；请用 --host 改正，如 --host 127.0.0.1") from None
        raise UsageError(f"无法在 {host}:{port} 上监听：{exc.strerror or exc}；请用 --host 或 --port 另选") from None


def host_warning(host: str, port: int, drafts: bool) -> str | None:
    """What to say when the preview listens beyond this computer (``--host 0.0.0.0``): who
    can see it, and how a leader's review link is made (issue #13 item 6). None on loopback."""
    if host in ("localhost", "::1") or host.startswith("127."):
        return None
    shown = ("草稿和" if drafts else "") + "尚未发布的内容"
    review = ("页面都带「预览，未发布」横幅，并禁止搜索引擎收录" if drafts else
              "要给领导审阅草稿，请加 --drafts：页面带「预览，未发布」横幅，并禁止搜索引擎收录")
    return (f"警告：--host {host} 让本机以外的电脑也能打开这个预览，同一网络中的任何人都能看到{shown}；"
            f"{review}。其他电脑请用本机的 IP 地址访问（http://本机IP:{port}/），"
            "只在单位内网中使用，审阅完按 Ctrl-C 停止。")


def serve(opts: BuildOptions, host: str = "127.0.0.1", port: int = 8000,
          ready: threading.Event | None = None, stop: threading.Event | None = None,
          verbosity: int = 1) -> int:
    """Run until Ctrl-C (or ``stop`` is set, for tests). Returns the exit code.

    ``verbosity``: 0 (-q) drops the line after each rebuild, 2 (-v) names what changed."""
    state = ServeState()
    handler = functools.partial(type("Handler", (_Handler,), {"state": state}), directory=str(opts.out_dir))
    server = bind(host, port, handler)  # before the first build: a port in use is known at once
    try:
        builder = Builder(opts, keep_state=True)
    except BaseException:
        server.server_close()
        raise
    out = io.StringIO() if verbosity == 0 else sys.stdout
    rebuilder = Rebuilder(builder, state, out=out, verbose=verbosity >= 2)
    try:
        first = builder.run()
        builder.tidy()
        if first.site.warnings:
            print(warnings_report(first.site.warnings), file=sys.stderr, flush=True)
    except BuildFailed as exc:
        state.error = exc.errors.report()
        print(state.error, file=sys.stderr, flush=True)
        if not opts.out_dir.is_dir():
            print("首次生成失败，没有可以显示的页面；修改内容后会自动重试。", file=sys.stderr)
            opts.out_dir.mkdir(parents=True, exist_ok=True)
    except BaseException:
        server.server_close()
        builder.close()
        raise
    server.daemon_threads = True
    watched = [opts.site_dir / d for d in WATCHED] + [opts.site_dir / "site.toml"]
    observer = watch(watched, rebuilder.changed)
    rebuilder.start()
    server_thread = threading.Thread(target=server.serve_forever, daemon=True)
    server_thread.start()
    print(f"预览地址：http://{host}:{server.server_address[1]}/  （保存文件后自动更新；按 Ctrl-C 停止）", flush=True)
    warning = host_warning(host, server.server_address[1], opts.drafts or opts.future)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    if ready is not None:
        ready.port = server.server_address[1]  # type: ignore[attr-defined]
        ready.set()
    try:
        while not (stop and stop.is_set()):
            time.sleep(0.2)
    except KeyboardInterrupt:
        print("\n正在停止……", flush=True)
    finally:
        observer.stop()  # type: ignore[attr-defined]
        observer.join(timeout=5)  # type: ignore[attr-defined]
        rebuilder.stop()
        server.shutdown()
        server.server_close()
        builder.close()
    print("已停止。", flush=True)
    return 0
