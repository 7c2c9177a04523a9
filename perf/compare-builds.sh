#!/usr/bin/env bash
# `scanflow calibrate` of two builds on the same store, against cp + fsync of the same bytes, interleaved round by
# round (these machines drift within minutes): wall time, CPU time and peak RSS from /usr/bin/time -v. For a refactor
# that must not cost speed (docs/performance.md). Usage:
#   perf/compare-builds.sh OLD_SCANFLOW NEW_SCANFLOW STORE_DIR [ROUNDS]
# OLD/NEW: the scanflow executables (e.g. a worktree of the old commit built with dotnet build src/Host -c Release).
# Outputs go to a scratch folder beside STORE_DIR, removed after each run; prints one line per run and the medians.
set -euo pipefail
old="$(readlink -f "${1:?usage: compare-builds.sh OLD_SCANFLOW NEW_SCANFLOW STORE_DIR [ROUNDS]}")"
new="$(readlink -f "${2:?usage: compare-builds.sh OLD_SCANFLOW NEW_SCANFLOW STORE_DIR [ROUNDS]}")"
store="$(readlink -f "${3:?usage: compare-builds.sh OLD_SCANFLOW NEW_SCANFLOW STORE_DIR [ROUNDS]}")"
rounds="${4:-3}"
scratch="$store.compare-$$"
trap 'rm -rf "$scratch"' EXIT
results="$(mktemp)"

# name, then the command; appends "name wall_s cpu_s rss_mib" to $results.
measure() {
  local name="$1"; shift
  rm -rf "$scratch"; mkdir -p "$scratch"
  /usr/bin/time -v -o "$scratch.time" "$@" > "$scratch.log" 2>&1 || { cat "$scratch.log" >&2; exit 1; }
  awk -v name="$name" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 } /Maximum resident/ { rss = $2 / 1024 }
    END { printf "%-8s %8.2f s wall %8.2f CPU-s %8.0f MiB\n", name, wall, cpu, rss }' "$scratch.time" | tee -a "$results"
  rm -f "$scratch.time" "$scratch.log"
}

# cp + fsync: every raw file copied and synced, one after another (what a durable copy of the store costs).
copy() { for f in "$store"/*.h5; do cp "$f" "$scratch/" && sync "$scratch/$(basename "$f")"; done; }

echo "store: $store ($(du -sh "$store" | cut -f1)), $rounds rounds"
for round in $(seq 1 "$rounds"); do
  echo "round $round"
  measure old "$old" calibrate "$store" --output "$scratch/l1"
  measure new "$new" calibrate "$store" --output "$scratch/l1"
  export -f copy; export store scratch
  measure copy bash -c copy
done

echo "medians (wall s, CPU-s, peak RSS MiB):"
for name in old new copy; do
  awk -v name="$name" '$1 == name { w[++n] = $2; c[n] = $5; r[n] = $7 }
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { printf "  %-5s %7.2f %7.2f %7.0f\n", name, med(w, n), med(c, n), med(r, n) }' "$results"
done
rm -f "$results"
