"""`gkpub admin [--out DIR] [--local [--port N]]`: write the form editor; with --local also run
decap-server (the local backend, writing into the site folder) and serve the admin on this PC
until Ctrl-C stops both."""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gkpub.authoring.admin import DEFAULT_PORT, decap_server, write_admin
from gkpub.cli.argparse_zh import int_arg
from gkpub.cli.serve import bind
from gkpub.util.errors import UsageError

ADMIN_PATH = "/admin/"
_START_SECONDS = 30  # how long decap-server may take to listen


def add_admin_parser(sub: Any, site_args: Callable[..., None]) -> None:
    a = sub.add_parser("admin", help="生成表单编辑页面（Decap），不用手写元数据也能新建、修改信息")
    site_args(a)
    a.add_argument("--out", type=Path, default=None, metavar="目录",
                   help="写到这个目录，默认为 站点目录/admin（不会写进生成的网站）")
    a.add_argument("--local", action="store_true",
                   help="在本机打开表单编辑：同时启动 decap-server，保存的文件直接写入站点目录；按 Ctrl-C 停止")
    a.add_argument("--port", type=int_arg(0, 65534), default=DEFAULT_PORT, metavar="端口",
                   help=f"与 --local 一起使用：表单编辑页面的端口，默认 {DEFAULT_PORT}；"
                        "decap-server 用下一个端口（0 表示都任选空闲端口）")


def run_admin(args: argparse.Namespace, site_dir: Path, today: dt.date) -> int:
    if not args.local:
        out = write_admin(site_dir, today, args.out)
        if args.verbosity:
            print(f"已生成表单编辑：{out}\n"
                  f"  在本机使用：gkpub admin --local --site {site_dir}\n"
                  "  放到内网服务器上使用时，在 site.toml 的 [admin] 中写明代码托管平台（见 README「用表单编辑」）")
        return 0
    return run_local(site_dir, today, args.out, args.port, quiet=not args.verbosity)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class _AdminHandler(http.server.SimpleHTTPRequestHandler):
    """The admin folder at /admin/; / goes there."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".yml": "text/yaml; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

    def do_GET(self) -> None:
        if self.path in ("/", "/admin"):
            self.send_response(302)
            self.send_header("Location", ADMIN_PATH)
            self.end_headers()
            return
        if not self.path.startswith(ADMIN_PATH):
            self.send_error(404)
            return
        self.path = "/" + self.path[len(ADMIN_PATH):]
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _start_decap_server(site_dir: Path, port: int) -> subprocess.Popen[bytes]:
    node = shutil.which("node")
    if node is None:
        raise UsageError("找不到 node（Node.js）：decap-server 需要它；"
                         "请运行 scripts/setup.sh 或 apt-get install nodejs")
    script = decap_server(site_dir)
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(site_dir), "LOG_LEVEL": "warn"}
    proc = subprocess.Popen([node, str(script)], cwd=site_dir, env=env, stdin=subprocess.DEVNULL,
                            start_new_session=True)  # Ctrl-C reaches gkpub, which stops it in order
    deadline = time.monotonic() + _START_SECONDS
    while not _listening(port):
        if proc.poll() is not None:
            raise UsageError(f"decap-server 启动失败（退出码 {proc.returncode}）；端口 {port} 可能已被占用，"
                             f"请用 --port 换一个端口")
        if time.monotonic() > deadline:
            _stop(proc)
            raise UsageError(f"decap-server 在 {_START_SECONDS} 秒内没有开始监听端口 {port}")
        time.sleep(0.1)
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_local(site_dir: Path, today: dt.date, out: Path | None, port: int, quiet: bool = False,
              ready: threading.Event | None = None, stop: threading.Event | None = None) -> int:
    """Write the admin for the local backend, run decap-server and the page until Ctrl-C (or
    ``stop``); both are stopped on the way out, whatever happened."""
    if port == 0:
        page_port, api_port = 0, _free_port()
    else:
        page_port, api_port = port, port + 1
    if _listening(api_port):
        raise UsageError(f"端口 {api_port} 已被占用（decap-server 要用它）；请用 --port 换一个端口")
    folder = write_admin(site_dir, today, out, local_port=api_port)
    server = bind("127.0.0.1", page_port, functools.partial(_AdminHandler, directory=str(folder)))
    proc: subprocess.Popen[bytes] | None = None
    thread: threading.Thread | None = None
    previous = signal.signal(signal.SIGTERM, _sigterm) if threading.current_thread() is threading.main_thread() \
        else None
    try:
        proc = _start_decap_server(site_dir, api_port)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://localhost:{server.server_address[1]}{ADMIN_PATH}"
        if not quiet:
            print(f"表单编辑：{url}  （保存的文件写入 {site_dir / 'content'}；按 Ctrl-C 停止）", flush=True)
        if ready is not None:
            ready.url = url  # type: ignore[attr-defined]
            ready.set()
        try:
            while not (stop and stop.is_set()):
                if proc.poll() is not None:
                    print(f"gkpub: decap-server 意外退出（退出码 {proc.returncode}），表单编辑已停止", file=sys.stderr)
                    return 2
                time.sleep(0.2)
        except KeyboardInterrupt:
            if not quiet:
                print("\n正在停止……", flush=True)
    finally:
        if thread is not None:
            server.shutdown()
        server.server_close()
        if proc is not None:
            _stop(proc)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if not quiet:
        print("已停止。", flush=True)
    return 0


def _sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # stopped like Ctrl-C: decap-server too
