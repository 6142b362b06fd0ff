#!/bin/bash
# Stops the five services cluster.sh started for NAME (by their process ids, nothing else).
dir=${WK:-/tmp/stocknet-settings}/$1
for pid in $(awk '{print $2}' "$dir/pids"); do kill "$pid" 2>/dev/null || true; done
