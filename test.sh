#!/usr/bin/env bash
# Runs every test: installs what is missing (HDF5 library, h5dump, h5py, strace, promtool, Chromium), builds with warnings as errors, checks
# formatting, starts a throw-away single-node SLURM cluster for the SLURM tests (unless one is running), runs all test
# projects, and ends with one line "N passed, N failed".
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
# The SLURM tests (issue 12) submit to a real cluster: one already running (SLURM_CONF, or the default base of
# slurm-up.sh) is used and left running; otherwise, as root, ../shared/slurm/slurm-up.sh starts one (installing
# slurmctld, slurmd and munge when missing) and slurm-down.sh stops it when the tests end.
slurm_scripts="$root/../shared/slurm"
slurm_default_conf="${SLURM_BASE:-${TMPDIR:-/tmp}/scanflow-slurm}/etc/slurm.conf"
slurm_started=0
slurm_reachable() { command -v squeue >/dev/null && [ -f "$1" ] && SLURM_CONF="$1" timeout 30 squeue --noheader --name=scanflow-none >/dev/null 2>&1; }
stop_slurm() {
  if [ "$slurm_started" -eq 1 ]; then
    slurm_started=0
    echo "== SLURM: stopping the cluster test.sh started"
    bash "$slurm_scripts/slurm-down.sh" || echo "== SLURM: slurm-down.sh failed; daemons may be left under ${slurm_default_conf%/etc/slurm.conf}"
  fi
}
trap stop_slurm EXIT
if [ -n "${SLURM_CONF:-}" ] && slurm_reachable "$SLURM_CONF"; then
  echo "== SLURM: using the running cluster of SLURM_CONF=$SLURM_CONF (left running)"
elif slurm_reachable "$slurm_default_conf"; then
  export SLURM_CONF="$slurm_default_conf"
  echo "== SLURM: using the running cluster of $SLURM_CONF (left running)"
elif [ ! -f "$slurm_scripts/slurm-up.sh" ]; then
  echo "== SLURM: no cluster is reachable and $slurm_scripts/slurm-up.sh is missing: the SLURM tests will fail"
elif [ "$(id -u)" -ne 0 ]; then
  echo "== SLURM: no cluster is reachable, and starting one (munge, slurmctld, slurmd) needs root: run ./test.sh as root, or the SLURM tests fail"
else
  echo "== SLURM: starting a single-node cluster with $slurm_scripts/slurm-up.sh (stopped when the tests end)"
  slurm_started=1
  if slurm_env="$(bash "$slurm_scripts/slurm-up.sh")"; then
    eval "$slurm_env"
    echo "== SLURM: cluster up, SLURM_CONF=$SLURM_CONF"
  else
    echo "== SLURM: the cluster did not come up (its logs are above): the SLURM tests will fail"
  fi
fi

echo "== tests"
log="$(mktemp)"
status=0
dotnet test Engine.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?
# Stopped before the summary, so that the summary stays the last line.
stop_slurm
# Each test project prints "Passed!  - Failed: F, Passed: P, ..." (or "Failed!  - ..."); add them up.
passed=$(grep -oE '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | awk -F'[:,]' '{s+=$4} END {print s+0}')
failed=$(grep -oE '(Passed|Failed)! +- Failed: +[0-9]+' "$log" | awk -F': +' '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
