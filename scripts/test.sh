#!/usr/bin/env bash
# Installs everything, builds, and runs every test: the normal build, then the whole suite
# again under AddressSanitizer + UndefinedBehaviorSanitizer. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=$(nproc)

# ctest in build dir $1 (further ctest arguments after it), then the figures the fault
# tests measured (tests/support/figures.h), printed even when a test failed.
run_ctest() {
  local dir=$1 status=0
  shift
  rm -f "$dir/figures.txt"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" "$@" || status=$?
  if [[ -s "$dir/figures.txt" ]]; then
    echo "== figures ($dir) =="
    cat "$dir/figures.txt"
  fi
  return "$status"
}

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRIGHTS_WERROR=ON
cmake --build build-test -j"$jobs"
run_ctest build-test --schedule-random

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRIGHTS_SANITIZE=ON -DRIGHTS_WERROR=ON
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  run_ctest build-asan -LE no-sanitize

# Bounded fuzzing of the query parser, HTTP parameters and every extractor (clang-14
# libFuzzer + ASan/UBSan); fails on any crash. FUZZ_SECONDS per target.
./scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
