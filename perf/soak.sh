#!/usr/bin/env bash
# Soak of the service: `scanflow run` fed a steady stream of small scans for a few minutes (an hour or more of
# production arrivals in compressed time), sampling its RSS and open file descriptors every 10 s.
#
# Builds Release, simulates BATCHES batches of 1 calibration + SCIENCE science scans (default 40 × (1 + 49) = 2,000
# files, 1,960 science scans; 2 pixels × 64 channels, 10 ON + 3 OFF dumps, noise-free), starts
# `scanflow run --drop DROP --output OUT --settle-seconds 1` with SCANFLOW__RescanSeconds=5, copies the files into the
# drop directory at a steady rate over DURATION seconds (each batch in its own subfolder, calibration first, each file
# written as NAME.part and renamed), waits until every science scan is SUCCEEDED in the ledger, leaves the service idle
# for IDLE seconds (still watching the 2,000 files), stops it with SIGTERM and checks it exits 0. Prints the samples
# and a summary; removes everything it wrote.
#
# Each batch's scans span 25 s + 49 × 23 s ≈ 19 min of observing time, within the default
# MaxCalibrationAgeMinutes (30); batches are one day apart, so a scan can only pair with its own batch's calibration.
# (99 science scans per batch would span 38 min: the last ones would have no calibration within 30 min.)
#
# Environment: SOAK_BATCHES (40), SOAK_SCIENCE (49), SOAK_DURATION seconds (300), SOAK_INTERVAL seconds between
# samples (10), SOAK_IDLE seconds after the last scan (60), SOAK_TIMEOUT seconds to wait for the last scans after the copy (600), SOAK_CSV=FILE to keep the
# samples, SOAK_LOG=FILE to keep the service's log, SCANFLOW_SOAK_DIR (default $TMPDIR or /tmp) for the work folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
batches="${SOAK_BATCHES:-40}"
science="${SOAK_SCIENCE:-49}"
duration="${SOAK_DURATION:-300}"
interval="${SOAK_INTERVAL:-10}"
timeout="${SOAK_TIMEOUT:-600}"
idle="${SOAK_IDLE:-60}"
tick=$(getconf CLK_TCK)
work="${SCANFLOW_SOAK_DIR:-${TMPDIR:-/tmp}}/scanflow-soak-$$"
stage="$work/stage" drop="$work/drop" out="$work/l1"
ledger="$out/scanflow-ledger.sqlite"
samples="$work/samples.csv" log="$work/service.log"
dll="$root/src/Host/bin/Release/net10.0/scanflow.dll"
daemon="" sampler=""

cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    kill -KILL "$daemon" 2>/dev/null || true
  fi
  [ -n "${SOAK_CSV:-}" ] && [ -f "$samples" ] && cp "$samples" "$SOAK_CSV"
  [ -n "${SOAK_LOG:-}" ] && [ -f "$log" ] && cp "$log" "$SOAK_LOG"
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/scripts/prerequisites.sh"
ensure_hdf5
echo "soak: building (Release)" >&2
dotnet build "$root/src/Host/Host.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
mkdir -p "$stage" "$drop" "$out"

echo "soak: simulating $batches batches of 1 calibration + $science science scans" >&2
for ((b = 0; b < batches; b++)); do
  dotnet "$dll" simulate --output "$stage/night-$(printf %02d "$b")" --scans "$science" \
    --first-scan-id $((1 + b * 1000)) --start-mjd $((61367 + b)) \
    --pixels 2 --channels 64 --on-dumps 10 --off-dumps 3 --no-noise > /dev/null
done
# Copy order: batch by batch, the calibration scan first, then the science scans by id.
mapfile -t files < <(cd "$stage" && for d in night-*; do ls "$d"/*_cal.h5; ls "$d"/*.h5 | grep -v '_cal\.h5$' | sort; done)
total=${#files[@]}
expected=$((batches * science))
bytes=$(du -cb "$stage"/night-*/*.h5 | tail -1 | cut -f1)
echo "soak: $total files ($expected science scans, $((bytes / 1024)) KiB) to drop over ${duration} s" >&2

