#!/usr/bin/env bash
# Set up a fresh Debian machine for gkpub: system packages (fonts, Chromium, poppler)
# and the Python package with its dependencies. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(fonts-noto-cjk fontconfig libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium)
if [[ ",${GKPUB_EXTRAS:-}," == *",test,"* ]]; then
  # tests/test_nginx.py runs deploy/nginx/ in a real nginx, with Debian's brotli module;
  # tests/test_ci_templates.py publishes with rsync as the CI templates do
  APT_PACKAGES+=(nginx libnginx-mod-http-brotli-filter rsync)
fi
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
if [[ ",$EXTRAS," == *",test,"* ]]; then
  # Test tools: Java for the Nu Html Checker; vnu-jar and axe-core from package-lock.json.
  if ! command -v java >/dev/null 2>&1; then
    echo "==> 安装 Java（运行 HTML 校验器 vnu 所需）"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
  fi
fi
# Node packages from package.json / package-lock.json: Pagefind (the search index; every
# `gkpub build` needs it), Decap CMS and decap-server (`gkpub admin`) and, for tests, vnu-jar
# and axe-core (devDependencies).
if ! command -v npm >/dev/null 2>&1; then
  echo "==> 安装 Node.js 和 npm（生成检索索引的 Pagefind 由 npm 安装）"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
npm_omit=(--omit=dev); npm_what="pagefind、decap-cms"
if [[ ",$EXTRAS," == *",test,"* ]]; then npm_omit=(); npm_what="pagefind、decap-cms、vnu-jar、axe-core"; fi
stamp="node_modules/.gkpub-lock"
lock="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
want="$lock ${npm_omit[*]:-all}"
have="$(cat "$stamp" 2>/dev/null || true)"
# a complete install ("all") also serves a build-only set-up: never prune the test tools
if [ "$have" != "$want" ] && [ "$have" != "$lock all" ]; then
  echo "==> 安装 Node 工具（npm：$npm_what）"
  # `npm ci`: exactly the lock file, which it never rewrites (the lock lists every platform's
  # Pagefind build, so it is complete on any machine and the checkout stays clean).
  # --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; the machine's Java is used.
  npm ci "${npm_omit[@]}" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
fi
echo "==> 安装 gkpub 及其 Python 依赖${EXTRAS:+（含 $EXTRAS）}"
python3 -m pip install -q --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}"
