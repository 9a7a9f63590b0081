"""Make an offline install bundle of gkpub for a machine without internet access.

    python3 scripts/offline_bundle.py [--out 目录] [--tar]

The bundle holds the gkpub wheel (built from a copy of the checkout's files, so the checkout
gets no build/ folder), every Python dependency as a wheel for this machine's platform and
Python version (``pip download --only-binary=:all:``), Pagefind as ``npm pack`` tarballs of the
versions package-lock.json pins (the ``pagefind`` package and this platform's binary package),
checked against the lock file's integrity hashes, and ``install.sh`` for the target machine:
it installs with ``pip install --no-index --find-links wheels/`` into a venv and unpacks
Pagefind where the ``bin/gkpub`` wrapper it writes points ``GKPUB_PAGEFIND``. ``SHA256SUMS``
lets the receiving side check the copy (``sha256sum -c SHA256SUMS``).

Making the bundle needs the network (PyPI or the mirror pip is configured with, and the npm
registry); pip's and npm's own caches make a second run fast.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}  # as Pagefind's npm names


class BundleError(Exception):
    """A step failed; the message says which and why (in Chinese)."""


def _run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
        raise BundleError(f"命令失败（退出码 {proc.returncode}）：{' '.join(cmd)}\n" + "\n".join(detail))
    return proc.stdout


def project_version() -> str:
    return str(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def pagefind_platform() -> str:
    """This machine's Pagefind package suffix: linux-x64, linux-arm64…"""
    machine = platform.machine().lower()
    return f"{sys.platform if sys.platform != 'win32' else 'windows'}-{_ARCH.get(machine, machine)}"


def source_files() -> list[str]:
    """The files `pip install .` in the checkout would see: tracked ones and new ones not ignored."""
    out = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO)
    return sorted({p for p in out.split("\0") if p and (REPO / p).is_file()})


def source_state() -> dict[str, object]:
    commit = _run(["git", "rev-parse", "HEAD"], REPO).strip()
    dirty = bool(_run(["git", "status", "--porcelain", "--untracked-files=normal"], REPO).strip())
    return {"commit": commit, "uncommitted_changes": dirty}


def copy_sources(dest: Path) -> None:
    for rel in source_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)


def build_wheels(src: Path, wheels: Path, work: Path) -> Path:
    """The gkpub wheel, then every dependency as a wheel for this interpreter's platform."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)], work)
    built = sorted(wheels.glob("gkpub-*.whl"))
    if len(built) != 1:
        raise BundleError(f"生成 gkpub 的 wheel 失败：{[w.name for w in built]}")
    try:
        _run([*pip, "download", "-q", "--only-binary=:all:", "-d", str(wheels), str(built[0])], work)
    except BundleError as exc:
        raise BundleError("下载依赖的 wheel 失败（需要能访问 PyPI 或 pip 配置的镜像；"
                          f"所有依赖都必须有本平台的 wheel）：\n{exc}") from None
    return built[0]


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode("ascii")


def pack_pagefind(dest: Path, work: Path, plat: str) -> dict[str, dict[str, str]]:
    """`npm pack` of pagefind and @pagefind/<plat> at the lock file's versions, hashes checked."""
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    packed: dict[str, dict[str, str]] = {}
    for name in ("pagefind", f"@pagefind/{plat}"):
        entry = lock.get(f"node_modules/{name}")
        if entry is None:
            raise BundleError(f"package-lock.json 中没有 {name}：Pagefind 没有这个平台（{plat}）的版本")
        spec = f"{name}@{entry['version']}"
        out = _run(["npm", "pack", spec, "--pack-destination", str(dest), "--json",
                    "--prefer-offline", "--loglevel=error"], work)
        filename = json.loads(out)[0]["filename"]
        path = dest / filename.replace("@", "").replace("/", "-")
        if not path.is_file():  # npm names scoped packs scope-name-version.tgz
            raise BundleError(f"npm pack {spec} 没有写出 {path.name}")
        if _integrity(path) != entry["integrity"]:
            raise BundleError(f"{path.name} 的摘要与 package-lock.json 不符，可能下载有误或被篡改")
        packed[name] = {"version": entry["version"], "file": f"npm/{path.name}", "integrity": entry["integrity"]}
    return packed


