#!/usr/bin/env bash
# Recording cost: ROOMS rooms (20) each published at 2 Mbit/s (the 720p30 sample of bench.sh) on one fluxrelay,
# once with recording off and once with every room recording, the server pinned to SERVER_CPU and the load generator
# (publishers and RTMP viewers) to LOAD_CPU. Each run has two steps: publishers only, then VIEWERS RTMP viewers
# spread over the rooms. What recording costs is the CPU difference at each step between the runs; what it costs per
# viewer is whether the step from 0 to VIEWERS viewers costs more CPU with recording on. The write rate comes from
# fluxrelay_recording_written_bytes_total over the run.
#
#   loadtest/recording-bench.sh                      # about 4 minutes
#   ROOMS=10 VIEWERS=400 STEP=30s loadtest/recording-bench.sh
#
# Environment: ROOMS, VIEWERS, STEP (window per step), SETTLE, WARMUP, OUT, SERVER_CPU / LOAD_CPU. Recordings are
# written under $OUT/recordings and deleted at the end (only their sizes are kept).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/loadtest/target/recording-bench/$(date +%Y%m%d-%H%M%S)}
ROOMS=${ROOMS:-20}
VIEWERS=${VIEWERS:-200}
STEP=${STEP:-20s}
SETTLE=${SETTLE:-5s}
WARMUP=${WARMUP:-15s}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
RTMP_PORT=1938
HTTP_PORT=8083

SERVER_JVM="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxDirectMemorySize=1g -XX:+AlwaysPreTouch"
LOAD_JVM="-Xms1g -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"
MEDIA=$ROOT/loadtest/target/bench/stream-720p30-2mbps.flv
SERVER_JAR=$ROOT/server/target/relay-server.jar
LOAD_JAR=$ROOT/loadtest/target/relay-loadtest.jar
STARTED=$(date +%s)

log() { echo "[recording-bench $(( $(date +%s) - STARTED ))s] $*"; }
# shellcheck source=bench-common.sh
. "$ROOT/loadtest/bench-common.sh"

# config ENABLED: the server's configuration, ROOMS rooms room-1..room-N with keys key-room-1..
config() {
  local file=$OUT/fluxrelay-recording-$1.conf
  {
    echo "relay {"
    # All publishers connect at once from one address: more publish attempts at a time than the shipped cap.
    echo "  rtmp { host = \"127.0.0.1\", port = $RTMP_PORT, publish-failures-per-window = 1000 }"
    echo "  http { host = \"127.0.0.1\", port = $HTTP_PORT }"
    echo "  limits { max-connections-per-ip = 0 }"
    echo "  hls.enabled = false"
    echo "  demo-room.enabled = false"
    echo "  recording { enabled = $1, directory = \"$OUT/recordings\", min-free = 1GiB }"
    echo "  rooms = ["
    for i in $(seq 1 "$ROOMS"); do
      echo "    { id = \"room-$i\", stream-name = \"key-room-$i-5f1c2e9a7d3b\" },"
    done
    echo "  ]"
    echo "}"
  } > "$file"
  echo "$file"
}

stop_pid() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

written() {
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk '/^fluxrelay_recording_written_bytes_total / {print $2}' | head -1
}

# run on|off: one server, publishers only then VIEWERS RTMP viewers.
run() {
  local label=recording-$1 enabled=false
  [ "$1" = on ] && enabled=true
  log "$label: $ROOMS rooms at 2 Mbit/s, ladder 0,$VIEWERS RTMP viewers"
  taskset -c "$SERVER_CPU" java $SERVER_JVM -jar "$SERVER_JAR" --config "$(config "$enabled")" > "$OUT/$label.log" 2>&1 &
  SERVER_PID=$!
  wait_port "$RTMP_PORT"
  local args=()
  for i in $(seq 1 "$ROOMS"); do
    args+=(--publish "rtmp://127.0.0.1:$RTMP_PORT/live/key-room-$i-5f1c2e9a7d3b" --rtmp "rtmp://127.0.0.1:$RTMP_PORT/live/room-$i")
  done
  local start_s; start_s=$(date +%s.%N)
  local before; before=$(written); before=${before:-0}
  timeout 10m taskset -c "$LOAD_CPU" java $LOAD_JVM -jar "$LOAD_JAR" --file "$MEDIA" --server-pid "$SERVER_PID" \
    --server-core "$SERVER_CPU" --label "$label" --settle "$SETTLE" --duration "$STEP" --warmup "$WARMUP" \
    --warmup-viewers "$VIEWERS" --ladder "0,$VIEWERS" "${args[@]}" --csv "$OUT/$label.csv" --json "$OUT/$label.json" \
    | tee "$OUT/$label.txt"
  local after; after=$(written); after=${after:-0}
  local end_s; end_s=$(date +%s.%N)
  awk -v l="$label" -v a="$after" -v b="$before" -v s="$start_s" -v e="$end_s" \
    'BEGIN { printf "%s written_bytes=%.0f seconds=%.1f written_mbit_per_s=%.1f\n", l, a - b, e - s, (a - b) * 8 / (e - s) / 1e6 }' \
    >> "$OUT/written.txt"
  # The report has no row for a step without viewers: the server's CPU per step is the mean of its progress lines.
  for step in 1 2; do
    grep "$label step $step/2 measure" "$OUT/$label.txt" | sed -E 's/.*server CPU ([0-9.]+).*/\1/' \
      | awk -v l="$label" -v s="$step" '{ t += $1; n++ } END { if (n) printf "%s step %d: server CPU mean %.3f (%d samples)\n", l, s, t / n, n }' \
      >> "$OUT/summary.txt"
  done
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  if [ -d "$OUT/recordings" ]; then
    du -sb "$OUT/recordings" | awk -v l="$label" '{print l " recordings_on_disk_bytes=" $1}' >> "$OUT/written.txt"
    ls "$OUT/recordings" | grep -c '\.mp4$' | awk -v l="$label" '{print l " recordings=" $1}' >> "$OUT/written.txt"
    rm -rf "$OUT/recordings"
  fi
}

machine() {
  {
    echo "date: $(date -Is)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
    echo "memory: $(free -h | awk '/Mem:/ {print $2}')"
    echo "kernel: $(uname -r)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "recordings on: $(df -h "$OUT" | awk 'NR==2 {print $1 " (" $2 ")"}')"
    echo "server JVM flags: $SERVER_JVM"
    echo "rooms: $ROOMS at 2 Mbit/s; viewers: 0 then $VIEWERS RTMP; window $STEP, settle $SETTLE, warm-up $WARMUP"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$OUT/machine.txt"
}

SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && stop_pid "$SERVER_PID"' EXIT
mkdir -p "$OUT"
build
media
machine
run off
run on
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
log "done: $OUT"
cat "$OUT/summary.txt" "$OUT/written.txt"
