#!/bin/bash
# Starts one cluster by hand (catalog, three replicas, front-end) on BASE..BASE+4, each service with its own
# environment, so that a runtime setting can be given to one service only (stocknet up gives every child the same).
#   FE_ENV='DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1' scripts/settings/cluster.sh fe-inline 62120
# FE_ENV, CAT_ENV, ORD_ENV: "K=V ..." for the front-end, the catalog, the replicas; ALL_ENV for all five.
# BIN: the folder holding the built stocknet (default: this worktree's Release output; copy it first if you rebuild).
# The data, logs, pids and front-end URL go to $WK/NAME (WK default /tmp/stocknet-settings). Stop with stop.sh NAME.
set -e
name=$1; base=$2
here=$(cd "$(dirname "$0")" && pwd)
bin=${BIN:-$here/../../src/StockNet.Cli/bin/Release/net10.0}/stocknet
dir=${WK:-/tmp/stocknet-settings}/$name
rm -rf "$dir"; mkdir -p "$dir/data"
h=127.0.0.1
cat=$base; fe=$((base+4))
for p in $(seq "$base" "$fe"); do
  if ss -Htan "( sport = :$p )" | grep -q .; then echo "port $p is taken"; exit 1; fi
done
reps=http://$h:$((base+1)),http://$h:$((base+2)),http://$h:$((base+3))
export STOCKNET_CLUSTER_KEY=settings-measurement-key-0123456789
start() {
  local role=$1 envs=$2; shift 2
  # shellcheck disable=SC2086 # the settings are words on purpose
  env $ALL_ENV $envs nohup "$bin" "$@" > "$dir/$role.log" 2>&1 &
  echo "$role $!" >> "$dir/pids"
}
start catalog "$CAT_ENV" catalog --host $h --port $cat --data-dir "$dir/data/catalog" --frontend-url http://$h:$fe --cache on
for i in 1 2 3; do
  start order-$i "$ORD_ENV" order --id $i --host $h --port $((base+i)) --data-dir "$dir/data/order-$i" \
    --catalog-url http://$h:$cat --replicas $reps --replication sync
done
start frontend "$FE_ENV" frontend --host $h --port $fe --catalog-url http://$h:$cat --order-urls $reps --cache on --cache-size 5
echo "http://$h:$fe" > "$dir/url"
for _ in $(seq 1 120); do
  if curl -sf http://$h:$fe/health/ready > /dev/null; then echo "$name ready at http://$h:$fe"; exit 0; fi
  sleep 0.5
done
echo "$name is not ready"; tail -3 "$dir"/*.log; exit 1
