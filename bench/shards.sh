#!/usr/bin/env bash
# Scale-out benchmark: search throughput of one index against N shards, opened locally
# through their XAPIANDB stub and remotely through one xapian-tcpsrv per shard (searchd
# under wrk, 10 s each by default), and the lag of a read replica: the time from
# `indexer build` finishing on the master to searchd on the replica (fed by
# xapian-replicate-server -> xapian-replicate) serving the new generation.
#
#   bench/shards.sh [--docs N] [--shards N] [--duration S] [--concurrency C]
#                   [--rounds R] [--seed S] [--build-dir DIR] [--keep]
#
# Prints a table and appends the raw numbers, one JSON object per line, to
# bench/out/shards-<UTC date>.json ($BENCH_OUT overrides the folder). The generated corpus
# is cached like bench/run.sh's, in $BENCH_DIR (default /tmp/rights-bench). Every server
# listens on 127.0.0.1, runs under timeout(1), and is killed on exit. Indexes are deleted
# at the end (logs kept) unless --keep.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_SRC="$REPO/bench"
BENCH_DIR="${BENCH_DIR:-/tmp/rights-bench}"
BUILD_DIR="$REPO/build-bench"
DOCS=10000
SHARDS=3
DURATION=10
CONCURRENCY=4
ROUNDS=2
SEED=42
KEEP=0
COMMAND_LINE="bench/shards.sh $*"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case "$1" in
    --docs) DOCS="${2:?}"; shift 2 ;;
    --shards) SHARDS="${2:?}"; shift 2 ;;
    --duration) DURATION="${2:?}"; shift 2 ;;
    --concurrency) CONCURRENCY="${2:?}"; shift 2 ;;
    --rounds) ROUNDS="${2:?}"; shift 2 ;;
    --seed) SEED="${2:?}"; shift 2 ;;
    --build-dir) BUILD_DIR="${2:?}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage ;;
    *) echo "shards.sh: unknown argument $1" >&2; usage ;;
  esac
done
for number in DOCS SHARDS DURATION CONCURRENCY ROUNDS SEED; do
  [[ "${!number}" =~ ^[0-9]+$ ]] || { echo "shards.sh: --${number,,} must be a whole number" >&2; exit 2; }
done
((SHARDS >= 2 && DURATION >= 1 && CONCURRENCY >= 1 && ROUNDS >= 1 && DOCS >= 10)) ||
  { echo "shards.sh: need --shards >= 2, --docs >= 10 and the others >= 1" >&2; exit 2; }

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RUN_DIR="$BENCH_DIR/shards/$STAMP"
OUT_DIR="${BENCH_OUT:-$BENCH_SRC/out}"
OUT_FILE="$OUT_DIR/shards-$(date -u +%Y%m%d).json"
mkdir -p "$RUN_DIR" "$OUT_DIR" "$BENCH_DIR/corpora"

log() { printf '[shards %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }

# ---------------------------------------------------------------- cleanup: kill what we started
# Servers run in sessions of their own (setsid): xapian-tcpsrv ends its connection
# children with kill(0, SIGTERM), which must not reach this script.
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]:-}"; do [[ -n "$pid" ]] && wait "$pid" 2>/dev/null; done
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
stop() {  # PID...
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
}

need() { command -v "$1" >/dev/null 2>&1 || { echo "shards.sh: $1 not found (Debian package: $2)" >&2; exit 1; }; }
need wrk wrk; need xapian-tcpsrv xapian-tools; need xapian-replicate xapian-tools
need xapian-replicate-server xapian-tools; need curl curl; need python3 python3; need setsid util-linux
need cmake cmake

# ---------------------------------------------------------------- binaries and corpus
INDEXER="$BUILD_DIR/indexer/indexer"
SEARCHD="$BUILD_DIR/searchd/searchd"
GEN="$BUILD_DIR/bench/bench_gen_corpus"
if [[ ! -x "$INDEXER" || ! -x "$SEARCHD" || ! -x "$GEN" ]]; then
  log "building indexer, searchd and bench_gen_corpus (Release) in $BUILD_DIR"
  { cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release &&
    cmake --build "$BUILD_DIR" -j"$(nproc)" --target indexer searchd bench_gen_corpus; } >"$RUN_DIR/build.log" 2>&1 ||
    die "build failed, see $RUN_DIR/build.log"
