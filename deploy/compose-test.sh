#!/usr/bin/env bash
# Brings up the compose stack (deploy/docker-compose.yml + docker-compose.hostnet.yml) on a private Docker
# engine with locally built images, publishes the sample with ffmpeg and checks Prometheus for real: the
# relay target is up, the alert rules are loaded, a query on an ingest metric returns the live room, every
# Grafana panel's query runs and returns data, and the publisher-gone alert goes pending once the encoder
# stops while the room is shown.
# Grafana itself is not in Debian's archive and no registry answers here, so its service is not started:
# `docker-compose config` validates it, and deploy/checks/check_deploy.py checks the dashboard JSON and the
# provisioning files, and runs every panel query against this stack's Prometheus instead.
# About 1 minute once the base image exists (deploy/smoke-test.sh makes it).
#   usage: deploy/compose-test.sh      (root; installs docker.io, docker-compose, ffmpeg when missing)
set -uo pipefail
source "$(dirname "$0")/docker-env.sh"

export FLUXRELAY_TAG=compose-test-$$
PROJECT=fluxrelay-compose-$$
# A stream key of the length the server demands (16 characters or more).
KEY=$(printf 'compose-%05d%05d%05d' $RANDOM $RANDOM $RANDOM)
SAMPLE=$FR_REPO/server/src/test/resources/e2e/h264-aac-720p30-6s.flv
FFMPEG_PID=
VIEWER_PIDS=()
COMPOSE=()

cleanup() {
  [ -n "$FFMPEG_PID" ] && kill "$FFMPEG_PID" 2>/dev/null
  [ "${#VIEWER_PIDS[@]}" -gt 0 ] && kill "${VIEWER_PIDS[@]}" 2>/dev/null
  if [ "${#COMPOSE[@]}" -gt 0 ] && docker version >/dev/null 2>&1; then
    "${COMPOSE[@]}" down -v --timeout 10 >/dev/null 2>&1
    docker rmi "fluxrelay/relay-server:$FLUXRELAY_TAG" "fluxrelay/prometheus:$FLUXRELAY_TAG" >/dev/null 2>&1
  fi
  fr_docker_down
  rm -f "${MERGED:-}"
}
trap cleanup EXIT

die() { fr_fail "$*"; fr_summary compose-test; exit 1; }

fr_need curl curl && fr_need ffmpeg ffmpeg && fr_need docker-compose docker-compose || die "tools"
python3 -c 'import yaml' 2>/dev/null || fr_need_python_yaml || die "python3 with PyYAML"
fr_jar || die "server jar"
fr_docker_up || die "docker engine"
fr_base_image || die "base image $FR_BASE"

RELAY_RTMP_PORT=$(fr_free_port) && RELAY_HTTP_PORT=$(fr_free_port "$RELAY_RTMP_PORT") \
  && PROMETHEUS_PORT=$(fr_free_port "$RELAY_RTMP_PORT" "$RELAY_HTTP_PORT") || die "free ports"
export RELAY_RTMP_PORT RELAY_HTTP_PORT PROMETHEUS_PORT RELAY_DEMO_STREAM_NAME=$KEY RELAY_BIND=127.0.0.1
FILES=(-p "$PROJECT" -f "$FR_REPO/deploy/docker-compose.yml" -f "$FR_REPO/deploy/docker-compose.hostnet.yml")
PROM=http://127.0.0.1:$PROMETHEUS_PORT

fr_check "compose files valid (all three services)" docker-compose "${FILES[@]}" config -q
# Debian's docker-compose (1.x) refuses port mappings on host-network services and an override cannot
# remove the main file's: run the merged configuration without them (docker compose v2 needs no such step).
MERGED=$(mktemp --suffix .yml)
docker-compose "${FILES[@]}" config | python3 -c '
import sys, yaml
d = yaml.safe_load(sys.stdin)
for s in d["services"].values():
    if s.get("network_mode") == "host":
        s.pop("ports", None)
yaml.safe_dump(d, sys.stdout, sort_keys=False)' >"$MERGED" || die "merged compose file"
COMPOSE=(docker-compose -p "$PROJECT" -f "$MERGED")
start=$SECONDS
"${COMPOSE[@]}" build relay prometheus >/dev/null 2>&1 || die "compose build"
fr_pass "relay and prometheus images built in $((SECONDS - start)) s"
"${COMPOSE[@]}" up -d relay prometheus >/dev/null 2>&1 || { "${COMPOSE[@]}" logs --tail 20; die "compose up"; }

ready() { curl -fsS "http://127.0.0.1:$RELAY_HTTP_PORT/health/ready"; }
fr_check "relay ready" fr_wait 90 ready || { "${COMPOSE[@]}" logs --tail 20 relay; die "relay not ready"; }
prom_ready() { curl -fsS "$PROM/-/ready"; }
fr_check "prometheus ready" fr_wait 60 prom_ready || { "${COMPOSE[@]}" logs --tail 20 prometheus; die "prometheus not ready"; }

