#!/usr/bin/env bash
# Builds (if needed) and runs the scanflow command line: ./scanflow.sh demo, ./scanflow.sh simulate --output DIR, ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/scripts/prerequisites.sh"
. "$root/scripts/build-freshness.sh"
ensure_hdf5
dll="$root/src/Host/bin/Release/net10.0/scanflow.dll"
stamp="$root/src/Host/obj/scanflow.sh.stamp"
# Builds only when something under src/ or a shared setting changed since the last build; quietly, unless it fails.
if ! build_is_current "$root" "$dll" "$stamp"; then
  echo "scanflow: building (Release)..." >&2
  # Stamped with the time the build started: a file saved during the build makes the next call build again.
  mkdir -p "$(dirname "$stamp")"
  touch "$stamp.new"
  if ! log="$(dotnet build "$root/src/Host/Host.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly 2>&1)"; then
    printf '%s\n' "$log" >&2
    rm -f "$stamp.new"
    exit 1
  fi
  mv "$stamp.new" "$stamp"
fi
exec dotnet "$dll" "$@"