fi
"$INDEXER" --help | grep -q -- --shards || die "$INDEXER has no --shards: rebuild it (cmake --build $BUILD_DIR)"
"$SEARCHD" --help | grep -q -- --remote || die "$SEARCHD has no --remote: rebuild it (cmake --build $BUILD_DIR)"
BUILD_TYPE="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)"
[[ "$BUILD_TYPE" == "Release" ]] || log "note: $BUILD_DIR is a '$BUILD_TYPE' build, not Release"

# Same cache key as bench/run.sh, so both scripts share generated corpora.
GEN_HASH="$(cat "$BENCH_SRC/gen_corpus.cpp" "$BENCH_SRC/vocabulary.txt" "$REPO"/corpus/authority/*.json | sha1sum | cut -c1-8)"
CORPUS="$BENCH_DIR/corpora/gen-$DOCS-seed$SEED-$GEN_HASH"
if [[ ! -d "$CORPUS" ]]; then
  log "generating $DOCS documents into $CORPUS"
  "$GEN" --docs "$DOCS" --seed "$SEED" --out "$CORPUS.partial" >"$RUN_DIR/gen.log" 2>&1 && mv "$CORPUS.partial" "$CORPUS" ||
    die "corpus generation failed, see $RUN_DIR/gen.log"
fi

build_index() {  # INDEX_PATH [extra indexer args] -> prints seconds
  local index="$1" started; shift
  started="$(now)"
  timeout 3600 "$INDEXER" build "$CORPUS" --index "$index" "$@" >>"$RUN_DIR/indexer.log" 2>&1 ||
    die "indexer build $index failed, see $RUN_DIR/indexer.log"
  python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$started" "$(now)"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---------------------------------------------------------------- servers
BUDGET=$((DURATION * 10 + 3600))  # no server outlives the run, even if this script is killed -9

start_tcpsrv() {  # DATABASE LOG -> prints "PID PORT"
  local database="$1" log_file="$2" port pid attempt i
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    setsid timeout --signal=TERM "$BUDGET" xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$database" \
      >"$log_file" 2>&1 </dev/null &
    pid=$!
    for ((i = 0; i < 100; i++)); do
      grep -q "Listening" "$log_file" 2>/dev/null && { echo "$pid $port"; return 0; }
      kill -0 "$pid" 2>/dev/null || break  # lost the port to someone else: try another
      sleep 0.05
    done
    stop "$pid"
  done
  return 1
}

SEARCHD_PID=""
SEARCHD_PORT=""
start_searchd() {  # LOG searchd-args...
  local log_file="$1" i; shift
  setsid timeout --signal=TERM "$BUDGET" "$SEARCHD" "$@" --authority "$CORPUS/authority" --host 127.0.0.1 \
    --port 0 --threads "$CONCURRENCY" --rate-limit 0 >"$log_file" 2>&1 </dev/null &
  SEARCHD_PID=$!
  PIDS+=("$SEARCHD_PID")
  for ((i = 0; i < 600; i++)); do
    SEARCHD_PORT="$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$log_file" 2>/dev/null | head -1)"
    [[ -n "$SEARCHD_PORT" ]] && curl -sf "http://127.0.0.1:$SEARCHD_PORT/healthz" >/dev/null && return 0
    kill -0 "$SEARCHD_PID" 2>/dev/null || break
    sleep 0.1
  done
  die "searchd did not become healthy, see $log_file"
}