INSTALL_SH = r"""#!/bin/sh
# 在没有外网的机器上安装 gkpub（由 gkpub 的 scripts/offline_bundle.py 生成）。
#   sh install.sh [安装目录]        默认 /opt/gkpub；PYTHON=/usr/bin/python3.11 sh install.sh 指定 Python
# 装好后运行 安装目录/bin/gkpub（它已配好随包带来的 Pagefind）。只从本目录安装，不访问网络。
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-/opt/gkpub}
python=${PYTHON:-python3}

fail() { echo "安装失败：$*" >&2; exit 2; }

have=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
  || fail "找不到 Python（$python）；请先安装 Python @PYTHON@，或用 PYTHON=Python 的路径 sh install.sh 指定"
[ "$have" = "@PYTHON@" ] || fail "这个安装包是为 Python @PYTHON@ 制作的，$python 是 Python $have；\
请用 PYTHON= 指定 Python @PYTHON@，或在与本机相同的系统上重新制作安装包"
[ "$(uname -m)" = "@MACHINE@" ] \
  || fail "这个安装包是为 @MACHINE@ 制作的，本机是 $(uname -m)；请在与本机相同架构的机器上重新制作安装包"
case "$prefix" in *[\"\$\`\\]*) fail "安装目录不能含有 \" \$ \` \\ 字符：$prefix" ;; esac

echo "==> 核对安装包文件（SHA256SUMS）"
(cd "$here" && sha256sum --quiet -c SHA256SUMS) || fail "安装包文件不完整或已损坏，请重新复制"

mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
echo "==> 安装 gkpub @VERSION@ 到 $prefix（Python 虚拟环境 $prefix/venv）"
"$python" -m venv "$prefix/venv"
"$prefix/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
  --find-links "$here/wheels" "gkpub==@VERSION@"

echo "==> 安装 Pagefind @PAGEFIND@（生成站内检索索引）"
modules="$prefix/node_modules"
for pack in @PACKS@; do
  name=${pack%%=*}; file=${pack#*=}
  rm -rf "$modules/$name"; mkdir -p "$modules/$name"
  tar -xzf "$here/$file" -C "$modules/$name" --strip-components=1 --no-same-owner
done
pagefind="$modules/@pagefind/@PLATFORM@/bin/pagefind_extended"
"$pagefind" --version >/dev/null || fail "Pagefind 无法运行：$pagefind"

mkdir -p "$prefix/bin"
cat > "$prefix/bin/gkpub" <<EOF
#!/bin/sh
# gkpub，用随离线安装包带来的 Pagefind（已设置 GKPUB_PAGEFIND 时用它指定的那个）
: "\${GKPUB_PAGEFIND:=$pagefind}"
export GKPUB_PAGEFIND
exec "$prefix/venv/bin/gkpub" "\$@"
EOF
chmod 755 "$prefix/bin/gkpub"
"$prefix/bin/gkpub" --version

# What the bundle cannot carry: the CJK fonts and Pango come from the system's own packages.
ok=1
if ! "$prefix/venv/bin/python" -c "import weasyprint" >/dev/null 2>&1; then
  ok=0; echo "注意：缺少 Pango 库，生成 PDF 会失败；请从本系统的安装源安装 Pango\
（Debian/Ubuntu：libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0）" >&2
fi
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then
  ok=0; echo "注意：没有中文字体，生成会停止；请从本系统的安装源安装中文字体（Debian/Ubuntu：fonts-noto-cjk）" >&2
fi
echo "==> 完成：$prefix/bin/gkpub"
echo "    把 $prefix/bin 加入 PATH，或 ln -s $prefix/bin/gkpub /usr/local/bin/gkpub"
[ "$ok" = 1 ] || echo "    按上面的提示补装系统软件包后即可生成网站" >&2
"""

README_TXT = """gkpub {version} 离线安装包（{platform}，Python {python}）

用途：在不能访问互联网的机器（政务内网等）上安装 gkpub、它的全部 Python 依赖和生成站内检索索引的 Pagefind。
目标机器要求：Linux {machine}，Python {python}（带 venv 模块），系统已装中文字体和 Pango（见下）。

1. 把整个文件夹（或 .tar.gz 文件）复制到目标机器，解压：tar -xzf {name}.tar.gz
2. 核对文件：cd {name} && sha256sum -c SHA256SUMS
3. 安装：sh install.sh /opt/gkpub      （安装目录可改；用别的 Python 时 PYTHON=/usr/bin/python3.11 sh install.sh）
4. 使用：/opt/gkpub/bin/gkpub build --site 站点目录   （或 ln -s /opt/gkpub/bin/gkpub /usr/local/bin/gkpub）

安装只用本文件夹中的文件，不访问网络。中文字体（fonts-noto-cjk）和 Pango（libpango-1.0-0、libpangoft2-1.0-0、
libharfbuzz-subset0）是操作系统的软件包，不在安装包中：请从本系统的安装光盘或内网软件源安装；install.sh 会检查并提示。

内容：
  wheels/     gkpub 和全部依赖的 wheel 文件（pip install --no-index --find-links wheels gkpub=={version}）
  npm/        Pagefind {pagefind} 的 npm 包（npm pack 得到，摘要与 gkpub 的 package-lock.json 一致）
  install.sh  安装脚本
  BUNDLE.json 制作信息：gkpub 版本、源码提交、Python 版本和平台、每个文件
  SHA256SUMS  每个文件的 SHA-256
"""


