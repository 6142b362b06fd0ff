#!/usr/bin/env bash
# Builds Stock Net in Release when a source changed since the last build, then starts the whole cluster on
# 127.0.0.1 (front-end on :9001). Arguments go to `stocknet up`: --data-dir ./data, --fresh, --cache on|off,
# --cache-size 5, --replication sync|async, --restart on-failure|no, --free-ports, --frontends N. Ctrl+C stops
# every service.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="$repo_root/src/StockNet.Cli/bin/Release/net10.0"
# The last build is the newest assembly in the CLI's output (a project's build copies its assembly there, while
# stocknet.dll itself stays as it was when a library's public API did not change), or this script's stamp,
# which also covers a build that changed no assembly.
stamp="$output/.run-local-build"
last_build="$(ls -t "$output"/*.dll "$stamp" 2>/dev/null | head -n 1 || true)"

# The first source (code, project, build setting) changed since the last build, if any.
changed_source() {
  find "$repo_root/src" "$repo_root/StockNet.slnx" "$repo_root/global.json" "$repo_root"/Directory.*.props \
    \( -name bin -o -name obj \) -prune -o -type f \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.slnx' -o -name '*.json' \) \
    -newer "$last_build" -print -quit
}

reason=""
if [[ ! -f "$output/stocknet.dll" ]]; then
  reason="no build yet"
elif changed="$(changed_source)" && [[ -n "$changed" ]]; then
  reason="${changed#"$repo_root/"} changed"
fi
if [[ -n "$reason" ]]; then
  echo "Building Stock Net in Release ($reason)..."
  mkdir -p "$output"
  # Stamped with the time the build began, so that a source saved during the build counts as changed.
  touch "$stamp.next"
  dotnet build "$repo_root/StockNet.slnx" -c Release --nologo -v quiet
  mv "$stamp.next" "$stamp"
else
  echo "No source changed since the last build; starting without building."
fi
# exec: Ctrl+C and SIGTERM go straight to `stocknet up`, which stops its children.
exec dotnet "$output/stocknet.dll" up "$@"
