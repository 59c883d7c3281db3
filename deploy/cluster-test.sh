#!/usr/bin/env bash
# Brings up the cluster stack (deploy/cluster/docker-compose.yml + docker-compose.hostnet.yml) on a private Docker
# engine with locally built images: Redis, three relay nodes, HAProxy, nginx, Prometheus (Grafana is left out, as in
# compose-test.sh: no registry here). Then, as an organiser and viewers would:
#   - the nodes see each other (admin API through nginx), a room is made through nginx;
#   - ffmpeg publishes through HAProxy (restarting when cut, as OBS reconnects);
#   - RTMP through HAProxy, HTTP-FLV and HLS through nginx, and RTMP straight from every node decode;
#   - Prometheus scrapes the three nodes and every dashboard panel, the cluster row included, has data;
#   - `docker kill` of the origin node: the encoder republishes through HAProxy to another node, and an RTMP and
#     an HTTP-FLV viewer on the other nodes stay connected and get media again (the gap is printed);
#   - Redis restarted: the room is still in it (AOF), the nodes reconnect.
# Tears everything down and stops the engine if it started it.
#   usage: deploy/cluster-test.sh      (root; installs docker.io, docker-compose, ffmpeg when missing)
set -uo pipefail
# With pipefail, "curl | grep -q" can fail on a match: grep exits at once and curl dies writing (exit 23).
# Pipelines here let grep read everything (grep ... >/dev/null) instead.
source "$(dirname "$0")/docker-env.sh"

export FLUXRELAY_TAG=cluster-test-$$
PROJECT=fluxrelay-cluster-$$
KEY=$(printf 'cluster-%05d%05d%05d' $RANDOM $RANDOM $RANDOM)
ROOM=event
SAMPLE=$FR_REPO/server/src/test/resources/e2e/h264-aac-720p30-6s.flv
WORK=$(mktemp -d)
PUB_PID=
VIEWER_PIDS=()
COMPOSE=()
IMAGES=(relay-server redis haproxy nginx prometheus)

cleanup() {
  stop_publisher
  [ "${#VIEWER_PIDS[@]}" -gt 0 ] && kill "${VIEWER_PIDS[@]}" 2>/dev/null
  if [ "${#COMPOSE[@]}" -gt 0 ] && docker version >/dev/null 2>&1; then
    "${COMPOSE[@]}" down -v --timeout 10 >/dev/null 2>&1
    for i in "${IMAGES[@]}"; do docker rmi "fluxrelay/$i:$FLUXRELAY_TAG" >/dev/null 2>&1; done
  fi
  fr_docker_down
  rm -rf "$WORK"
}
trap cleanup EXIT

die() { fr_fail "$*"; fr_summary cluster-test; exit 1; }

# The encoder: publishes the sample in a loop through HAProxy and reconnects a second after being cut, as OBS does.
start_publisher() {
  (
    while :; do
      ffmpeg -nostdin -v error -re -stream_loop -1 -i "$SAMPLE" -c copy -f flv \
        "rtmp://127.0.0.1:$RELAY_RTMP_PORT/live/$KEY" >>"$WORK/publish.log" 2>&1
      echo "$(date +%T) publisher cut, reconnecting" >>"$WORK/publish.log"
      sleep 1
    done
  ) &
  PUB_PID=$!
}
stop_publisher() {
  [ -n "$PUB_PID" ] || return 0
  kill "$PUB_PID" 2>/dev/null
  pkill -P "$PUB_PID" 2>/dev/null
  PUB_PID=
}

fr_need curl curl && fr_need ffmpeg ffmpeg && fr_need docker-compose docker-compose || die "tools"
python3 -c 'import yaml' 2>/dev/null || fr_need_python_yaml || die "python3 with PyYAML"
fr_jar || die "server jar"
fr_docker_up || die "docker engine"
fr_base_image || die "base image $FR_BASE"

PORTS=()
for v in REDIS_PORT RELAY_1_RTMP_PORT RELAY_1_HTTP_PORT RELAY_2_RTMP_PORT RELAY_2_HTTP_PORT RELAY_3_RTMP_PORT \
    RELAY_3_HTTP_PORT RELAY_RTMP_PORT RELAY_HTTP_PORT PROMETHEUS_PORT; do
  p=$(fr_free_port "${PORTS[@]}") || die "free ports"
  PORTS+=("$p")
  export "$v=$p"