SCANFLOW__RescanSeconds=5 dotnet "$dll" run --drop "$drop" --output "$out" --settle-seconds 1 --metrics-url http://127.0.0.1:0/metrics > "$log" 2>&1 &
daemon=$!
start=$EPOCHREALTIME
metrics=""

# A value from the service's /metrics (empty when it cannot be scraped).
metric() { [ -n "$metrics" ] && curl -s --max-time 2 "$metrics" | awk -v m="$1" '$1 == m { printf "%.0f", $2 }'; }

# One sample: seconds since start, RSS (KiB), open file descriptors, threads, CPU seconds used (user + system),
# files dropped, L1 products, managed heap (KiB, GC.GetTotalMemory) and gen-2 collections from /metrics.
sample() {
  local t rss fds threads cpu dropped products heap gen2
  t=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$daemon/status" 2>/dev/null || echo "")
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$daemon/status" 2>/dev/null || echo "")
  fds=$(ls "/proc/$daemon/fd" 2>/dev/null | wc -l)
  cpu=$(awk -v hz="$tick" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$daemon/stat" 2>/dev/null || echo "")
  dropped=$(find "$drop" -name '*.h5' | wc -l)
  products=$(find "$out" -maxdepth 1 -name '*.l1.h5' | wc -l)
  heap=$(metric dotnet_total_memory_bytes)
  gen2=$(metric 'dotnet_collection_count_total{generation="2"}')
  echo "$t,$rss,$fds,$threads,$cpu,$dropped,$products,$([ -n "$heap" ] && echo $((heap / 1024))),$gen2"
}
# The service logs the port it bound (port 0: any free one); the heap columns stay empty without curl.
for ((w = 0; w < 60; w++)); do
  grep -q 'metrics at http://' "$log" && break
  kill -0 "$daemon" 2>/dev/null || { echo "soak: the service did not start:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done
command -v curl > /dev/null && metrics=$(grep -oE 'metrics at http://[^ ]+' "$log" | head -1 | cut -d' ' -f3)
echo "t_s,rss_kib,fds,threads,cpu_s,dropped,products,heap_kib,gen2" > "$samples"
(while kill -0 "$daemon" 2>/dev/null; do sample >> "$samples"; sleep "$interval"; done) &
sampler=$!
sleep 3

# Steady drop: file i is renamed into place at start + i × duration / total.
step=$(awk -v d="$duration" -v n="$total" 'BEGIN { printf "%.6f", d / n }')
copy_start=$EPOCHREALTIME
for ((i = 0; i < total; i++)); do
  f="${files[$i]}"
  mkdir -p "$drop/$(dirname "$f")"
  cp "$stage/$f" "$drop/$f.part"
  mv "$drop/$f.part" "$drop/$f"
  wait_s=$(awk -v s="$copy_start" -v i="$((i + 1))" -v st="$step" -v now="$EPOCHREALTIME" 'BEGIN { w = s + i * st - now; printf "%.3f", (w > 0 ? w : 0) }')
  [ "$wait_s" != "0.000" ] && sleep "$wait_s"
done
copied=$(awk -v a="$copy_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
echo "soak: $total files dropped in ${copied} s; waiting for $expected SUCCEEDED scans" >&2

succeeded() { dotnet "$dll" scans --ledger "$ledger" --status SUCCEEDED --json 2>/dev/null | grep -c '"row_id"' || true; }
deadline=$((SECONDS + timeout))
done_count=$(succeeded)
while [ "$done_count" -lt "$expected" ] && [ $SECONDS -lt $deadline ] && kill -0 "$daemon" 2>/dev/null; do
  sleep 5
  done_count=$(succeeded)
done
all_done=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
sample >> "$samples"
echo "soak: $done_count SUCCEEDED after ${all_done} s; idle for ${idle} s" >&2
sleep "$idle"
sample >> "$samples"   # the last sample before the stop

kill -0 "$daemon" 2>/dev/null || { echo "soak: the service exited early:" >&2; tail -20 "$log" >&2; exit 1; }
kill -TERM "$daemon"
stop_start=$EPOCHREALTIME
set +e
wait "$daemon"
rc=$?
set -e
stopped=$(awk -v a="$stop_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
daemon=""
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=""

failed=$(dotnet "$dll" scans --ledger "$ledger" --status FAILED --json 2>/dev/null | grep -c '"row_id"' || true)
cancelled=$(dotnet "$dll" scans --ledger "$ledger" --status CANCELLED --json 2>/dev/null | grep -c '"row_id"' || true)
rows=$(dotnet "$dll" scans --ledger "$ledger" --json 2>/dev/null | grep -c '"row_id"' || true)
waiting=$(grep -c 'WAITING for a calibration' "$log" || true)
rejected=$(grep -c 'rejected:' "$log" || true)
warnings=$(grep -c '^\(warn\|fail\|crit\)' "$log" || true)

echo
echo "samples (t_s: seconds since the service started)"
column -s, -t < "$samples"
echo
echo "summary"
echo "  files dropped:        $total in ${copied} s ($expected science scans)"
echo "  ledger rows:          $rows; SUCCEEDED $done_count, FAILED $failed, CANCELLED $cancelled"
echo "  all SUCCEEDED at:     $( [ "$done_count" -eq "$expected" ] && echo "${all_done} s" || echo "NO ($done_count of $expected after ${all_done} s)")"
echo "  log:                  $waiting WAITING line(s), $rejected rejection(s), $warnings warning/error line(s)"
echo "  SIGTERM:              exit code $rc after ${stopped} s"
awk -F, -v done_t="$all_done" 'NR > 1 && $2 != "" {
    n++; t[n] = $1; r[n] = $2; f[n] = $3; h[n] = $4; c[n] = $5; m[n] = $8
    if ($2 > maxr) { maxr = $2; maxrt = $1 } if ($3 > maxf) { maxf = $3; maxft = $1 }
  }
  function at(s,   i, best) { best = 1; for (i = 1; i <= n; i++) if ((t[i] - s) ^ 2 < (t[best] - s) ^ 2) best = i; return best }
  END {
    a = at(60); b = at(180)
    printf "  RSS MiB:              %.1f at %d s, %.1f at %d s, %.1f at end (%d s), max %.1f at %d s\n", r[a] / 1024, t[a], r[b] / 1024, t[b], r[n] / 1024, t[n], maxr / 1024, maxrt
    printf "  open fds:             %d at %d s, %d at %d s, %d at end (%d s), max %d at %d s\n", f[a], t[a], f[b], t[b], f[n], t[n], maxf, maxft
    printf "  threads:              %d at %d s, %d at %d s, %d at end\n", h[a], t[a], h[b], t[b], h[n]
    if (m[n] != "") printf "  managed heap MiB:     %.1f at %d s, %.1f at %d s, %.1f at end\n", m[a] / 1024, t[a], m[b] / 1024, t[b], m[n] / 1024
    printf "  growth %d s → end:     RSS %+.1f MiB (%+.1f %%), fds %+d\n", t[b], (r[n] - r[b]) / 1024, 100 * (r[n] - r[b]) / r[b], f[n] - f[b]
    d = at(done_t)
    if (t[n] > t[d]) printf "  idle %d → %d s:       RSS %+.1f MiB, fds %+d, CPU %.1f s (%.1f %% of a core)\n", t[d], t[n], (r[n] - r[d]) / 1024, f[n] - f[d], c[n] - c[d], 100 * (c[n] - c[d]) / (t[n] - t[d])
    printf "  CPU:                  %.1f s in all\n", c[n]
  }' "$samples"

status=0
[ "$done_count" -eq "$expected" ] || { echo "soak: FAIL: $done_count of $expected science scans SUCCEEDED" >&2; status=1; }
[ "$rc" -eq 0 ] || { echo "soak: FAIL: the service exited $rc on SIGTERM" >&2; status=1; }
[ "$status" -eq 0 ] && echo "soak: OK" >&2
exit "$status"
