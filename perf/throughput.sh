#!/usr/bin/env bash
# Issue 11's benchmark: `scanflow calibrate` against the numpy + h5py peer (perf/peer/calibrate_numpy.py) and against
# a durable copy (cp, then fsync of each copy) of the same raw bytes, on two stores:
#   small: 1 calibration + 2 HFA OTF scans, 16 px × 8,192 ch × 1,000 ON (+12 OFF) dumps, contiguous, ≈1.07 GB
#   full:  3 × (1 calibration + 1 HFA OTF scan), CHAI's shape 64 px × 65,536 ch, 52 ON (+12 OFF) dumps, chunked, ≈4.0 GB
# The variants alternate within each round (the order rotates every round: this machine drifts within minutes); each
# run gets a fresh output directory, removed afterwards. Wall time, CPU-s (user + sys) and peak RSS come from GNU time.
# The page cache is dropped before every run when we may (root), so every variant reads the store from disk.
# Prints one table per store with medians, and the per-round ratios' medians.
#
# Usage: perf/throughput.sh [--stores small,full] [--service] [--no-drop-caches] [ROUNDS]      (ROUNDS default 3)
#   --report FILE  only print the tables of an earlier run's results file ($SCANFLOW_PERF_DIR/results.txt, kept)
#   --service   also `scanflow run` on each store (issue 11 asks for the full one): the raw files renamed into a drop directory (hard links of the
#               store, so no copy is timed), the service stopped with SIGTERM once every product exists. Its wall time is
#               first drop → last product; CPU-s and RSS are the whole service process (start-up and idle included).
#   env SCANFLOW_PERF_DIR: work directory (default ${TMPDIR:-/tmp}/scanflow-throughput). The stores are simulated once
#   and kept there (≈5.1 GB; delete the directory to re-simulate); outputs need up to another ≈4 GB while a run lasts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${SCANFLOW_PERF_DIR:-${TMPDIR:-/tmp}/scanflow-throughput}"
stores="small,full"
service=0
drop_caches=1
rounds=3
report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stores) stores="$2"; shift 2 ;;
    --service) service=1; shift ;;
    --no-drop-caches) drop_caches=0; shift ;;
    --report) report="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) rounds="$1"; shift ;;
  esac
done
scanflow=(dotnet "$root/src/Host/bin/Release/net10.0/scanflow.dll")
peer=(/usr/bin/python3 "$root/perf/peer/calibrate_numpy.py")
out="$work/out"
results="$work/results.txt"

store_bytes() { find "$1" -name '*.h5' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'; }  # %.0f: awk would print 4e9 as 3.98e+09

if [ -z "$report" ]; then
. "$root/scripts/prerequisites.sh"
ensure_hdf5
dotnet build "$root/src/Host/Host.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
mkdir -p "$work"
: > "$results"

# Can we drop the page cache? (root, and /proc/sys writable: not in every container)
if [ "$drop_caches" = 1 ] && ! { sync && echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
  echo "cannot drop the page cache (not root?): reads may come from memory" >&2
  drop_caches=0
fi

# simulate NAME ARGS...: one `scanflow simulate` per (calibration + science) group; kept once complete.
simulate_store() {
  local name="$1" dir="$work/$1"
  [ -e "$dir/.complete" ] && return
  rm -rf "$dir"
  echo "simulating the $name store into $dir ..." >&2
  case "$name" in
    small)
      "${scanflow[@]}" simulate --output "$dir" --band HFA --mode OTF --scans 2 --pixels 16 --channels 8192 \
        --on-dumps 1000 --off-dumps 12 --no-noise --layout contiguous > /dev/null ;;
    full)
      # Three calibrations, 15 minutes apart, each followed by one science scan (pairs with the latest one before it).
      local i
      for i in 0 1 2; do
        "${scanflow[@]}" simulate --output "$dir" --band HFA --mode OTF --scans 1 --pixels 64 --channels 65536 \
          --on-dumps 52 --off-dumps 12 --no-noise --layout chunked --first-scan-id $((10 * i + 1)) \
          --start-mjd "$(echo "61367 + $i * 15 / 1440" | bc -l)" --seed $((i + 1)) > /dev/null
      done ;;
    *) echo "unknown store $name" >&2; exit 1 ;;
  esac
  touch "$dir/.complete"
}