done
export RELAY_BIND=127.0.0.1 RELAY_CLUSTER_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
  RELAY_ADMIN_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
node_http() { local v="RELAY_$1_HTTP_PORT"; echo "${!v}"; }
node_rtmp() { local v="RELAY_$1_RTMP_PORT"; echo "${!v}"; }
LB=http://127.0.0.1:$RELAY_HTTP_PORT
PROM=http://127.0.0.1:$PROMETHEUS_PORT
AUTH=(-H "Authorization: Bearer $RELAY_ADMIN_TOKEN")
FILES=(-p "$PROJECT" -f "$FR_REPO/deploy/cluster/docker-compose.yml" -f "$FR_REPO/deploy/cluster/docker-compose.hostnet.yml")

fr_check "cluster compose files valid" docker-compose "${FILES[@]}" config -q
# As compose-test.sh: Debian's docker-compose 1.x refuses port mappings on host-network services.
docker-compose "${FILES[@]}" config | python3 -c '
import sys, yaml
d = yaml.safe_load(sys.stdin)
for s in d["services"].values():
    if s.get("network_mode") == "host":
        s.pop("ports", None)
yaml.safe_dump(d, sys.stdout, sort_keys=False)' >"$WORK/compose.yml" || die "merged compose file"
COMPOSE=(docker-compose -p "$PROJECT" -f "$WORK/compose.yml")
SERVICES=(redis relay-1 relay-2 relay-3 haproxy nginx prometheus)
start=$SECONDS
"${COMPOSE[@]}" build "${SERVICES[@]}" >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; die "compose build"; }
fr_pass "images built in $((SECONDS - start)) s"
start=$SECONDS
"${COMPOSE[@]}" up -d "${SERVICES[@]}" >/dev/null 2>&1 || { "${COMPOSE[@]}" logs --tail 20; die "compose up"; }

ready() { curl -fsS "http://127.0.0.1:$(node_http "$1")/health/ready"; }
for n in 1 2 3; do
  fr_wait 120 ready "$n" || { "${COMPOSE[@]}" logs --tail 30 "relay-$n"; die "relay-$n not ready"; }
