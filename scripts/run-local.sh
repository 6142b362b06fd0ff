#!/usr/bin/env bash
# Builds Stock Net in Release and starts the whole cluster on 127.0.0.1 (front-end on :9001).
# Arguments go to `stocknet up`: --data-dir ./data, --fresh, --cache on|off, --cache-size 5, --replication sync|async.
# Ctrl+C stops every service.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$repo_root/StockNet.slnx" -c Release --nologo -v quiet
# exec: Ctrl+C and SIGTERM go straight to `stocknet up`, which stops its children.
exec dotnet "$repo_root/src/StockNet.Cli/bin/Release/net10.0/stocknet.dll" up "$@"
