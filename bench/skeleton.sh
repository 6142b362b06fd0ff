#!/usr/bin/env bash
# The trade path's floor (bench/StockNet.Skeleton/README.md): the skeleton and a warm `stocknet up` cluster side by
# side, wrk trades alternating between them at 1 and 64 connections, and for each run the trades per second, the
# p50 and p99, and the CPU and context switches per trade of each side's five processes.
#   bash bench/skeleton.sh [ROUNDS] [SECONDS]      (after `dotnet build StockNet.slnx -c Release`; needs wrk)
set -euo pipefail
rounds=${1:-3}
seconds=${2:-6}
root=$(cd "$(dirname "$0")/.." && pwd)
skeleton=$root/bench/StockNet.Skeleton/bin/Release/net10.0/stocknet-skeleton
stocknet=$root/src/StockNet.Cli/bin/Release/net10.0/stocknet
work=$(mktemp -d)
script=$work/trade.lua
pids=()
cluster=""

cleanup() {
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  [ -n "$cluster" ] && kill -TERM "$cluster" 2>/dev/null && wait "$cluster" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A free port outside the kernel's ephemeral range (where an outgoing connection may take a port at any moment), as the
# cluster's own FreePorts (src/StockNet.Cluster/FreePorts.cs) picks them: from 20000 up to the range's start, or above
# its end when it starts lower; from a random point, and never one this script already picked.
read -r ephemeral_start ephemeral_end < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || { ephemeral_start=32768; ephemeral_end=60999; }
if [ "$ephemeral_start" -gt 20000 ]; then port_low=20000; port_count=$((ephemeral_start - 20000))
else port_low=$((ephemeral_end + 1 > 20000 ? ephemeral_end + 1 : 20000)); port_count=$((65536 - port_low)); fi
if [ "$port_count" -le 0 ]; then echo "no ports outside the kernel's ephemeral range ($ephemeral_start-$ephemeral_end) from 20000 up" >&2; exit 1; fi
# It sets $port (not printed: a $(...) subshell would forget what was picked).
picked=" "
free_port() {
  while true; do
    port=$((port_low + (RANDOM * 32768 + RANDOM) % port_count))
    case $picked in *" $port "*) continue ;; esac
    ss -Htln "sport = :$port" | grep -q . || { picked+="$port "; return; }
  done
}

"$stocknet" bench --wrk-script "$script"

declare -a ports
for i in 0 1 2 3 4; do free_port; ports[i]=$port; done
url() { echo "http://127.0.0.1:${ports[$1]}"; }
"$skeleton" leaf "${ports[2]}" "$work/catalog.db" & pids+=($!)
"$skeleton" leaf "${ports[3]}" "$work/follower1.db" & pids+=($!)
"$skeleton" leaf "${ports[4]}" "$work/follower2.db" & pids+=($!)
"$skeleton" leader "${ports[1]}" "$(url 2)" "$(url 3)" "$(url 4)" "$work/leader.db" & pids+=($!)
"$skeleton" front "${ports[0]}" "$(url 1)" & pids+=($!)
skeleton_pids="${pids[*]}"

"$stocknet" up --free-ports --data-dir "$work/cluster" > "$work/up.log" 2>&1 &
cluster=$!
for _ in $(seq 120); do grep -q "Stock Net is up" "$work/up.log" && break; sleep 1; done
grep -q "Stock Net is up" "$work/up.log" || { echo "stocknet up did not start:"; tail -20 "$work/up.log"; exit 1; }
frontend=$(awk '$1 == "frontend" { print $2 }' "$work/up.log" | head -1)
stocknet_pids=$(awk '$3 == "pid" { print $4 }' "$work/up.log" | tr '\n' ' ')
for _ in $(seq 50); do curl -sf -X POST "$(url 0)/orders" -d '{}' > /dev/null && break; sleep 0.2; done

cpu_ticks() { local total=0 p; for p in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$total"; }
switches() { cat $(for p in "$@"; do echo /proc/"$p"/task/*/status; done) 2>/dev/null | awk '/ctxt_switches/ { t += $2 } END { print t + 0 }'; }
hz=$(getconf CLK_TCK)

# run NAME URL CONNECTIONS SECONDS PIDS...: one wrk run and its line of the table.
run() {
  local name=$1 base=$2 connections=$3 duration=$4; shift 4
  local cpu0 cs0 cpu1 cs1 n
  cpu0=$(cpu_ticks "$@"); cs0=$(switches "$@")
  wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$script" "$base/orders" > "$work/wrk.txt" 2>&1
  cpu1=$(cpu_ticks "$@"); cs1=$(switches "$@")
  n=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1 /proc/loadavg)" "$name" "$connections" \
    "$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk.txt")" \
    "$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")" "$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")" \
    "$(( (cpu1 - cpu0) * 1000000 / hz / (n > 0 ? n : 1) ))" "$(awk -v a="$cs0" -v b="$cs1" -v n="$n" 'BEGIN { printf "%.1f", (b - a) / (n > 0 ? n : 1) }')"
  grep -E 'Non-2xx|Socket errors' "$work/wrk.txt" | sed 's/^/    /' || true
}

echo "skeleton $(url 0) (pids $skeleton_pids); stocknet $frontend (pids $stocknet_pids)"
echo "warming both up (20 s of trades at 16 connections each, in two rounds)"
for _ in 1 2; do
  run skeleton "$(url 0)" 16 10 $skeleton_pids > /dev/null
  run stocknet "$frontend" 16 10 $stocknet_pids > /dev/null
done
echo "| time | load | system | connections | trades/s | p50 | p99 | CPU per trade (µs) | context switches per trade |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for _ in $(seq "$rounds"); do
  for connections in 1 64; do
    run skeleton "$(url 0)" "$connections" "$seconds" $skeleton_pids
    run stocknet "$frontend" "$connections" "$seconds" $stocknet_pids
  done
done
