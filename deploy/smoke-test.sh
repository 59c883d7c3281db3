#!/usr/bin/env bash
# Smoke test of the server image on a real Docker engine, with no image registry:
#   starts a private engine (shared dockerd-start.sh), builds the Debian base image if absent (kept
#   between runs), builds deploy/Dockerfile, runs it with --network host on free loopback ports and as
#   the Kubernetes pod runs it (deploy/k8s: the ConfigMap's relay.conf, read-only root, no capabilities),
#   waits for the health check, publishes the sample with ffmpeg, plays it back over RTMP, HTTP-FLV and
#   HLS, checks the HLS files on the data volume, lints /metrics with promtool and checks that every
#   metric the Grafana dashboard and the alert rules use is in it, reads the admin API, sends SIGTERM
#   and expects readiness to drop, the drain to run and the exit status to be 0.
# Removes the container and image it made, and stops the engine if it started it.
#   usage: deploy/smoke-test.sh   (root; installs docker.io, ffmpeg, prometheus, python3-yaml when missing)
# About 1 minute with the base image present; the first run on a machine debootstraps it (a few minutes).
set -uo pipefail
source "$(dirname "$0")/docker-env.sh"

IMAGE=fluxrelay/relay-server:smoke-$$
NAME=fluxrelay-smoke-$$
# A stream key of the length the server demands (16 characters or more).
KEY=$(printf 'smoke-%05d%05d%05d' $RANDOM $RANDOM $RANDOM)
SAMPLE=$FR_REPO/server/src/test/resources/e2e/h264-aac-720p30-6s.flv
DRAIN=6
WORK=$(mktemp -d)
FFMPEG_PID=

cleanup() {
  [ -n "$FFMPEG_PID" ] && kill "$FFMPEG_PID" 2>/dev/null
  if docker version >/dev/null 2>&1; then
    docker rm -f -v "$NAME" >/dev/null 2>&1
    docker rmi "$IMAGE" >/dev/null 2>&1
  fi
  fr_docker_down
  rm -rf "$WORK"
}
trap cleanup EXIT

die() { fr_fail "$*"; fr_summary smoke-test; exit 1; }

fr_need curl curl && fr_need ffmpeg ffmpeg && fr_need promtool prometheus || die "tools"
python3 -c 'import yaml' 2>/dev/null || fr_need_python_yaml || die "python3 with PyYAML"
fr_jar || die "server jar"
fr_docker_up || die "docker engine"
fr_base_image || die "base image $FR_BASE"

start=$SECONDS
docker build --network host -q -f "$FR_REPO/deploy/Dockerfile" -t "$IMAGE" "$FR_REPO" >/dev/null || die "docker build"
fr_pass "image built in $((SECONDS - start)) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"

RTMP=$(fr_free_port) && HTTP=$(fr_free_port "$RTMP") || die "free ports"
BASE_URL=http://127.0.0.1:$HTTP
# The Kubernetes ConfigMap's relay.conf, and a data folder the image's user owns (the pod's volume).
python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["data"]["relay.conf"], end="")' \
  "$FR_REPO/deploy/k8s/base/configmap.yaml" >"$WORK/relay.conf" || die "relay.conf from deploy/k8s/base/configmap.yaml"
mkdir -p "$WORK/data" && chown 10001:10001 "$WORK/data"
# Loopback only: with host networking the container's listeners are the machine's. The drain is shortened
# with CONFIG_FORCE_ (it wins over the config file). Like the pod: read-only root with /tmp writable (exec:
# Netty loads its epoll library from there), no capabilities, no privilege escalation, 1 GiB, 2 CPUs.
docker run -d --name "$NAME" --network host --memory 1g --cpus 2 \
  --read-only --tmpfs /tmp:rw,exec,size=64m --cap-drop ALL --security-opt no-new-privileges \
  -v "$WORK/relay.conf:/etc/fluxrelay/relay.conf:ro" -v "$WORK/data:/var/lib/fluxrelay" \
  -e RELAY_RTMP_HOST=127.0.0.1 -e RELAY_HTTP_HOST=127.0.0.1 \
  -e RELAY_RTMP_PORT="$RTMP" -e RELAY_HTTP_PORT="$HTTP" -e RELAY_DEMO_STREAM_NAME="$KEY" \
  -e RELAY_HLS_DIRECTORY=/var/lib/fluxrelay/hls \
  -e CONFIG_FORCE_relay_lifecycle_drain__timeout=${DRAIN}s "$IMAGE" --config /etc/fluxrelay/relay.conf >/dev/null \
  || die "docker run"
run_at=$SECONDS

healthy() { [ "$(docker inspect -f '{{.State.Health.Status}}' "$NAME")" = healthy ]; }
ready() { curl -fsS "$BASE_URL/health/ready"; }
fr_wait 90 ready && fr_log "ready after $((SECONDS - run_at)) s"
fr_wait 90 healthy || { docker logs "$NAME" | tail -20; die "not healthy (HEALTHCHECK on /health/ready)"; }
fr_pass "container healthy (HEALTHCHECK on /health/ready) after $((SECONDS - run_at)) s"
fr_check "epoll transport (native library loaded from the read-only image)" \
  sh -c "docker logs '$NAME' 2>&1 | grep -q 'epoll transport'"
