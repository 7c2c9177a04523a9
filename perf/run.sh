#!/usr/bin/env bash
# Runs the Scanflow benchmarks (Release, as BenchmarkDotNet requires) and prints where the reports are.
# Extra arguments go to BenchmarkDotNet, e.g. perf/run.sh --filter '*Hdf5*'. Default: the whole suite.
# perf/run.sh endtoend [--rounds N] runs the end-to-end throughput benchmark instead (not BenchmarkDotNet, ~5 min);
# perf/run.sh endtoend --observability [--rounds N] [--scans N] compares metrics + tracing on against off.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = endtoend ]; then
  dotnet run -c Release --project "$root/perf/Scanflow.Perf" -- "$@"
  echo "The simulated store is kept for later runs in ${TMPDIR:-/tmp}/scanflow-perf/e2e-* (2.2 GB; delete to re-simulate)."
  exit 0
fi
artifacts="$root/perf/BenchmarkDotNet.Artifacts"
if [ "$#" -eq 0 ]; then
  set -- --filter '*'
fi
dotnet run -c Release --project "$root/perf/Scanflow.Perf" -- --artifacts "$artifacts" "$@"
echo
echo "Reports (markdown, csv, html): $artifacts/results"
ls -1 "$artifacts/results" 2>/dev/null | sed 's/^/  /'
echo "Simulated scans are kept for later runs in ${TMPDIR:-/tmp}/scanflow-perf (delete to re-simulate)."