# ---------------------------------------------------------------- query load
# load NAME: one validating pass over bench/queries.txt (warms caches, records every
# total), then wrk for DURATION seconds; writes RUN_DIR/NAME.json.
load() {
  local name="$1"
  python3 "$BENCH_SRC/bench.py" validate "$SEARCHD_PORT" "$BENCH_SRC/queries.txt" "$RUN_DIR/$name.totals.jsonl" \
    2>"$RUN_DIR/$name.validate.err" || die "$name: wrong answers, see $RUN_DIR/$name.validate.err"
  log "$name: wrk, $CONCURRENCY connections, ${DURATION}s"
  BENCH_QUERIES="$BENCH_SRC/queries.txt" timeout $((DURATION + 60)) \
    wrk -t1 -c"$CONCURRENCY" -d"${DURATION}s" --timeout 10s -s "$BENCH_SRC/wrk.lua" "http://127.0.0.1:$SEARCHD_PORT" \
    >"$RUN_DIR/$name.wrk.out" 2>&1 || die "$name: wrk failed, see $RUN_DIR/$name.wrk.out"
  sed -n 's/^BENCH_JSON //p' "$RUN_DIR/$name.wrk.out" >"$RUN_DIR/$name.json"
  [[ -s "$RUN_DIR/$name.json" ]] || die "$name: no wrk result in $RUN_DIR/$name.wrk.out"
}

log "corpus $CORPUS ($DOCS documents); runs in $RUN_DIR"
SINGLE_BUILD_S="$(build_index "$RUN_DIR/single")"
SHARDED_BUILD_S="$(build_index "$RUN_DIR/sharded" --shards "$SHARDS")"
log "built: 1 index in ${SINGLE_BUILD_S}s, $SHARDS shards in ${SHARDED_BUILD_S}s"

start_searchd "$RUN_DIR/searchd-single.log" --index "$RUN_DIR/single"
load single
stop "$SEARCHD_PID"

start_searchd "$RUN_DIR/searchd-local-shards.log" --index "$RUN_DIR/sharded"
load local_shards
stop "$SEARCHD_PID"

TCPSRV_PIDS=()
REMOTE_ARGS=()
for ((shard = 0; shard < SHARDS; shard++)); do
  read -r pid port < <(start_tcpsrv "$RUN_DIR/sharded/shard-$shard" "$RUN_DIR/tcpsrv-$shard.log") ||
    die "xapian-tcpsrv for shard $shard did not start, see $RUN_DIR/tcpsrv-$shard.log"
  TCPSRV_PIDS+=("$pid")
  PIDS+=("$pid")
  REMOTE_ARGS+=(--remote "127.0.0.1:$port")
done
start_searchd "$RUN_DIR/searchd-remote-shards.log" "${REMOTE_ARGS[@]}"
load remote_shards
stop "$SEARCHD_PID" "${TCPSRV_PIDS[@]}"

# The three must agree on every total (the e2e tests check hits and facets too).
TOTALS_AGREE="$(python3 - "$RUN_DIR" <<'EOF'
import json, sys
def totals(name):
    return [json.loads(line)["total"] for line in open("%s/%s.totals.jsonl" % (sys.argv[1], name))]
single = totals("single")
print("true" if totals("local_shards") == single and totals("remote_shards") == single else "false")
EOF
)"
[[ "$TOTALS_AGREE" == "true" ]] || log "WARNING: totals differ between setups, see $RUN_DIR/*.totals.jsonl"

# ---------------------------------------------------------------- replica lag
MASTER="$RUN_DIR/master"
REPLICA="$RUN_DIR/replica"
mkdir -p "$MASTER" "$REPLICA"
build_index "$MASTER/index" >/dev/null
REPL_PORT="$(free_port)"
setsid timeout --signal=TERM "$BUDGET" xapian-replicate-server --interface=127.0.0.1 --port="$REPL_PORT" "$MASTER" \
  >"$RUN_DIR/replicate-server.log" 2>&1 </dev/null &
PIDS+=("$!")
# Polls the master every second, as a search machine would (xapian-replicate.service).
setsid timeout --signal=TERM "$BUDGET" xapian-replicate -h 127.0.0.1 -p "$REPL_PORT" -m index -i 1 \
  "$REPLICA/index" >"$RUN_DIR/replicate.log" 2>&1 </dev/null &
