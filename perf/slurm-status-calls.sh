#!/usr/bin/env bash
# Issue 12's measure of how hard the coordinator leans on the SLURM controller: `scanflow calibrate --executor slurm`
# of 100 science scans (1 calibration + 100 LFA TP scans, calibration age unlimited, 16 px × 8,192 ch × 200 ON dumps, ≈11.7 GB) with the default poll
# settings (PollSeconds 10, doubling to MaxPollSeconds 60 while nothing changes), shards of about 10 scans. Prints the
# run's wall time, its squeue calls (scanflow_slurm_status_calls_total from --metrics-file), its sbatch calls (the
# ledger's submissions) with their array tasks, and the status calls per minute.
# Needs a SLURM cluster (SLURM_CONF set, as ../shared/slurm/slurm-up.sh prints it).
# Usage: perf/slurm-status-calls.sh [SCANS]      (default 100)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scans="${1:-100}"
work="${SCANFLOW_PERF_DIR:-${TMPDIR:-/tmp}/scanflow-slurm-calls}"
# SCANFLOW_DLL: a copy of the build to measure, so the tree can be rebuilt while it runs.
scanflow=(dotnet "${SCANFLOW_DLL:-$root/src/Host/bin/Release/net10.0/scanflow.dll}")
squeue --noheader >/dev/null || { echo "no SLURM cluster answers: start one with ../shared/slurm/slurm-up.sh and export SLURM_CONF" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work"
"${scanflow[@]}" simulate --output "$work/store" --scans "$scans" --pixels 16 --channels 8192 --on-dumps 200 --off-dumps 20 >/dev/null
store_bytes=$(du -sb "$work/store" | cut -f1)
shard_gb=$(python3 -c "print($store_bytes / $scans * 10 / 1e9)")
start=$(date +%s.%N)
SCANFLOW__MaxCalibrationAgeMinutes=10080 SCANFLOW__Slurm__ShardGb="$shard_gb" "${scanflow[@]}" calibrate "$work/store" --output "$work/l1" --executor slurm \
  --metrics-file "$work/metrics.prom" >"$work/calibrate.log" 2>&1 || { tail -20 "$work/calibrate.log"; exit 1; }
end=$(date +%s.%N)
calls=$(awk '/^scanflow_slurm_status_calls_total/ {print $2}' "$work/metrics.prom")
read -r arrays tasks < <(python3 -c "import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute('SELECT count(*), sum(tasks) FROM slurm_submissions').fetchone())" "$work/l1/scanflow-ledger.sqlite")
python3 - "$start" "$end" "$calls" "$arrays" "$tasks" "$scans" <<'PY'
import sys
start, end, calls, arrays, tasks, scans = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
minutes = (end - start) / 60
print(f"{scans} scans: wall {end - start:.1f} s, {arrays} sbatch call(s) ({tasks} array tasks), {calls:.0f} squeue calls = {calls / minutes:.1f} per minute")
PY
