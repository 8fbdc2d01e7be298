#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install, build, index the sample corpus,
# serve it on http://127.0.0.1:${PORT:-8080}/ (Ctrl-C stops).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRIGHTS_BUILD_TESTS=OFF
cmake --build build -j"$(nproc)"
mkdir -p var
./build/indexer/indexer build corpus --index var/index
./build/indexer/indexer stats --index var/index | head -8
echo "Sample query: searchd query --index var/index 'impunity'"
./build/searchd/searchd query --index var/index --authority corpus/authority --per-page 3 'impunity' | head -c 600; echo
echo "Serving http://127.0.0.1:${PORT:-8080}/  (API: /api/search?q=impunity)"
exec ./build/searchd/searchd --index var/index --authority corpus/authority --web-root web \
  --host 127.0.0.1 --port "${PORT:-8080}"
