#!/usr/bin/env bash
# Warm inputs benchmark: what a room's extra live inputs cost. fluxrelay pinned to CPU 0 and the load generator to
# CPU 1, one room with three inputs (loadtest/peers/fluxrelay-inputs.conf), RTMP viewers of the room's program in a
# ladder, run twice on a fresh server: with the main input alone publishing, then with all three publishing the same
# 2 Mbit/s 720p30 stream. Warm inputs are kept (GOP cache, HLS of each input) but never sent to program viewers, so
# the difference between the runs should be the ingest of two streams, the same at every step of the ladder.
#
#   loadtest/inputs-bench.sh                                  # LADDER=100,500,1000, 10 s steps
#   LADDER=250,1000 STEP=20s OUT=/tmp/inputs loadtest/inputs-bench.sh
#
# Environment: LADDER, STEP, SETTLE, RAMP, WARMUP_VIEWERS, WARMUP, OUT, SERVER_CPU, LOAD_CPU (as in bench.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/loadtest/target/bench/inputs-$(date +%Y%m%d-%H%M%S)}
LADDER=${LADDER:-100,500,1000}
STEP=${STEP:-10s}
SETTLE=${SETTLE:-5s}
RAMP=${RAMP:-1000}
WARMUP_VIEWERS=${WARMUP_VIEWERS:-500}
WARMUP=${WARMUP:-20s}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
SERVER_JVM="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxDirectMemorySize=1g -XX:+AlwaysPreTouch"
LOAD_JVM="-Xms2g -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"
MEDIA=$ROOT/loadtest/target/bench/stream-720p30-2mbps.flv
SERVER_JAR=$ROOT/server/target/relay-server.jar
LOAD_JAR=$ROOT/loadtest/target/relay-loadtest.jar
KEYS=(bench-key-5f1c2e9a7d3b bench-backup-8e2d4c6a1f0b bench-cam2-3b7f9d1e5c2a)

log() { echo "[inputs-bench] $*"; }

if [ ! -f "$SERVER_JAR" ] || [ ! -f "$LOAD_JAR" ]; then
  log "building the jars"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
if [ ! -f "$MEDIA" ]; then
  log "encoding the 2 Mbit/s 720p30 sample (as bench.sh does)"
  mkdir -p "$(dirname "$MEDIA")"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
    -f lavfi -i "sine=frequency=1000:sample_rate=48000" -t 24 -vf "noise=alls=12:allf=t" \
    -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -b:v 1850k -maxrate 1850k -bufsize 3700k \
    -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -b:a 128k -ar 48000 -ac 2 -f flv "$MEDIA"
fi
mkdir -p "$OUT"

# run LABEL INPUTS: a fresh server, INPUTS publishers (main first), the ladder of program viewers.
run() {
  local label=$1 inputs=$2 publish=()
  if (exec 3<>/dev/tcp/127.0.0.1/1936) 2>/dev/null; then
    echo "port 1936 is already in use: stop whatever listens there first" >&2
    exit 1
  fi
  taskset -c "$SERVER_CPU" java $SERVER_JVM -jar "$SERVER_JAR" --config "$ROOT/loadtest/peers/fluxrelay-inputs.conf" \
    > "$OUT/$label.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/1936) 2>/dev/null && break; sleep 0.1; done
  for key in "${KEYS[@]:0:$inputs}"; do publish+=(--publish "rtmp://127.0.0.1:1936/live/$key"); done
  log "$label: $inputs input(s) publishing, RTMP viewers of the program: $LADDER"
  timeout 15m taskset -c "$LOAD_CPU" java $LOAD_JVM -jar "$LOAD_JAR" --file "$MEDIA" --server-pid "$pid" \
    --server-core "$SERVER_CPU" --label "$label" --settle "$SETTLE" --duration "$STEP" --ramp "$RAMP" --warmup "$WARMUP" \
    --warmup-viewers "$WARMUP_VIEWERS" "${publish[@]}" --rtmp rtmp://127.0.0.1:1936/live/bench --ladder "$LADDER" \
    --csv "$OUT/$label.csv" --json "$OUT/$label.json" | tee "$OUT/$label.txt" || true
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "server: CPU $SERVER_CPU, $SERVER_JVM; load generator: CPU $LOAD_CPU"
  echo "ladder: $LADDER, step $STEP, settle $SETTLE, warm-up $WARMUP_VIEWERS viewers for $WARMUP"
} > "$OUT/machine.txt"
run one-input 1
run three-inputs 3
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

# Server CPU (cores) per step, side by side: the difference is what the two warm inputs cost. core_busy is the whole
# core's use (other processes too): far above server_cpu, the step was disturbed.
log "server CPU by step (cores)"
columns() { # CSV FILE -> viewers,server_cpu,server_core_busy,healthy_pct by header name
  awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i; next}
    {print $c["viewers"]","$c["server_cpu"]","$c["server_core_busy"]","$c["healthy_pct"]}' "$1" | sort -t, -k1,1
}
join -t, <(columns "$OUT/one-input.csv") <(columns "$OUT/three-inputs.csv") | sort -t, -k1,1n \
  | awk -F, 'BEGIN{print "viewers,one_input_cpu,one_input_core_busy,one_input_healthy_pct,three_inputs_cpu,three_inputs_core_busy,three_inputs_healthy_pct,difference"}
      {printf "%s,%s,%s,%s,%s,%s,%s,%.3f\n", $1, $2, $3, $4, $5, $6, $7, $5-$2}' | tee "$OUT/comparison.csv"