ffmpeg -nostdin -v error -re -stream_loop -1 -i "$SAMPLE" -c copy -f flv \
  "rtmp://127.0.0.1:$RELAY_RTMP_PORT/live/$KEY" >/dev/null 2>&1 &
FFMPEG_PID=$!

target_up() { curl -fsS "$PROM/api/v1/targets?state=active" | grep '"job":"fluxrelay".*"health":"up"' >/dev/null; }
fr_check "Prometheus target fluxrelay is up" fr_wait 60 target_up
rules_loaded() { [ "$(curl -fsS "$PROM/api/v1/rules?type=alert" | grep -o '"type":"alerting"' | wc -l)" = 3 ]; }
fr_check "the 3 alert rules are loaded" fr_wait 30 rules_loaded
QUERY='sum by (room) (rate(fluxrelay_ingest_bytes_total[30s])) > 0'
room_live() { curl -fsS --get "$PROM/api/v1/query" --data-urlencode "query=$QUERY" | grep '"room":"demo"' >/dev/null; }
fr_check "query '$QUERY' returns the live room demo" fr_wait 60 room_live
bitrate=$(curl -fsS --get "$PROM/api/v1/query" --data-urlencode 'query=sum(fluxrelay_ingest_bytes_per_second{room="demo"}) * 8' \
  | grep -o '"value":\[[^]]*\]' | grep -oE '"[0-9.e+]+"\]' | tr -d '"]')
fr_log "ingest bitrate of room demo in Prometheus: ${bitrate:-?} bit/s"

# Viewers, so the viewer panels have something to show: one over RTMP, one over HTTP-FLV.
timeout 120 ffmpeg -nostdin -v quiet -i "rtmp://127.0.0.1:$RELAY_RTMP_PORT/live/demo" -f null - >/dev/null 2>&1 &
VIEWER_PIDS+=($!)
timeout 120 curl -s -o /dev/null "http://127.0.0.1:$RELAY_HTTP_PORT/live/demo.flv" &
VIEWER_PIDS+=($!)

# Events whose counters exist only once they happen (the dashboard graphs them): a wrong stream key and a
# client speaking HTTP to the RTMP port.
timeout 20 ffmpeg -nostdin -v quiet -re -i "$SAMPLE" -t 1 -c copy -f flv \
  "rtmp://127.0.0.1:$RELAY_RTMP_PORT/live/wrong-$KEY" 2>/dev/null
(printf 'GET / HTTP/1.1\r\n\r\n%01600d' 0 >"/dev/tcp/127.0.0.1/$RELAY_RTMP_PORT") 2>/dev/null
CHECKS=$(mktemp)
panels() { python3 "$FR_REPO/deploy/checks/check_deploy.py" --prometheus "$PROM" >"$CHECKS" 2>&1; }
fr_wait 60 panels
panels
checked=$?
grep -Ev '^(ok|check-deploy:)' "$CHECKS" >&2
fr_check "every dashboard panel and alert query runs in Prometheus with data ($(tail -1 "$CHECKS"))" test "$checked" = 0
rm -f "$CHECKS"
kill "${VIEWER_PIDS[@]}" 2>/dev/null
VIEWER_PIDS=()

kill "$FFMPEG_PID" 2>/dev/null
FFMPEG_PID=
alert_pending() { curl -fsS "$PROM/api/v1/alerts" | grep '"alertname":"FluxrelayPublisherGoneWhileLive".*"state":"\(pending\|firing\)"' >/dev/null; }
fr_check "encoder stopped while shown: FluxrelayPublisherGoneWhileLive pending" fr_wait 60 alert_pending

# The volumes: HLS segments on relay-hls; a room made through the admin API (loopback: no token needed)
# is in the rooms file on relay-data and so survives a restart of the relay container.
fr_check "HLS segments on the relay-hls volume" \
  sh -c "'${COMPOSE[0]}' ${COMPOSE[*]:1} exec -T relay ls /var/lib/fluxrelay/hls/demo | grep -q '\.ts\$'"
curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"id":"persisted","title":"Persisted room","app":"live"}' \
  "http://127.0.0.1:$RELAY_HTTP_PORT/api/rooms"
start=$SECONDS
"${COMPOSE[@]}" restart relay >/dev/null 2>&1
fr_wait 90 ready
room_kept() { curl -fsS "http://127.0.0.1:$RELAY_HTTP_PORT/api/rooms" | grep '"id":"persisted"' >/dev/null; }
fr_check "a room made through the admin API survives a restart (rooms file on relay-data; restart $((SECONDS - start)) s)" room_kept

fr_summary compose-test
