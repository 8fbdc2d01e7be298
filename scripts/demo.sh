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
./build/indexer/indexer stats --index var/index > var/stats.txt
sed -n 1,5p var/stats.txt
# Written to a file, not piped into head: under pipefail a closed pipe would end the script.
./build/searchd/searchd query --index var/index --per-page 3 \
  'impunity' > var/sample-query.json
echo "Sample query 'impunity' (full JSON in var/sample-query.json):"
cut -c1-400 var/sample-query.json
echo "Serving http://127.0.0.1:${PORT:-8080}/  (API: /api/search?q=impunity)"
exec ./build/searchd/searchd --index var/index --web-root web \
  --host 127.0.0.1 --port "${PORT:-8080}"