done
fr_pass "three nodes ready $((SECONDS - start)) s after up"
nodes() { curl -fsS "${AUTH[@]}" "$LB/api/cluster/nodes" | grep -o '"id":"relay-[0-9]"' | sort -u | wc -l | grep -qx 3; }
fr_check "the nodes see each other (GET /api/cluster/nodes through nginx lists 3)" fr_wait 30 nodes
fr_check "an admin write without the token is refused through nginx" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"id":"x","app":"live"}' "$LB/api/rooms")" = 401
code=$(curl -s -o "$WORK/room.json" -w '%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$ROOM\",\"title\":\"Cluster test\",\"app\":\"live\",\"streamName\":\"$KEY\"}" "$LB/api/rooms")
fr_check "room $ROOM made through nginx (HTTP $code)" test "$code" = 201 -o "$code" = 200
room_on() { curl -fsS "${AUTH[@]}" "http://127.0.0.1:$(node_http "$1")/api/rooms/$ROOM" >/dev/null; }
all_know() { room_on 1 && room_on 2 && room_on 3; }
fr_check "every node knows the room" fr_wait 10 all_know

lb_up() { (exec 3<>"/dev/tcp/127.0.0.1/$RELAY_RTMP_PORT") 2>/dev/null; }
fr_wait 30 lb_up || { "${COMPOSE[@]}" logs --tail 20 haproxy; die "HAProxy not listening"; }
start_publisher
# The origin: the node that holds the room's lease, seen as its one originated room in the nodes list.
origin() {
  curl -fsS "${AUTH[@]}" "$LB/api/cluster/nodes" | python3 -c '
import json, sys
o = [n["id"] for n in json.load(sys.stdin)["nodes"] if n.get("roomsOriginated", 0) > 0]
print(o[0] if len(o) == 1 else "")'
}
has_origin() { [ -n "$(origin)" ]; }
fr_check "the publish through HAProxy made one node the origin" fr_wait 30 has_origin || { tail "$WORK/publish.log"; die "no origin"; }
ORIGIN=$(origin)
ORIGIN_N=${ORIGIN#relay-}
EDGES=()
for n in 1 2 3; do [ "$n" != "$ORIGIN_N" ] && EDGES+=("$n"); done
fr_log "origin $ORIGIN, edges relay-${EDGES[0]} and relay-${EDGES[1]}"

# Every node answers the room's HLS alike (docs/cluster.md), edges forwarding to the origin, so nginx round-robins.
node_media() { curl -fsS "http://127.0.0.1:$(node_http "$1")/hls/$ROOM/stream.m3u8"; }
origin_hls() { node_media "$ORIGIN_N" | grep '#EXTINF' >/dev/null; }
fr_check "the origin serves the room's HLS" fr_wait 30 origin_hls
same_hls() { # the edge's media playlist names the origin's segments (fetched one after the other)
  local o e
  o=$(node_media "$ORIGIN_N" | grep -v '^#' | tail -n 2 | head -n 1) && e=$(node_media "$1" | grep -v '^#') && grep -qx "$o" <<<"$e"
}
for n in "${EDGES[@]}"; do fr_check "relay-$n answers the origin's HLS playlist" fr_wait 10 same_hls "$n"; done

decodes() { # description url
  local got
  got=$(fr_play "$2")
  fr_check "$1 decodes (video, audio frames: $got)" test "${got% *}" -ge 90 -a "${got#* }" -gt 0
}
decodes "RTMP through HAProxy" "rtmp://127.0.0.1:$RELAY_RTMP_PORT/live/$ROOM"
decodes "HTTP-FLV through nginx" "$LB/live/$ROOM.flv"
for n in 1 2 3; do decodes "RTMP from relay-$n directly" "rtmp://127.0.0.1:$(node_rtmp "$n")/live/$ROOM"; done
pulls() { curl -fsS "http://127.0.0.1:$(node_http "$1")/metrics" | grep '^fluxrelay_cluster_pulls_started_total [1-9]' >/dev/null; }
edges_pulled() { pulls "${EDGES[0]}" && pulls "${EDGES[1]}"; }
fr_check "both edges pulled the room from the origin" edges_pulled
hls() { curl -fsS "$LB/hls/$ROOM/index.m3u8" | grep '#EXTM3U' >/dev/null; }
fr_check "HLS playlist through nginx (round robin over the nodes)" fr_wait 30 hls
decodes "HLS from relay-${EDGES[0]} (an edge) directly" "http://127.0.0.1:$(node_http "${EDGES[0]}")/hls/$ROOM/index.m3u8"
decodes "HLS through nginx" "$LB/hls/$ROOM/index.m3u8"
seg=$(curl -fsS "$LB/hls/$ROOM/index.m3u8" | grep -v '^#' | head -1)
media=$(curl -fsS "$LB/hls/$ROOM/$seg" | grep -v '^#' | grep -v '^$' | tail -1)
curl -fsS -o /dev/null "$LB/hls/$ROOM/$media"
fr_check "an HLS segment is served from nginx's cache the second time ($media)" \
  sh -c "curl -fsS -D - -o /dev/null '$LB/hls/$ROOM/$media' | grep -i '^X-Cache-Status: HIT' >/dev/null"

target_up() { [ "$(curl -fsS "$PROM/api/v1/targets?state=active" | grep -o '"health":"up"' | wc -l)" = 3 ]; }
fr_check "Prometheus scrapes the three nodes" fr_wait 60 target_up
# Events whose counters exist only once they happen (the dashboard graphs them), as in compose-test.sh: a wrong
# stream key and a client speaking HTTP to the RTMP port, both through HAProxy.
timeout 20 ffmpeg -nostdin -v quiet -re -i "$SAMPLE" -t 1 -c copy -f flv \
  "rtmp://127.0.0.1:$RELAY_RTMP_PORT/live/wrong-$KEY" 2>/dev/null
(printf 'GET / HTTP/1.1\r\n\r\n%01600d' 0 >"/dev/tcp/127.0.0.1/$RELAY_RTMP_PORT") 2>/dev/null
CHECKS=$WORK/panels.txt
panels() { python3 "$FR_REPO/deploy/checks/check_deploy.py" --prometheus "$PROM" --cluster >"$CHECKS" 2>&1; }
fr_wait 60 panels
panels
checked=$?
grep -Ev '^(ok|check-deploy:)' "$CHECKS" >&2
fr_check "every dashboard panel, the cluster row included, has data ($(tail -1 "$CHECKS"))" test "$checked" = 0

# Failover: a viewer on each edge (RTMP on one, HTTP-FLV on the other), then the origin's container is killed.
timeout 300 ffmpeg -nostdin -v error -i "rtmp://127.0.0.1:$(node_rtmp "${EDGES[0]}")/live/$ROOM" -c copy -f flv \
  "$WORK/rtmp-viewer.flv" >"$WORK/rtmp-viewer.log" 2>&1 &
RTMP_VIEWER=$!
timeout 300 curl -sN -o "$WORK/flv-viewer.flv" "http://127.0.0.1:$(node_http "${EDGES[1]}")/live/$ROOM.flv" &
FLV_VIEWER=$!
VIEWER_PIDS+=("$RTMP_VIEWER" "$FLV_VIEWER")
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
flowing() { [ "$(size "$WORK/rtmp-viewer.flv")" -gt 300000 ] && [ "$(size "$WORK/flv-viewer.flv")" -gt 300000 ]; }
fr_check "viewers on relay-${EDGES[0]} (RTMP) and relay-${EDGES[1]} (HTTP-FLV) receive media" fr_wait 30 flowing

killed_at=$SECONDS
docker kill "${PROJECT}_${ORIGIN}_1" >/dev/null 2>&1 || docker kill "$("${COMPOSE[@]}" ps -q "$ORIGIN")" >/dev/null \
  || die "docker kill $ORIGIN"
fr_log "killed $ORIGIN"
sleep 2
r0=$(size "$WORK/rtmp-viewer.flv")
f0=$(size "$WORK/flv-viewer.flv")
new_origin() { local o; o=$(origin); [ -n "$o" ] && [ "$o" != "$ORIGIN" ]; }
fr_check "the encoder's reconnect through HAProxy made another node the origin" fr_wait 60 new_origin \
  || { tail "$WORK/publish.log"; }
fr_log "new origin $(origin) $((SECONDS - killed_at)) s after the kill"
# Polled every 0.2 s, so the gap printed is close to the one viewers saw.
resumed() { [ "$(size "$WORK/rtmp-viewer.flv")" -gt $((r0 + 200000)) ] && [ "$(size "$WORK/flv-viewer.flv")" -gt $((f0 + 200000)) ]; }
deadline=$((SECONDS + 60))
until resumed || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
fr_check "both edge viewers get media again" resumed
fr_log "media again at both edge viewers $((SECONDS - killed_at)) s after the kill (200 kB each past the stall)"
fr_check "the RTMP viewer stayed connected" kill -0 "$RTMP_VIEWER" || cat "$WORK/rtmp-viewer.log" >&2
fr_check "the HTTP-FLV viewer stayed connected" kill -0 "$FLV_VIEWER"
alive=0
for n in "${EDGES[@]}"; do ready "$n" >/dev/null 2>&1 && alive=$((alive + 1)); done
fr_check "the two surviving nodes are ready" test "$alive" = 2
decodes "RTMP through HAProxy after the failover" "rtmp://127.0.0.1:$RELAY_RTMP_PORT/live/$ROOM"

# AOF: the room made through the admin API is still in Redis after a restart of the Redis container.
"${COMPOSE[@]}" restart redis >/dev/null 2>&1
redis_room() { "${COMPOSE[@]}" exec -T redis redis-cli -p "$REDIS_PORT" HEXISTS fluxrelay:rooms "$ROOM" | grep -qx 1; }
fr_check "the room is in Redis after a Redis restart (append-only file on the redis-data volume)" fr_wait 30 redis_room
store_back() { curl -fsS "http://127.0.0.1:$(node_http "${EDGES[0]}")/health/cluster"; }
fr_check "a node's cluster health answers 200 after the Redis restart" fr_wait 30 store_back

fr_log "cluster test took $SECONDS s"
fr_summary cluster-test
