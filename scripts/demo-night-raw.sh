#!/usr/bin/env bash
# Deterministic "demo night" of raw scans: exactly the scans `scanflow demo` simulates (src/Host/DemoCommand.cs),
# via `scanflow simulate` flags (every SimulationOptions field the demo sets maps to a flag; all others are defaults,
# spelled out here so a change of defaults cannot change the data). The demo's truncated copy scan_000099 is left out.
# Usage: demo-night-raw.sh SCANFLOW_EXE OUT_DIR
set -euo pipefail
SCANFLOW="${1:?usage: demo-night-raw.sh SCANFLOW_EXE OUT_DIR}"
OUT="${2:?usage: demo-night-raw.sh SCANFLOW_EXE OUT_DIR}"
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then echo "demo-night-raw.sh: $OUT is not empty" >&2; exit 1; fi
mkdir -p "$OUT"
# LFA total power: calibration scan 1 + science scans 2..4, seed 1
"$SCANFLOW" simulate --output "$OUT" --band LFA --mode TP --scans 3 --first-scan-id 1 --seed 1 \
  --pixels 8 --channels 1024 --on-dumps 100 --off-dumps 11 --pwv 0.5 --elevation 50 --layout contiguous --start-mjd 61367.0
# HFA on-the-fly: calibration scan 101 + science scans 102..103, seed 2, 400 ON / 10 OFF dumps
"$SCANFLOW" simulate --output "$OUT" --band HFA --mode OTF --scans 2 --first-scan-id 101 --seed 2 \
  --pixels 8 --channels 1024 --on-dumps 400 --off-dumps 10 --pwv 0.5 --elevation 50 --layout contiguous --start-mjd 61367.0