# A durable copy: each raw file copied, then fsynced (sync FILE = fsync), one after another.
durable_copy() {
  local f
  mkdir -p "$2"
  for f in "$1"/*.h5; do cp "$f" "$2/" && sync "$2/$(basename "$f")"; done
}

# The service on the store: hard links staged beside the drop directory, renamed in (calibration first, by name),
# SIGTERM once every product exists. Runs under GNU time; prints the drop→last-product wall time on fd 3.
service_run() {
  local store="$1" dir="$2" drop="$2/drop" stage="$2/stage" l1="$2/l1"
  mkdir -p "$drop" "$stage" "$l1"
  cp -l "$store"/*.h5 "$stage/"
  local expected=0 f
  for f in "$store"/scan_*_otf.h5 "$store"/scan_*_tp.h5; do [ -e "$f" ] && expected=$((expected + 1)); done
  SCANFLOW__RescanSeconds=2 /usr/bin/time -f "%e %U %S %M" -o "$dir/service.time" \
    "${scanflow[@]}" run --drop "$drop" --output "$l1" --settle-seconds 1 --metrics-url http://127.0.0.1:0/metrics \
    > "$dir/service.log" 2>&1 &
  local timer=$!
  # The service itself is GNU time's child: SIGTERM goes to it, not to time.
  local pid=""
  while [ -z "$pid" ]; do sleep 0.1; pid=$(pgrep -P "$timer" || true); done
  until grep -q watching "$dir/service.log"; do sleep 0.1; done   # a SIGTERM before the handler kills it outright
  local start end
  start=$(date +%s.%N)
  for f in $(ls "$stage"/*_cal.h5) $(ls "$stage"/*.h5 | grep -v _cal.h5); do mv "$f" "$drop/"; done
  while [ "$(find "$l1" -name '*.l1.h5' | wc -l)" -lt "$expected" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/service.log" >&2; return 1; }
    sleep 0.1
  done
  end=$(date +%s.%N)
  kill -TERM "$pid"
  wait "$timer"
  echo "$end - $start" | bc >&3
}

# measure STORE_NAME VARIANT: one run under GNU time; appends "store variant round wall cpu rss_mib" to $results.
measure() {
  local name="$1" variant="$2" round="$3" store="$work/$1"
  rm -rf "$out"; mkdir -p "$out"
  if [ "$drop_caches" = 1 ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
  local wall cpu rss
  case "$variant" in
    scanflow) /usr/bin/time -f "%e %U %S %M" -o "$out.time" "${scanflow[@]}" calibrate "$store" --output "$out/l1" > "$out.log" 2>&1 \
                || { cat "$out.log" >&2; exit 1; } ;;
    peer)     /usr/bin/time -f "%e %U %S %M" -o "$out.time" "${peer[@]}" "$store" "$out/l1" > "$out.log" 2>&1 \
                || { cat "$out.log" >&2; exit 1; } ;;
    copy)     export -f durable_copy
              /usr/bin/time -f "%e %U %S %M" -o "$out.time" bash -c 'durable_copy "$0" "$1"' "$store" "$out/copy" ;;
    service)  local w
              w=$(service_run "$store" "$out" 3>&1 >/dev/null) || exit 1
              mv "$out/service.time" "$out.time"
              # wall: first drop → last product, not the process's lifetime
              awk -v w="$w" '{ $1 = w; print }' "$out.time" > "$out.time2" && mv "$out.time2" "$out.time" ;;
  esac
  if [ "$variant" = scanflow ] || [ "$variant" = peer ] || [ "$variant" = service ]; then
    local want got
    want=$(find "$store" -name '*_otf.h5' -o -name '*_tp.h5' | wc -l)
    got=$(find "$out" -name '*.l1.h5' | wc -l)
    [ "$got" -eq "$want" ] || { echo "$variant on $name: $got products, expected $want" >&2; cat "$out.log" >&2; exit 1; }
  fi
  read -r wall user sys rss < "$out.time"
  cpu=$(echo "$user + $sys" | bc)
  printf '%-6s %-9s %2d %9.2f %9.2f %8.0f\n' "$name" "$variant" "$round" "$wall" "$cpu" "$((rss / 1024))" | tee -a "$results" >&2
  rm -rf "$out" "$out.time" "$out.log"
}

echo "load before: $(uptime)"
echo "free disk in $work: $(df -h --output=avail "$work" | tail -1 | tr -d ' ')"
IFS=, read -r -a store_list <<< "$stores"
for name in "${store_list[@]}"; do simulate_store "$name"; done

for round in $(seq 1 "$rounds"); do
  for name in "${store_list[@]}"; do
    variants=(scanflow peer copy)
    [ "$service" = 1 ] && variants+=(service)
    n=${#variants[@]}
    for j in $(seq 0 $((n - 1))); do
      measure "$name" "${variants[$(( (j + round - 1) % n ))]}" "$round"
    done
  done
done
echo "load after: $(uptime)"
else
  results="$report"
  rounds=$(awk '$3 > r { r = $3 } END { print r }' "$results")
  IFS=, read -r -a store_list <<< "$(awk '!seen[$1]++ { printf "%s%s", sep, $1; sep = "," }' "$results")"
  drop_caches="(see that run's log)"
fi

echo
echo "page cache dropped before every run: $(case "$drop_caches" in 1) echo yes ;; 0) echo no ;; *) echo "$drop_caches" ;; esac); $rounds rounds; medians"
for name in "${store_list[@]}"; do
  bytes=$(store_bytes "$work/$name")
  echo
  echo "store $name: $(find "$work/$name" -name '*.h5' | wc -l) raw files, $(echo "$bytes / 1000000" | bc) MB"
  awk -v bytes="$bytes" -v name="$name" '
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    $1 == name { wall[$2, $3] = $4; cpu[$2, $3] = $5; rss[$2, $3] = $6; seen[$2] = 1; if ($3 > R) R = $3 }
    END {
      printf "| %-9s | %8s | %7s | %7s | %9s | %12s |\n", "variant", "wall s", "MB/s", "CPU-s", "CPU-s/GB", "peak RSS MiB"
      printf "|-----------|---------:|--------:|--------:|----------:|-------------:|\n"
      split("scanflow peer copy service", order, " ")
      for (o = 1; o <= 4; o++) {
        v = order[o]; if (!(v in seen)) continue
        for (r = 1; r <= R; r++) { w[r] = wall[v, r]; c[r] = cpu[v, r]; m[r] = rss[v, r] }
        mw = median(w, R); mc = median(c, R); mm = median(m, R)
        printf "| %-9s | %8.2f | %7.0f | %7.2f | %9.2f | %12.0f |\n", v, mw, bytes / 1e6 / mw, mc, mc / (bytes / 1e9), mm
      }
      # Ratios of speeds within each round (same disk state), then their median.
      for (r = 1; r <= R; r++) { a[r] = wall["peer", r] / wall["scanflow", r]; b[r] = wall["copy", r] / wall["scanflow", r] }
      printf "scanflow / peer speed: %.2fx   scanflow / durable copy speed: %.0f %%   (medians of per-round ratios)\n", median(a, R), 100 * median(b, R)
      if ("service" in seen) {
        for (r = 1; r <= R; r++) { a[r] = wall["peer", r] / wall["service", r]; b[r] = wall["copy", r] / wall["service", r] }
        printf "scanflow run / peer speed: %.2fx   scanflow run / durable copy speed: %.0f %%\n", median(a, R), 100 * median(b, R)
      }
      printf "per round (wall s):"
      for (r = 1; r <= R; r++) printf "  [%d] scanflow %.2f peer %.2f copy %.2f%s", r, wall["scanflow", r], wall["peer", r], wall["copy", r], ("service" in seen) ? sprintf(" run %.2f", wall["service", r]) : ""
      printf "\n"
    }' "$results"
done
