#!/bin/bash
# Starts one cluster by hand (catalog, three replicas, front-end) on BASE..BASE+4, each service with its own
# environment, so that a runtime setting can be given to one service only (stocknet up gives every child the same).
#   FE_ENV='DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1' scripts/settings/cluster.sh fe-inline 62120
# FE_ENV, CAT_ENV, ORD_ENV: "K=V ..." for the front-end, the catalog, the replicas; ALL_ENV for all five.
# BIN: the folder holding the built stocknet (default: this worktree's Release output; copy it first if you rebuild).
# The data, logs, pids, front-end URL and the run's cluster key (a random one, mode 0600, as stocknet up makes) go to
# $WK/NAME (WK default /tmp/stocknet-settings). It returns once every service answers /health/ready, or stops what it
# started and fails after 60 s. Stop with stop.sh NAME.
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
# A fresh key per run, in a file only this user reads; the services take it from the file, never the command line.
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$dir/cluster.key")
export STOCKNET_CLUSTER_KEY_FILE=$dir/cluster.key
unset STOCKNET_CLUSTER_KEY
give_up() {
  echo "$name is not ready: $1"; tail -n 3 "$dir"/*.log
  "$here/stop.sh" "$name"; exit 1
}
trap 'give_up "a command failed"' ERR
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
# Every service, not only the front-end: a replica still catching up is not ready, and a measurement would start
# against a cluster that is still changing. One deadline for all five; each probe is cut off after 2 s.
deadline=$((SECONDS + 60))
for p in $(seq "$base" "$fe"); do
  until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' http://$h:$p/health/ready)" = 200 ]; do
    [ $SECONDS -lt $deadline ] || give_up "port $p did not answer 200 on /health/ready within 60 s"
    while read -r role pid; do kill -0 "$pid" 2>/dev/null || give_up "$role exited"; done < "$dir/pids"
    sleep 0.5
  done
done
trap - ERR
echo "$name ready at http://$h:$fe"