fr_check "runs as a non-root user" test "$(docker exec "$NAME" id -u)" != 0
heap=$(curl -fsS "$BASE_URL/metrics" | awk 'index($0, "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Old Gen\"} ") == 1 {printf "%d", $NF/1048576}')
fr_check "G1 heap sized from the container limit (${heap:-?} MiB of 1024)" test "${heap:-0}" -gt 300 -a "${heap:-0}" -lt 420

ffmpeg -nostdin -v error -re -stream_loop -1 -i "$SAMPLE" -c copy -f flv "rtmp://127.0.0.1:$RTMP/live/$KEY" \
  >"$WORK/publish.log" 2>&1 &
FFMPEG_PID=$!
publishing() { curl -fsS "$BASE_URL/metrics" | grep '^fluxrelay_room_publishing{room="demo"} 1' >/dev/null; }
fr_check "ffmpeg publishes into the container (room demo publishing)" fr_wait 30 publishing

played() { # what, url
  local counts
  counts=$(fr_play "$2")
  fr_check "$1 playback: ${counts% *} video and ${counts#* } audio frames" \
    test "${counts% *}" -ge 90 -a "${counts#* }" -gt 0
}
played RTMP "rtmp://127.0.0.1:$RTMP/live/demo"
played HTTP-FLV "$BASE_URL/live/demo.flv"

hls_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/hls/demo/index.m3u8")" = 200 ]; }
fr_check "HLS playlist answers" fr_wait 20 hls_ready
played HLS "$BASE_URL/hls/demo/index.m3u8"
fr_check "HLS segments written to the data volume" sh -c "ls '$WORK'/data/hls/demo/ | grep -q '\.ts$'"

# Events whose counters exist only once they happen (the dashboard graphs them): a wrong stream key and a
# client speaking HTTP to the RTMP port.
timeout 20 ffmpeg -nostdin -v quiet -re -i "$SAMPLE" -t 1 -c copy -f flv "rtmp://127.0.0.1:$RTMP/live/wrong-$KEY" 2>/dev/null
(printf 'GET / HTTP/1.1\r\n\r\n%01600d' 0 >"/dev/tcp/127.0.0.1/$RTMP") 2>/dev/null
sleep 1

# promtool exits 1 on a format error and 3 on lint findings: both fail.
lint_clean() { promtool check metrics <"$WORK/metrics.txt" >&2; }
curl -fsS "$BASE_URL/metrics" >"$WORK/metrics.txt"
fr_check "promtool check metrics: $(grep -c '^# TYPE' "$WORK/metrics.txt") families, no format error or lint finding" lint_clean
fr_check "ingest metric counts the live room" \
  grep -Eq '^fluxrelay_ingest_bytes_total\{[^}]*room="demo"[^}]*\} [1-9]' "$WORK/metrics.txt"
fr_check "wrong stream key counted as a publish refusal" \
  grep -Eq '^fluxrelay_publish_refusals_total\{reason="unknown_stream_name"\} [1-9]' "$WORK/metrics.txt"
fr_check "HTTP on the RTMP port counted as a handshake failure" \
  grep -Eq '^fluxrelay_rtmp_handshake_failures_total\{[^}]*\} [1-9]' "$WORK/metrics.txt"
python3 "$FR_REPO/deploy/checks/check_deploy.py" --metrics "$WORK/metrics.txt" >"$WORK/check.txt" 2>&1
checked=$?
grep -Ev '^(ok|check-deploy:)' "$WORK/check.txt" >&2
fr_check "dashboard and alert rules use only exported metrics; compose and k8s agree ($(tail -1 "$WORK/check.txt"))" \
  test "$checked" = 0
fr_check "admin API lists the room (loopback, no token)" \
  sh -c "curl -fsS '$BASE_URL/api/rooms' | grep '\"id\":\"demo\"' >/dev/null"

# Stop as an orchestrator does: SIGTERM while the encoder is still live.
docker kill -s TERM "$NAME" >/dev/null
stopped_at=$SECONDS
not_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/health/ready")" = 503 ]; }
fr_check "readiness answers 503 while draining" fr_wait 5 not_ready
status=$(timeout $((DRAIN + 30)) docker wait "$NAME")
took=$((SECONDS - stopped_at))
fr_check "SIGTERM: exit status ${status:-none} after ${took} s (drain ${DRAIN} s, encoder still live)" test "${status:-1}" = 0
fr_check "drained and stopped cleanly (log)" sh -c "docker logs '$NAME' 2>&1 | grep -q 'draining' && docker logs '$NAME' 2>&1 | grep -q 'fluxrelay stopped'"
fr_check "no buffer leak reported" sh -c "! docker logs '$NAME' 2>&1 | grep -q 'LEAK:'"

fr_summary smoke-test
