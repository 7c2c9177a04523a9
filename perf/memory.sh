#!/usr/bin/env bash
# Peak RSS of `scanflow calibrate` on one 0.27 GB and one 2.1 GB OTF scan of CHAI's real shape with the same options,
# measured with /usr/bin/time -v: memory is bounded by the settings (--memory-limit-mb) and the scans' shape, not by
# their length. Simulates both stores (noise-free, 64 pixels × 65,536 channels = 16 MiB per dump, 4 OFF dumps, each
# with its calibration scan), calibrates each, prints the figures and removes everything it wrote. Needs ~5 GB free
# under $SCANFLOW_MEMORY_DIR (default: $TMPDIR or /tmp).
# Extra arguments go to `scanflow calibrate` for both scans, e.g. perf/memory.sh --chunk-mb 32.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${SCANFLOW_MEMORY_DIR:-${TMPDIR:-/tmp}}/scanflow-memory-$$"
pixels=64
channels=65536
large_dumps=121
small_dumps=12
scanflow=(dotnet "$root/src/Host/bin/Release/net10.0/scanflow.dll")

cleanup() { rm -rf "$work"; }
trap cleanup EXIT

. "$root/scripts/prerequisites.sh"
ensure_hdf5
dotnet build "$root/src/Host/Host.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
mkdir -p "$work"

# One scan, calibrated under /usr/bin/time -v; prints "name dumps bytes rss_kib wall_s".
measure() {
  local name="$1" dumps="$2"
  shift 2
  local store="$work/$name" out="$work/$name-l1" log="$work/$name.time"
  "${scanflow[@]}" simulate --output "$store" --scans 1 --mode OTF --pixels "$pixels" --channels "$channels" \
    --on-dumps "$dumps" --off-dumps 4 --no-noise --layout chunked > /dev/null
  local bytes
  bytes=$(find "$store" -name '*_otf.h5' -printf '%s')  # the science scan
  sync
  /usr/bin/time -v -o "$log" "${scanflow[@]}" calibrate "$store" --output "$out" "$@" > "$work/$name.out"
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  echo "$name $dumps $bytes $rss $wall"
  rm -rf "$store" "$out"
}

echo "scanflow calibrate, one OTF scan of $pixels pixels × $channels channels, options: ${*:-defaults}" >&2
small=$(measure small "$small_dumps" "$@")
large=$(measure large "$large_dumps" "$@")

printf '%s\n%s\n' "$small" "$large" | awk '
  BEGIN { printf "%-6s %10s %14s %14s %10s %10s\n", "scan", "ON dumps", "scan MB", "peak RSS MiB", "wall s", "MB/s" }
  { rss[NR] = $4; printf "%-6s %10d %14.0f %14.0f %10.1f %10.0f\n", $1, $2, $3 / 1e6, $4 / 1024, $5, $3 / 1e6 / $5 }
  END { printf "peak RSS large / small: %.3f\n", rss[2] / rss[1] }'
