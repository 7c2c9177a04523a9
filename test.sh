#!/usr/bin/env bash
# Runs every test: installs what is missing (HDF5 library, h5dump, h5py, strace, promtool, Chromium), builds with warnings as errors, checks
# formatting, runs all test projects, and ends with one line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
. scripts/prerequisites.sh
ensure_hdf5
# h5dump and h5py are the independent HDF5 reader and writer the tests check our files against; GNU time measures peak
# memory; systemd-analyze checks the unit file and strace the service's system calls against its filter; headless
# Chromium, driven by chromedriver, opens the HTML report.
ensure_debian_packages hdf5-tools python3-h5py python3-numpy time systemd strace chromium chromium-driver
# promtool checks the /metrics exposition in the observability tests.
ensure_promtool

echo "== build (warnings are errors)"
dotnet build Engine.sln -c Release --nologo -v quiet -clp:ErrorsOnly -warnaserror
echo "== format check"
dotnet format Engine.sln --verify-no-changes --no-restore
echo "== tests"
log="$(mktemp)"
status=0
dotnet test Engine.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?
# Each test project prints "Passed!  - Failed: F, Passed: P, ..." (or "Failed!  - ..."); add them up.
passed=$(grep -oE '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | awk -F'[:,]' '{s+=$4} END {print s+0}')
failed=$(grep -oE '(Passed|Failed)! +- Failed: +[0-9]+' "$log" | awk -F': +' '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
