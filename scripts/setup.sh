#!/usr/bin/env bash
# Set up a fresh Debian machine for gkpub: system packages (fonts, Chromium, poppler)
# and the Python package with its dependencies. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> 安装系统软件包：${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

EXTRAS="${GKPUB_EXTRAS:-}"
echo "==> 安装 gkpub 及其 Python 依赖${EXTRAS:+（含 $EXTRAS）}"
python3 -m pip install -q --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}"
