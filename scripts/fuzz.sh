#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang-14 + ASan/UBSan and runs each for a
# bounded time. CI calls it from scripts/test.sh with a small budget.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET=30]
#
# Environment:
#   FUZZ_BUILD_DIR   build directory (default: build-fuzz)
#   FUZZ_TARGETS     space-separated subset of the targets (default: all)
#   FUZZ_ARTIFACTS   where crash/timeout/leak/oom inputs are written
#                    (default: $FUZZ_BUILD_DIR/fuzz-artifacts/<target>/)
#   FUZZ_KEEP_WORK=1 keep the temporary working corpora (path printed)
#
# Each target starts from a copy of tests/fuzz/corpus/<target>/ in a temporary directory,
# so the repository is never modified; new inputs the fuzzer finds are discarded unless
# FUZZ_KEEP_WORK=1. Inputs in tests/fuzz/regressions/<target>/ (crashes found earlier) are
# replayed first. Prints one figure line per target and a summary; exits 1 if any target
# crashed, hung, leaked or ran out of memory (the input's path is printed), 2 on setup errors.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [SECONDS_PER_TARGET=30]" >&2
  exit 2
fi
build=${FUZZ_BUILD_DIR:-build-fuzz}
all_targets=(fuzz_query_parser fuzz_http_params fuzz_extract_html fuzz_extract_pdf fuzz_extract_text fuzz_tokenize)
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"

if ! command -v clang++-14 >/dev/null ||
   ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "fuzz: clang-14 with libFuzzer is required: apt-get install -y clang-14 libclang-rt-14-dev" >&2
  exit 2
fi

# --- Build ---------------------------------------------------------------------------------
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRIGHTS_FUZZ=ON -DRIGHTS_BUILD_TESTS=OFF -DRIGHTS_SANITIZE=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}" -j"$(nproc)"

# --- Run -----------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/rights-fuzz.XXXXXX")
if [[ ${FUZZ_KEEP_WORK:-0} == 1 ]]; then
  echo "fuzz: working corpora kept in $work"
else
  trap 'rm -rf "$work"' EXIT
fi

# The dictionary of a target, if it has one.
dict_for() {
  case $1 in
    fuzz_query_parser) echo tests/fuzz/query.dict ;;
    fuzz_http_params) echo tests/fuzz/http_params.dict ;;
    fuzz_extract_html) echo tests/fuzz/html.dict ;;
    fuzz_extract_pdf) echo tests/fuzz/pdf.dict ;;
    *) echo "" ;;
  esac
}

# Prints the lines of a libFuzzer/sanitizer log that say what went wrong: the report, and
# the stack frames of our code and the libraries (libFuzzer's and libc's own are dropped).
show_failure() {
  grep -E '^==FUZZ==|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY:|^ +#[0-9]+ 0x[0-9a-f]+ in ' "$1" |
    grep -vE ' in (fuzzer::|__sanitizer_|__libc_|__pthread_kill|_start |raise |abort |main )' |
    head -n 40 | sed 's/^/    /' || true
}

# Every artifact path a log names ("Test unit written to PATH").
artifacts_in() {
  sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$1"
}

# Known third-party leaks (each explained in the file); ours are still reported.
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=0
total_execs=0
declare -a summary_failed=()

for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/$target"
  if [[ ! -x $binary ]]; then
    echo "fuzz $target: no such target ($binary)" >&2
    exit 2
  fi
  artifacts="${FUZZ_ARTIFACTS:-$build/fuzz-artifacts}/$target"
  mkdir -p "$artifacts" "$work/$target/corpus"
  artifacts=$(cd "$artifacts" && pwd)
  dict=$(dict_for "$target")
  dict_args=()
  [[ -n $dict ]] && dict_args=("-dict=$dict")
  common=(-timeout=10 -rss_limit_mb=2048 -max_len=65536 "-artifact_prefix=$artifacts/" -print_final_stats=1)

  # Earlier crashes first: each file is run once.
  regressions="tests/fuzz/regressions/$target"
  if compgen -G "$regressions/*" >/dev/null; then
    log="$work/$target/regressions.log"
    if ! "$binary" "${common[@]}" "$regressions"/* >"$log" 2>&1; then
      input=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
      echo "fuzz $target: 0 executions, 0 inputs in corpus, 1 crash (known crash not fixed yet:" \
           "${input:-$regressions/}; fuzzing skipped)"
      show_failure "$log"
      cp -- "$log" "$artifacts/regressions.log"
      echo "    full log: $artifacts/regressions.log"
      failed=1
      summary_failed+=("$target(regression)")
      continue
    fi
  fi

  if compgen -G "tests/fuzz/corpus/$target/*" >/dev/null; then
    cp -- tests/fuzz/corpus/"$target"/* "$work/$target/corpus/"
  fi
  log="$work/$target/fuzz.log"
  status=0
  "$binary" "${common[@]}" "${dict_args[@]}" \
    -max_total_time="$seconds" "$work/$target/corpus" >"$log" 2>&1 || status=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  if [[ -z $execs ]]; then  # no final stats: the last "#N ..." status line
    execs=$(sed -n 's/^#\([0-9]*\)[[:space:]].*/\1/p' "$log" | tail -n 1)
  fi
  execs=${execs:-0}
  inputs=$(sed -n 's/^#[0-9]*[[:space:]]*DONE .* corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -n 1)
  if [[ -z $inputs ]]; then
    inputs=$(find "$work/$target/corpus" -type f | wc -l)
  fi
  total_execs=$((total_execs + execs))

  crash_files=$(artifacts_in "$log")
  if ((status != 0)) || [[ -n $crash_files ]]; then
    failed=1
    summary_failed+=("$target")
    echo "fuzz $target: $execs executions, $inputs inputs in corpus, 1 crash (libFuzzer exit $status)"
    show_failure "$log"
    if [[ -n $crash_files ]]; then
      while IFS= read -r file; do echo "    crash input: $file"; done <<<"$crash_files"
    fi
    cp -- "$log" "$artifacts/fuzz.log"
    echo "    full log: $artifacts/fuzz.log"
    echo "    reproduce: $binary $([[ -n $crash_files ]] && head -n 1 <<<"$crash_files")"
  else
    echo "fuzz $target: $execs executions, $inputs inputs in corpus, 0 crashes"
  fi
done

if ((failed)); then
  echo "fuzz: FAILED: ${summary_failed[*]} (${#targets[@]} targets, ${seconds}s each, $total_execs executions)"
  exit 1
fi
echo "fuzz: OK: ${#targets[@]} targets, ${seconds}s each, $total_execs executions, 0 crashes"
