#!/usr/bin/env bash
# Checks the systemd units of deploy/ without installing or starting them:
# `systemd-analyze verify` (syntax, directives, executables) and the offline security
# review (exposure must stay "OK", at most 2.0). searchd's path is replaced by the one
# given, since /usr/local/bin/searchd exists only on a deployed machine.
#
#   deploy/verify.sh [SEARCHD_BINARY]     exit 0 ok, 1 a unit failed, 77 no systemd-analyze
set -euo pipefail
DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEARCHD="${1:-/usr/local/bin/searchd}"
command -v systemd-analyze >/dev/null || { echo "verify.sh: systemd-analyze not found, skipped" >&2; exit 77; }
for tool in xapian-tcpsrv xapian-replicate xapian-replicate-server; do
  command -v "$tool" >/dev/null || { echo "verify.sh: $tool not found (xapian-tools), skipped" >&2; exit 77; }
done
units="$(mktemp -d)"
trap 'rm -rf "$units"' EXIT
for unit in "$DEPLOY"/*.service; do
  sed "s|/usr/local/bin/searchd|$SEARCHD|" "$unit" >"$units/$(basename "$unit")"
done
cd "$units"
instances=(searchd.service xapian-replicate-server.service xapian-replicate.service xapian-replicate@0.service
           xapian-tcpsrv@0.service)
# libseccomp may not know every system call name systemd lists; that note is not ours.
if ! systemd-analyze verify --man=no "${instances[@]}" 2> >(grep -v "Failed to parse system call" >&2); then
  echo "verify.sh: systemd-analyze verify failed" >&2
  exit 1
fi
status=0
for unit in "${instances[@]}"; do
  line="$(systemd-analyze security --offline=true --no-pager "$unit" 2>/dev/null | tail -1)"
  echo "$line"
  exposure="$(sed -n 's/.*: \([0-9.]*\) .*/\1/p' <<<"$line")"
  if [[ -z "$exposure" ]] || ! awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
    echo "verify.sh: $unit exposure ${exposure:-unknown} is above 2.0" >&2
    status=1
  fi
done
exit "$status"