PIDS+=("$!")
for ((i = 0; i < 600; i++)); do [[ -f "$REPLICA/index/XAPIANDB" ]] && break; sleep 0.1; done
[[ -f "$REPLICA/index/XAPIANDB" ]] || die "no replica after 60 s, see $RUN_DIR/replicate.log"
start_searchd "$RUN_DIR/searchd-replica.log" --index "$REPLICA/index"

served_generation() {
  curl -sf "http://127.0.0.1:$SEARCHD_PORT/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])' 2>/dev/null
}
# Waits until the replica's searchd serves GENERATION; prints seconds since STARTED.
wait_for_generation() {  # GENERATION STARTED
  local deadline=$((SECONDS + 600))
  while ((SECONDS < deadline)); do
    [[ "$(served_generation)" == "$1" ]] &&
      { python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$2" "$(now)"; return 0; }
    sleep 0.05
  done
  return 1
}
wait_for_generation "$(basename "$(readlink "$MASTER/index")")" "$(now)" >/dev/null ||
  die "the replica never served the first generation"
LAGS=()
REBUILDS=()
for ((round = 1; round <= ROUNDS; round++)); do
  REBUILDS+=("$(build_index "$MASTER/index")")
  built_at="$(now)"
  generation="$(basename "$(readlink "$MASTER/index")")"
  lag="$(wait_for_generation "$generation" "$built_at")" || die "round $round: the replica never served $generation"
  LAGS+=("$lag")
  log "replica round $round: rebuild ${REBUILDS[-1]}s, then served after ${lag}s"
done
INDEX_KB="$(du -sk "$(readlink -f "$MASTER/index")" | cut -f1)"
cleanup
PIDS=()
((KEEP)) || rm -rf "$RUN_DIR"/{single,sharded}{,.generations,.lock} "$MASTER" "$REPLICA"

# ---------------------------------------------------------------- report
python3 - "$RUN_DIR" "$OUT_FILE" <<EOF
import json, sys
run_dir, out_file = sys.argv[1], sys.argv[2]
def wrk(name):
    return json.load(open("%s/%s.json" % (run_dir, name)))
setups = [("single", "1 index, local"), ("local_shards", "$SHARDS shards, local stub"),
          ("remote_shards", "$SHARDS shards, remote tcpsrv")]
record = {
    "date": "$STAMP", "command": "$COMMAND_LINE", "docs": $DOCS, "shards": $SHARDS,
    "duration_s": $DURATION, "connections": $CONCURRENCY, "nproc": $(nproc),
    "build_type": "$BUILD_TYPE", "loadavg": "$(cut -d' ' -f1-3 /proc/loadavg)",
    "build_seconds": {"single": $SINGLE_BUILD_S, "sharded": $SHARDED_BUILD_S},
    "query": {name: wrk(name) for name, _ in setups},
    "totals_agree": json.loads("$TOTALS_AGREE"),
    "replica": {"index_kb": $INDEX_KB, "poll_interval_s": 1,
                "rebuild_seconds": [$(IFS=,; echo "${REBUILDS[*]}")],
                "lag_seconds": [$(IFS=,; echo "${LAGS[*]}")]},
}
with open(out_file, "a") as out:
    out.write(json.dumps(record) + "\n")
base = record["query"]["single"]["rps"]
print("%-28s %10s %9s %9s %9s %8s" % ("setup ($DOCS docs, $CONCURRENCY conn)", "req/s", "p50 ms", "p99 ms", "errors", "vs 1"))
for name, label in setups:
    q = record["query"][name]
    print("%-28s %10.1f %9.2f %9.2f %9d %7.2fx" % (label, q["rps"], q["p50_ms"], q["p99_ms"],
                                                  q["errors"] + q["non_2xx"], q["rps"] / base))
print("totals agree across setups: %s" % ("yes" if record["totals_agree"] else "NO"))
lags = record["replica"]["lag_seconds"]
print("replica lag (build done -> replica searchd serves it, xapian-replicate -i 1, %.1f MB copied): %s s"
      % (record["replica"]["index_kb"] / 1024, ", ".join("%.2f" % lag for lag in lags)))
print("raw numbers appended to %s" % out_file)
EOF
