#!/usr/bin/env bash
# Browser tests for web/ (search page + embeddable <rights-search>), in headless Chromium.
#
#   tests/browser/run.sh [SEARCHD_BIN] [INDEX_PATH]
#
# SEARCHD_BIN defaults to build/searchd/searchd. Without INDEX_PATH the sample corpus is
# indexed into a temp dir with the indexer of the same build ($(dirname BIN)/../indexer/indexer).
# Installs what it needs when missing (Debian, as root): chromium and Noto fonts for
# Khmer/Thai/Lao/Burmese/CJK/Arabic, then `npm ci` here. Starts searchd on free loopback
# ports with --web-root web and a CORS origin for the embed test page, runs the test
# files ($TESTS below, one node process each, one at a time) with `node --test`, stops
# searchd. Exits non-zero on any failure.
# Screenshots: tests/browser/artifacts/*.png. Env: CHROMIUM (default /usr/bin/chromium).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/build/searchd/searchd}"
INDEX="${2:-}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

log() { printf 'browser-tests: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ -x "$BIN" ]] || die "searchd binary not found or not executable: $BIN"
command -v node >/dev/null || die "node (>= 20) is required"
command -v npm >/dev/null || die "npm is required"

# ---- system packages: chromium, fonts (only when missing) ----
apt_updated=0
apt_install() {
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    log "cannot install $* (not root or no apt-get)"
    return 1
  fi
  if [[ $apt_updated -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}
if [[ ! -x "$CHROMIUM" ]]; then
  apt_install chromium || die "chromium is required at $CHROMIUM"
fi
if ! command -v fc-list >/dev/null \
  || ! fc-list | grep -qi 'Noto Sans Khmer' \
  || ! fc-list | grep -qi 'Noto Sans CJK'; then
  # Tests do not depend on glyphs, but screenshots of Khmer/CJK pages would show boxes.
  apt_install fontconfig fonts-noto-core fonts-noto-cjk || log "warning: Noto fonts missing; screenshots may show tofu"
fi

# ---- node dependencies (playwright-core only; it drives the system chromium) ----
(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2)

# ---- temp dir, free ports ----
TMP="$(mktemp -d "${TMPDIR:-/tmp}/rights-browser.XXXXXX")"
SEARCHD_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$SEARCHD_PID" ]] && kill -0 "$SEARCHD_PID" 2>/dev/null; then
    kill "$SEARCHD_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SEARCHD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SEARCHD_PID" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -s "$TMP/searchd.log" ]]; then
    log "searchd log (last 40 lines):"
    tail -n 40 "$TMP/searchd.log" >&2 || true
  fi
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r SEARCHD_PORT EMBED_PORT < <(node -e '
  const net = require("net");
  const one = () => new Promise((r) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
  (async () => { const a = await one(); let b = await one(); while (b === a) b = await one(); console.log(a, b); })();')

# ---- index ----
if [[ -z "$INDEX" ]]; then
  INDEXER="$(dirname "$BIN")/../indexer/indexer"
  [[ -x "$INDEXER" ]] || die "no INDEX_PATH given and no indexer at $INDEXER"
  INDEX="$TMP/index"
  log "indexing $ROOT/corpus into $INDEX"
  "$INDEXER" build "$ROOT/corpus" --index "$INDEX" >&2
fi

# ---- searchd ----
log "starting searchd on 127.0.0.1:$SEARCHD_PORT (embed page origin http://127.0.0.1:$EMBED_PORT)"
# Threads: searchd's HTTP workers are held by idle keep-alive connections, and a browser
# opens up to 6 per host; searchd's default (max(16, 4 x cores), keep-alive 2 s) copes, and
# this test checks that it does. SEARCHD_THREADS overrides it (SEARCHD_THREADS=2 shows the
# stalls a too-small pool causes).
"$BIN" --index "$INDEX" --host 127.0.0.1 --port "$SEARCHD_PORT" ${SEARCHD_THREADS:+--threads "$SEARCHD_THREADS"} \
  --web-root "$ROOT/web" --authority "$ROOT/corpus/authority" \
  --cors-origin "http://127.0.0.1:$EMBED_PORT" >"$TMP/searchd.log" 2>&1 &
SEARCHD_PID=$!
export SEARCHD_URL="http://127.0.0.1:$SEARCHD_PORT"
export EMBED_PORT

node -e '
  const url = process.env.SEARCHD_URL + "/healthz";
  const pid = Number(process.argv[1]);
  const deadline = Date.now() + 30000;
  (async function poll() {
    try { process.kill(pid, 0); } catch { console.error("searchd exited during startup"); process.exit(1); }
    try { const r = await fetch(url); if (r.ok) process.exit(0); } catch {}
    if (Date.now() > deadline) { console.error("searchd not healthy after 30 s: " + url); process.exit(1); }
    setTimeout(poll, 200);
  })();' "$SEARCHD_PID" || die "searchd did not become healthy"

# ---- tests ----
cd "$HERE"
# Each file launches its own Chromium; embed.test.mjs also serves the host page on EMBED_PORT.
TESTS=(helpers.test.mjs search-page.test.mjs document.test.mjs access.test.mjs embed.test.mjs)
set +e
node --test --test-concurrency=1 "${TESTS[@]}"
rc=$?
set -e
log "screenshots in $HERE/artifacts/"
exit $rc
