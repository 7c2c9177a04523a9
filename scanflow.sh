#!/usr/bin/env bash
# Builds (if needed) and runs the scanflow command line: ./scanflow.sh demo, ./scanflow.sh simulate --output DIR, ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/scripts/prerequisites.sh"
ensure_hdf5
echo "scanflow: building (Release)..." >&2
dotnet build "$root/src/Host/Host.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet "$root/src/Host/bin/Release/net10.0/scanflow.dll" "$@"
