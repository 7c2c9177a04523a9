#!/usr/bin/env bash
# Calibrates a raw night with a given scanflow build, two ways, so that two builds' L1 data can be compared bit for bit
# with scripts/compare-l1.py (a refactor must not change a product; docs/performance.md):
#   OUT_ROOT/$CAL_NAME  <- scanflow calibrate RAW --output ...            (log: OUT_ROOT/$CAL_NAME.log)
#   OUT_ROOT/$RUN_NAME  <- scanflow run (service) on a copy of RAW in OUT_ROOT/$RUN_NAME-drop, stopped with SIGTERM
#                          once every science product exists                (log: OUT_ROOT/$RUN_NAME.log)
# Usage: make-l1.sh SCANFLOW_EXE OUT_ROOT RAW_DIR [calibrate|run|both]
#   env: CAL_NAME (default l1-calibrate), RUN_NAME (default l1-run), RUN_TIMEOUT (s, default 300)
# Before:    make-l1.sh OLD/src/Host/bin/Release/net10.0/scanflow before RAW_DIR   (OLD: a worktree of the old commit)
# After:     make-l1.sh src/Host/bin/Release/net10.0/scanflow after RAW_DIR   then   compare-l1.py before/l1-calibrate after/l1-calibrate
# Do NOT regenerate RAW_DIR for a comparison: HDF5 stamps object-modification times into the raw files, so
# regenerated raw files differ in bytes and the products' input_sha256 / calibration_input_sha256 would differ.
set -euo pipefail
SCANFLOW="$(readlink -f "${1:?usage: make-l1.sh SCANFLOW_EXE OUT_ROOT RAW_DIR [calibrate|run|both]}")"
OUT_ROOT="${2:?usage: make-l1.sh SCANFLOW_EXE OUT_ROOT RAW_DIR [calibrate|run|both]}"
RAW="${3:?usage: make-l1.sh SCANFLOW_EXE OUT_ROOT RAW_DIR [calibrate|run|both]}"
WHAT="${4:-both}"
CAL_NAME="${CAL_NAME:-l1-calibrate}"
RUN_NAME="${RUN_NAME:-l1-run}"
RUN_TIMEOUT="${RUN_TIMEOUT:-300}"
mkdir -p "$OUT_ROOT"
OUT_ROOT="$(readlink -f "$OUT_ROOT")"
RAW="$(readlink -f "$RAW")"

fresh() { if [ -e "$1" ]; then echo "make-l1.sh: $1 already exists; remove it first" >&2; exit 1; fi; mkdir -p "$1"; }

if [ "$WHAT" = calibrate ] || [ "$WHAT" = both ]; then
  fresh "$OUT_ROOT/$CAL_NAME"
  start=$(date +%s.%N)
  set +e
  "$SCANFLOW" calibrate "$RAW" --output "$OUT_ROOT/$CAL_NAME" >"$OUT_ROOT/$CAL_NAME.log" 2>&1
  rc=$?
  set -e
  end=$(date +%s.%N)
  echo "calibrate: exit $rc, $(echo "$end - $start" | bc) s wall, $(ls "$OUT_ROOT/$CAL_NAME"/*.l1.h5 | wc -l) products in $OUT_ROOT/$CAL_NAME"
  [ "$rc" -eq 0 ] || { echo "make-l1.sh: calibrate failed, see $OUT_ROOT/$CAL_NAME.log" >&2; exit 1; }
fi

if [ "$WHAT" = run ] || [ "$WHAT" = both ]; then
  DROP="$OUT_ROOT/$RUN_NAME-drop"
  fresh "$DROP"; fresh "$OUT_ROOT/$RUN_NAME"
  # Expected products: one per science raw file scan_<id>_<BAND>_<tp|otf>.h5 -> scan_<id>_<BAND>.l1.h5
  expected=()
  for f in "$RAW"/scan_*_tp.h5 "$RAW"/scan_*_otf.h5; do
    [ -e "$f" ] || continue
    b="$(basename "$f")"; expected+=("${b%_*}.l1.h5")
  done
  # Same environment as scanflow demo's service (faster rescans, 20 s grace).
  SCANFLOW__RescanSeconds=2 SCANFLOW__ShutdownGraceSeconds=20 \
    "$SCANFLOW" run --drop "$DROP" --output "$OUT_ROOT/$RUN_NAME" \
      --metrics-url http://127.0.0.1:0/metrics --settle-seconds 1 >"$OUT_ROOT/$RUN_NAME.log" 2>&1 &
  pid=$!
  start=$(date +%s.%N)
  # Drop the raw files the way a transfer would: copy to .part (ignored by the service), then rename.
  for f in "$RAW"/*.h5; do
    cp "$f" "$DROP/$(basename "$f").part"; mv "$DROP/$(basename "$f").part" "$DROP/$(basename "$f")"
  done
  deadline=$(( $(date +%s) + RUN_TIMEOUT ))
  while :; do
    missing=0
    for p in "${expected[@]}"; do [ -e "$OUT_ROOT/$RUN_NAME/$p" ] || missing=$((missing + 1)); done
    [ "$missing" -eq 0 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "make-l1.sh: the service exited early, see $OUT_ROOT/$RUN_NAME.log" >&2; exit 1; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "make-l1.sh: $missing products still missing after ${RUN_TIMEOUT}s; stopping the service" >&2
      kill -TERM "$pid"; wait "$pid" || true; exit 1
    fi
    sleep 0.5
  done
  end=$(date +%s.%N)
  kill -TERM "$pid"
  set +e; wait "$pid"; rc=$?; set -e
  echo "run: ${#expected[@]} products after $(echo "$end - $start" | bc) s, service exit $rc after SIGTERM, in $OUT_ROOT/$RUN_NAME"
  [ "$rc" -eq 0 ] || { echo "make-l1.sh: the service did not stop cleanly, see $OUT_ROOT/$RUN_NAME.log" >&2; exit 1; }
fi
