# Sourced by scanflow.sh: whether the Release build of the command line is current, so that a call skips `dotnet build`
# (about 10 s, even when MSBuild finds nothing to do).

# Prints the first build input under ROOT newer than FILE, if any: a file or directory under src/ (outside bin/ and obj/;
# a directory's time changes when a file in it is added, renamed or deleted) or a setting at the root that every project
# reads. Prints nothing when FILE is newer than all of them.
newer_build_input() {
  local root="$1" file="$2"
  find "$root/src" \( -name bin -o -name obj \) -prune -o -newer "$file" -print -quit
  find "$root" -maxdepth 1 -newer "$file" \( -name 'Directory.*.props' -o -name 'Directory.*.targets' -o -name .editorconfig \
    -o -name global.json -o -iname nuget.config -o -name Engine.sln \) -print -quit
}

# True when the built DLL exists and it, or the STAMP a successful build left, is newer than every build input. (MSBuild
# may leave the DLL untouched when a change does not alter it; the stamp then says the build is current all the same.)
build_is_current() {
  local root="$1" dll="$2" stamp="$3" reference
  [ -e "$dll" ] || return 1
  for reference in "$dll" "$stamp"; do
    [ -e "$reference" ] && [ -z "$(newer_build_input "$root" "$reference")" ] && return 0
  done
  return 1
}
