# Sourced by scanflow.sh and test.sh: installs, from Debian's packages, what a fresh machine lacks, and says so.

# Installs the named Debian packages that are not installed yet (one apt-get run for all of them).
ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "scanflow: installing missing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# The native HDF5 C library: Debian's libhdf5-103-1, unless SCANFLOW_HDF5_LIBRARY points at another build.
ensure_hdf5() {
  if [ -n "${SCANFLOW_HDF5_LIBRARY:-}" ]; then
    [ -f "$SCANFLOW_HDF5_LIBRARY" ] && return 0
    echo "scanflow: SCANFLOW_HDF5_LIBRARY=$SCANFLOW_HDF5_LIBRARY does not exist" >&2
    return 1
  fi
  if command -v dpkg-query >/dev/null 2>&1; then
    ensure_debian_packages libhdf5-103-1
  elif ! ldconfig -p 2>/dev/null | grep -q 'libhdf5\(_serial\)\?\.so'; then
    echo "scanflow: the HDF5 C library is missing; install it (e.g. libhdf5) or set SCANFLOW_HDF5_LIBRARY" >&2
    return 1
  fi
}

# promtool (Debian's prometheus package) lints the service's /metrics in the tests. The package's postinst would start
# a Prometheus daemon; a policy-rc.d that denies service starts (as Docker images ship) keeps it from doing so.
ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  echo "scanflow: promtool is missing; installing the Debian package prometheus (for promtool only; its daemon is not started)" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && added=1
  fi
  local status=0
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >&2 </dev/null || status=$?
  [ -n "$added" ] && $sudo rm -f "$policy"
  return "$status"
}
