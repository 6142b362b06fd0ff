#!/usr/bin/env bash
# End-to-end test of compose.yaml on a real Docker engine: builds the image, starts the system, and checks
# it through the front-end's published port as a user would (curl), including the order leader's container
# killed mid-trading and a `down`/`up` that must keep the data. Every check prints PASS or FAIL; the last line
# is "compose: N passed, N failed" (", N skipped" when Docker cannot run here, with the reason above it).
# Everything it creates carries the project name stocknet-test-<pid> and is removed on exit, even on failure.
#   deploy/test-compose.sh [--no-build]     (COMPOSE="docker compose" picks Compose v2)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CHECKS=(image-builds image-under-250-mb services-healthy client-load-verified lookup buy order-query
  cache-invalidation failover-no-client-errors new-leader-elected restarted-replica-caught-up
  test-profile data-survives-down-up down-removes-everything)

build=1
if [[ "${1:-}" == "--no-build" ]]; then build=0; fi
project="stocknet-test-$$"
image="${STOCKNET_IMAGE:-stocknet:local}"
started=$SECONDS
declare -A reported=()
passed=0 failed=0

pass() { reported[$1]=1; passed=$((passed + 1)); echo "PASS $1"; }
fail() { reported[$1]=1; failed=$((failed + 1)); echo "FAIL $1: $2"; }
note() { printf '[%3ds] %s\n' $((SECONDS - started)) "$*"; }
summary() { echo "compose: $passed passed, $failed failed${1:-}"; }

# Checks a failed step made unreachable are failures too: a check that did not run did not pass.
fail_rest() {
  local check
  for check in "${CHECKS[@]}"; do
    if [[ -z "${reported[$check]:-}" ]]; then fail "$check" "not reached ($1)"; fi
  done
}

if ! docker info >/dev/null 2>&1; then
  echo "Docker cannot run here (no engine answers at the docker socket): the compose checks are skipped."
  echo "compose: 0 passed, 0 failed, ${#CHECKS[@]} skipped"
  exit 0
fi

if [[ -n "${COMPOSE:-}" ]]; then
  read -r -a compose_command <<<"$COMPOSE"
elif docker compose version >/dev/null 2>&1; then
  compose_command=(docker compose)
else
  compose_command=(docker-compose)
fi
results="$(mktemp -d /tmp/stocknet-compose-results.XXXXXX)"
chown 10001:10001 "$results"
# As the test suites' FreePorts takes one: below the kernel's ephemeral range (from 20000 up), from a random point of
# it, checked free by binding it. A port from the ephemeral range (what port 0 gives) can become another connection's
# source port before Docker publishes it.
free_port() {
  python3 - <<'PY'
import random, socket
try:
    start, end = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
except (OSError, ValueError):
    start, end = 32768, 60999
first, last = (20000, start - 1) if start > 20000 else (max(end + 1, 20000), 65535)
if first > last:
    first, last = 20000, 65535
count = last - first + 1
offset = random.randrange(count)
for step in range(count):
    port = first + (offset + step) % count
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    raise SystemExit(f"no free port from {first} to {last}")
PY
}
export STOCKNET_IMAGE="$image" STOCKNET_RESULTS="$results" STOCKNET_FRONTEND_ADDRESS=127.0.0.1

compose() { "${compose_command[@]}" -p "$project" -f compose.yaml -f deploy/compose.test.yaml "$@"; }