def write_tar(folder: Path, target: Path) -> None:
    """A tidy .tar.gz of ``folder``: sorted names, one timestamp (the bundle's), no owner names."""
    stamp = int(json.loads((folder / "BUNDLE.json").read_text(encoding="utf-8"))["created_epoch"])
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in [folder, *sorted(folder.rglob("*"))]:
            info = tar.gettarinfo(str(path), arcname=str(Path(folder.name) / path.relative_to(folder)))
            info.mtime, info.uid, info.gid, info.uname, info.gname = stamp, 0, 0, "", ""
            info.mode = 0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644
            if path.is_file():
                with path.open("rb") as fh:
                    tar.addfile(info, fh)
            else:
                tar.addfile(info)
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=stamp) as gz:
        gz.write(buf.getvalue())


def make_bundle(out: Path, tar: bool = False) -> Path:
    """Write the bundle folder ``out`` (absent or empty); returns it (or the .tar.gz with ``tar``)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BundleError(f"{out} 已存在且不是空文件夹；请换一个新的文件夹")
    version = project_version()
    plat = pagefind_platform()
    py = f"{sys.version_info[0]}.{sys.version_info[1]}"
    out.mkdir(parents=True, exist_ok=True)
    wheels, npm = out / "wheels", out / "npm"
    wheels.mkdir()
    npm.mkdir()
    with tempfile.TemporaryDirectory(prefix="gkpub-bundle-") as tmp:
        src, work = Path(tmp) / "src", Path(tmp) / "work"
        work.mkdir()
        print("==> 复制 gkpub 源码（构建在副本中进行）", flush=True)
        copy_sources(src)
        print("==> 生成 gkpub 的 wheel，下载依赖的 wheel", flush=True)
        gkpub_wheel = build_wheels(src, wheels, work)
        print("==> 打包 Pagefind（npm pack）", flush=True)
        packed = pack_pagefind(npm, work, plat)

    packs = " ".join(f"{name}={info['file']}" for name, info in packed.items())
    script = INSTALL_SH
    for token, value in (("@PYTHON@", py), ("@MACHINE@", platform.machine()), ("@VERSION@", version),
                         ("@PAGEFIND@", packed["pagefind"]["version"]), ("@PACKS@", packs),
                         ("@PLATFORM@", plat)):
        script = script.replace(token, value)
    (out / "install.sh").write_text(script, encoding="utf-8")
    (out / "install.sh").chmod(0o755)
    name = out.name
    (out / "README.txt").write_text(README_TXT.format(version=version, platform=plat, python=py, name=name,
                                                      machine=platform.machine(),
                                                      pagefind=packed["pagefind"]["version"]), encoding="utf-8")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    digests = {rel: hashlib.sha256((out / rel).read_bytes()).hexdigest() for rel in files}
    manifest = {
        "gkpub": version, "wheel": f"wheels/{gkpub_wheel.name}", "source": source_state(),
        "python": py, "machine": platform.machine(), "pip_platform": sysconfig.get_platform(),
        "pagefind": packed, "created": now.isoformat(), "created_epoch": int(now.timestamp()),
        "files": digests,
    }
    (out / "BUNDLE.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    digests["BUNDLE.json"] = hashlib.sha256((out / "BUNDLE.json").read_bytes()).hexdigest()
    (out / "SHA256SUMS").write_text("".join(f"{digests[rel]}  {rel}\n" for rel in sorted(digests)),
                                    encoding="utf-8")
    if not tar:
        return out
    archive = out.with_name(out.name + ".tar.gz")
    write_tar(out, archive)
    return archive


def main(argv: list[str] | None = None) -> int:
    version = project_version()
    default = f"gkpub-offline-{version}-{pagefind_platform()}-py{sys.version_info[0]}{sys.version_info[1]}"
    parser = argparse.ArgumentParser(description="制作 gkpub 的离线安装包（wheel、依赖、Pagefind 和安装脚本）")
    parser.add_argument("--out", type=Path, default=Path(default),
                        help=f"安装包文件夹（不存在或为空；默认当前目录下的 {default}）")
    parser.add_argument("--tar", action="store_true", help="同时打包为 文件夹名.tar.gz，便于复制")
    args = parser.parse_args(argv)
    try:
        made = make_bundle(args.out.resolve(), tar=args.tar)
    except BundleError as exc:
        print(f"制作离线安装包失败：{exc}", file=sys.stderr)
        return 1
    print(f"==> 已生成离线安装包：{made}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