traders=()
# Leaves no container, network or volume of this project, whatever state the test stopped in.
cleanup() {
  if ((${#traders[@]} > 0)); then kill "${traders[@]}" 2>/dev/null; fi
  compose --profile test down -v --remove-orphans -t 3 >/dev/null 2>&1
  local label="label=com.docker.compose.project=$project"
  docker ps -aq --filter "$label" | xargs -r docker rm -f >/dev/null 2>&1
  docker rm -f "$project-ready" >/dev/null 2>&1
  docker network ls -q --filter "$label" | xargs -r docker network rm >/dev/null 2>&1
  docker volume ls -q --filter "$label" | xargs -r docker volume rm -f >/dev/null 2>&1
  rm -rf "$results"
}
trap cleanup EXIT
trap 'echo "Interrupted."; fail_rest interrupted; summary; exit 1' INT TERM

# The docker CLI, not compose, for lookups: Compose 1.29 takes seconds per call on a busy machine.
container() {
  docker ps -aq --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1" \
    --filter "label=com.docker.compose.oneoff=False"
}
health() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null; }
http_get() { curl -s -m 5 "$@"; }
json_number() { grep -o "\"$1\":-\?[0-9]*" | head -n 1 | cut -d: -f2; }
replica_url() { echo "http://$(docker port "$(container "order-service-$1")" "$((8997 + $1))" | head -n 1)"; }
# From /ping, which answers anyone (the other replica routes need the cluster key).
max_transaction() { http_get "$(replica_url "$1")/ping" | json_number max_transaction; }
is_leader() { http_get "$(replica_url "$1")/ping" | grep -q '"is_leader":true'; }

# Polls until every named service's container reports healthy, at most $1 seconds.
wait_healthy() {
  local deadline=$((SECONDS + $1)) service all
  shift
  while ((SECONDS < deadline)); do
    all=1
    for service in "$@"; do
      [[ "$(health "$(container "$service")")" == healthy ]] || all=0
    done
    ((all)) && return 0
    sleep 1
  done
  for service in "$@"; do echo "  $service: $(health "$(container "$service")")"; done
  compose logs --no-color --tail 20 "$@" 2>&1 | sed 's/^/  /'
  return 1
}

# Sets leader_id to the replica that says it leads; elections may be under way, so callers poll it.
leader_id=""
find_leader() {
  local id
  for id in 1 2 3; do
    if [[ -n "$(container "order-service-$id")" ]] && is_leader "$id"; then leader_id=$id; return 0; fi
  done
  return 1
}
leader() { leader_id=""; eventually 30 find_leader; echo "$leader_id"; }

# Repeats "$@" until it succeeds, at most $1 seconds.
eventually() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

services=(catalog order-service-1 order-service-2 order-service-3 frontend)

if ((build)); then
  note "building $image"
  if bash deploy/build-image.sh --tag "$image" >"$results/build.log" 2>&1; then
    pass image-builds
  else
    tail -n 20 "$results/build.log"
    fail image-builds "deploy/build-image.sh failed"
  fi
elif docker image inspect "$image" >/dev/null 2>&1 && bash deploy/build-image.sh --files-only; then
  pass image-builds
else
  fail image-builds "--no-build, and there is no $image"
fi
if ! docker image inspect "$image" >/dev/null 2>&1; then
  fail_rest "no image"
  summary
  exit 1
fi
size_mb=$(($(docker image inspect -f '{{.Size}}' "$image") / 1000000))
note "image size: $size_mb MB"
if ((size_mb < 250)); then pass image-under-250-mb; else fail image-under-250-mb "$size_mb MB"; fi

# A figure, not a check: from `docker run` to the first ready answer of one catalog container.
docker run -d --name "$project-ready" --label "com.docker.compose.project=$project" -p 127.0.0.1::8997 \
  -v "$PWD/deploy/cluster.key:/run/secrets/cluster_key:ro" -e STOCKNET_CLUSTER_KEY_FILE=/run/secrets/cluster_key "$image" catalog >/dev/null
ready_port="$(docker port "$project-ready" 8997 | head -n 1)"
ready_started=$(date +%s%N)
eventually 30 curl -sf -m 1 "http://$ready_port/health/ready" -o /dev/null
note "one container ready in $(((($(date +%s%N) - ready_started) / 1000000))) ms (catalog, fresh volume; load average $(cut -d' ' -f1-3 /proc/loadavg))"
docker rm -f "$project-ready" >/dev/null

# Taken just before it is published, not before the image build: the less time between, the less chance it goes.
if ! frontend_port="$(free_port)"; then
  fail_rest "no free port for the front-end"
  summary
  exit 1
fi
export STOCKNET_FRONTEND_PORT="$frontend_port"
base="http://127.0.0.1:$frontend_port"
note "compose up (front-end on 127.0.0.1:$frontend_port, ${compose_command[*]})"
up_started=$SECONDS
compose up -d >"$results/up.log" 2>&1 || cat "$results/up.log"
if wait_healthy 150 "${services[@]}"; then
  note "every service healthy $((SECONDS - up_started)) s after up"
  pass services-healthy
else
  fail services-healthy "not every service became healthy within 150 s"
  fail_rest "the system did not start"
  summary
  exit 1
fi

client_exit="$(timeout 240 docker wait "$(container client)")"
if [[ "$client_exit" == 0 && -s "$results/results.json" && -s "$results/latency.png" ]]; then
  pass client-load-verified
else
  compose logs --no-color --tail 30 client | sed 's/^/  /'
  fail client-load-verified "client exit code '$client_exit', results: $(ls "$results" | tr '\n' ' ')"
fi

# The README's three curl commands, through the published port.
lookup="$(http_get "$base/stocks/GOOG")"
if grep -q '"name":"GOOG"' <<<"$lookup"; then pass lookup; else fail lookup "$lookup"; fi
bought="$(http_get -X POST "$base/orders" -H 'Content-Type: application/json' -d '{"name":"GOOG","type":"buy","quantity":3}')"
order="$(json_number transaction_number <<<"$bought")"
if [[ -n "$order" ]]; then pass buy; else fail buy "$bought"; fi
queried="$(http_get "$base/orders/${order:-0}")"
if grep -q '"name":"GOOG"' <<<"$queried" && grep -q '"type":"buy"' <<<"$queried" && grep -q '"quantity":3' <<<"$queried"; then
  pass order-query
else
  fail order-query "$queried"
fi

# A cached quote must change as soon as a trade changes the stock (the catalog pushes the invalidation);
# the entry is under a second old at the trade, so its 5 s time-to-live cannot be what refreshes it.
http_get "$base/stocks/MSFT" -o /dev/null
cached="$(http_get -D - "$base/stocks/MSFT")"
before="$(json_number quantity <<<"$cached")"
http_get -X POST "$base/orders" -H 'Content-Type: application/json' -d '{"name":"MSFT","type":"sell","quantity":2}' -o /dev/null
quantity_is() { [[ "$(http_get "$base/stocks/MSFT" | json_number quantity)" == "$1" ]]; }
if grep -qi 'X-Cache: HIT' <<<"$cached" && eventually 3 quantity_is "$((before + 2))"; then
  pass cache-invalidation
else
  fail cache-invalidation "cached: $(grep -i x-cache <<<"$cached" | tr -d '\r'), quantity $before, then $(http_get "$base/stocks/MSFT")"
fi

# Kill the leader's container while four clients trade; the front-end must hide it from every one of them.
# Each client alternately sells and buys one share of its own stock (so stock never runs out) until told to
# stop, and writes every acknowledged order number, or the error it got instead.
trader() {
  local stock=$1 type=sell reply deadline=$((SECONDS + 120))
  while [[ ! -e "$results/stop-trading" ]] && ((SECONDS < deadline)); do
    reply="$(curl -s -m 10 -w ' HTTP%{http_code}' -X POST "$base/orders" -H 'Content-Type: application/json' \
      -d "{\"name\":\"$stock\",\"type\":\"$type\",\"quantity\":1}")"
    if [[ "$reply" == *" HTTP200" ]]; then
      echo "$(json_number transaction_number <<<"$reply") $stock $type"
    else
      echo "ERROR $stock $type: $reply"
    fi
    if [[ $type == sell ]]; then type=buy; else type=sell; fi
  done >"$results/trades-$stock"
}
trades() { cat "$results"/trades-* 2>/dev/null | grep -vc '^ERROR'; }
# Every acknowledged order must read back as placed: number, stock, side and quantity.
unverified_trades() {
  local number stock type reply
  cat "$results"/trades-* | grep -v '^ERROR' | while read -r number stock type; do
    reply="$(http_get "$base/orders/$number")"
    if ! grep -q "\"name\":\"$stock\",\"type\":\"$type\",\"quantity\":1" <<<"$reply"; then echo "order $number ($stock $type): $reply"; fi
  done
}

old_leader="$(leader)"
note "leader: replica ${old_leader:-none}; four clients trading, then docker kill"
for stock in AMZN TSLA META NFLX; do
  trader "$stock" &
  traders+=($!)
done
enough_trades() { (($(trades) >= $1)); }
if [[ -n "$old_leader" ]] && eventually 60 enough_trades 20; then
  docker kill "$(container "order-service-$old_leader")" >/dev/null
  killed_at=$SECONDS
  at_kill=$(trades)
  new_leader_elected() { local id; for id in 1 2 3; do [[ $id != "$old_leader" ]] && is_leader "$id" && return 0; done; return 1; }
  if eventually 20 new_leader_elected; then
    pass new-leader-elected
  else
    fail new-leader-elected "no other replica leads 20 s after the kill"
  fi
  note "a new leader within $((SECONDS - killed_at + 1)) s of the kill"
  # Keep trading under the new leader before stopping.
  eventually 60 enough_trades $((at_kill + 40))
else
  fail new-leader-elected "no leader, or the clients placed no orders"
fi
touch "$results/stop-trading"
wait "${traders[@]}"
errors="$(cat "$results"/trades-* | grep '^ERROR')"
unverified="$(unverified_trades)"
note "$(trades) orders acknowledged across the kill"
if [[ -z "$errors" && -z "$unverified" ]] && (($(trades) > 0)); then
  pass failover-no-client-errors
else
  fail failover-no-client-errors "$(head -n 5 <<<"$errors$unverified")"
fi

if [[ -n "$old_leader" ]]; then
  docker start "$(container "order-service-$old_leader")" >/dev/null
  current="$(leader)"
  caught_up() { [[ -n "$current" && "$(max_transaction "$old_leader")" == "$(max_transaction "$current")" ]]; }
  if wait_healthy 60 "order-service-$old_leader" && eventually 15 caught_up; then
    pass restarted-replica-caught-up
  else
    fail restarted-replica-caught-up "replica $old_leader: $(max_transaction "$old_leader"), leader ${current:-none}: $(max_transaction "${current:-1}")"
  fi
else
  fail restarted-replica-caught-up "no leader was killed"
fi

if compose --profile test run --rm --no-deps -T test >"$results/test-profile.log" 2>&1; then
  pass test-profile
else
  tail -n 25 "$results/test-profile.log" | sed 's/^/  /'
  fail test-profile "the test service failed"
fi

# Data lives in the named volumes: after down and up, the same quantity and the same orders.
quantity_before="$(http_get "$base/stocks/GOOG" | json_number quantity)"
order_before="$(http_get "$base/orders/${order:-0}")"
leader_before="$(leader)"
max_before="$(max_transaction "${leader_before:-3}")"
note "down, then up again (GOOG quantity $quantity_before, highest order $max_before)"
compose down -t 5 >/dev/null 2>&1
compose up -d "${services[@]}" >"$results/up2.log" 2>&1 || cat "$results/up2.log"
# The first answers after a restart may be slow on a busy machine: wait (bounded) for one, then compare.
read_quantity() { quantity_after="$(http_get "$base/stocks/GOOG" | json_number quantity)"; [[ -n "$quantity_after" ]]; }
if wait_healthy 150 "${services[@]}"; then
  leader_after="$(leader)"
  eventually 20 read_quantity
  order_after="$(http_get "$base/orders/${order:-0}")"
  max_after="$(max_transaction "${leader_after:-3}")"
  if [[ -n "$quantity_before" && "$quantity_after" == "$quantity_before" && "$order_after" == "$order_before" && "$max_after" == "$max_before" ]]; then
    pass data-survives-down-up
  else
    fail data-survives-down-up "GOOG $quantity_before -> $quantity_after, order $order_before -> $order_after, highest $max_before -> $max_after"
  fi
else
  fail data-survives-down-up "the system did not come back"
fi

compose --profile test down -v --remove-orphans -t 5 >/dev/null 2>&1
label="label=com.docker.compose.project=$project"
left="$(docker ps -aq --filter "$label") $(docker network ls -q --filter "$label") $(docker volume ls -q --filter "$label")"
if [[ -z "${left// /}" ]]; then pass down-removes-everything; else fail down-removes-everything "left: $left"; fi

note "done in $((SECONDS - started)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
summary
((failed == 0))
