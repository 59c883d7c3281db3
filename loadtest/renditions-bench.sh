#!/usr/bin/env bash
# Renditions benchmark: what a room's quality renditions cost. fluxrelay pinned to CPU 0 and the load generator (and
# the publishing ffmpeg) to CPU 1, one room with a program and two renditions bound to stream names, HLS on
# (loadtest/peers/fluxrelay-renditions.conf), a ladder of RTMP viewers, three runs each on a fresh server:
#   program-only     the program alone publishing, viewers of the program;
#   renditions       program + 480p + 240p publishing, viewers of the program;
#   split            program + 480p + 240p publishing, viewers spread evenly over the program and ?rendition=480p/240p.
# A rendition is ingested and packaged (TS and LL-HLS fMP4) like the program, whether anyone watches it or not, and a
# viewer of a rendition is served as a viewer of the program is: the renditions' cost should be the difference
# between the first two runs at 0 viewers, the same at every step, and the split run should follow the second.
#
# The three qualities are encoded once, together (one ffmpeg, aligned keyframes), to FLV files; during the runs one
# ffmpeg publishes them with -c copy (no encoding), so the load generator's core carries no encoder.
#
#   loadtest/renditions-bench.sh                                # LADDER=0,250,1000, 20 s steps
#   LADDER=0,500 STEP=10s OUT=/tmp/renditions loadtest/renditions-bench.sh
#   RUNS=split LADDER=250,1000 STEP=10s loadtest/renditions-bench.sh   # only the split run
#
# Environment: LADDER, STEP, SETTLE, RAMP, WARMUP_VIEWERS, WARMUP, OUT, SERVER_CPU, LOAD_CPU (as in bench.sh); RUNS, the
# runs to make, comma-separated (default program-only,renditions,split; the side-by-side table needs all three).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/loadtest/target/bench/renditions-$(date +%Y%m%d-%H%M%S)}
LADDER=${LADDER:-0,250,1000}
STEP=${STEP:-20s}
SETTLE=${SETTLE:-5s}
RAMP=${RAMP:-1000}
WARMUP_VIEWERS=${WARMUP_VIEWERS:-500}
WARMUP=${WARMUP:-20s}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
RUNS=${RUNS:-program-only,renditions,split}
SERVER_JVM="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxDirectMemorySize=1g -XX:+AlwaysPreTouch"
LOAD_JVM="-Xms2g -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"
MEDIA_DIR=$ROOT/loadtest/target/bench
MEDIA=$MEDIA_DIR/ladder-720p30-2mbps.flv
SERVER_JAR=$ROOT/server/target/relay-server.jar
LOAD_JAR=$ROOT/loadtest/target/relay-loadtest.jar
CONFIG=$ROOT/loadtest/peers/fluxrelay-renditions.conf
# Stream names of loadtest/peers/fluxrelay-renditions.conf, program first, with the file each one publishes.
KEYS=(bench-key-5f1c2e9a7d3b bench-480p-7c3e9a1d5f2b bench-240p-2a8d4f6c0e1b)
FILES=("$MEDIA" "$MEDIA_DIR/ladder-480p30-1mbps.flv" "$MEDIA_DIR/ladder-240p30-400kbps.flv")
RENDITIONS=(480p 240p)
BASE=rtmp://127.0.0.1:1946/live

log() { echo "[renditions-bench] $*"; }
# shellcheck source=bench-common.sh
source "$ROOT/loadtest/bench-common.sh"

if [ ! -f "$SERVER_JAR" ] || [ ! -f "$LOAD_JAR" ]; then
  log "building the jars"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
# The three qualities, 24 s of testsrc2 with noise, encoded in one pass so their keyframes fall on the same frames
# (2 s GOP, no scene cuts): 720p at 1850k + AAC 128k (about 2 Mbit/s), 480p at 900k + AAC 96k (about 1 Mbit/s), 240p at
# 340k + AAC 64k (about 0.4 Mbit/s).
if [ ! -f "${FILES[0]}" ] || [ ! -f "${FILES[1]}" ] || [ ! -f "${FILES[2]}" ]; then
  log "encoding the 720p / 480p / 240p samples (24 s, testsrc2 with noise, x264 veryfast, 2 s GOP, one pass)"
  mkdir -p "$MEDIA_DIR"
  gop=(-g 60 -keyint_min 60 -sc_threshold 0 -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p)
  ffmpeg -hide_banner -loglevel error -y -t 24 -f lavfi -i "testsrc2=size=1280x720:rate=30" \
    -t 24 -f lavfi -i "sine=frequency=1000:sample_rate=48000" \
    -filter_complex "[0:v]noise=alls=12:allf=t,split=3[a][b][c];[b]scale=854:480[m];[c]scale=426:240[l]" \
    -map "[a]" -map 1:a "${gop[@]}" -b:v 1850k -maxrate 1850k -bufsize 3700k -c:a aac -b:a 128k -ar 48000 -ac 2 -f flv "${FILES[0]}" \
    -map "[m]" -map 1:a "${gop[@]}" -b:v 900k -maxrate 900k -bufsize 1800k -c:a aac -b:a 96k -ar 48000 -ac 2 -f flv "${FILES[1]}" \
    -map "[l]" -map 1:a "${gop[@]}" -b:v 340k -maxrate 340k -bufsize 680k -c:a aac -b:a 64k -ar 48000 -ac 2 -f flv "${FILES[2]}"
fi
mkdir -p "$OUT"

# The server and publisher of the run under way, stopped on the way out whatever happens.
SERVER_PID=
PUBLISHER_PID=
stop_run() {
  if [ -n "$PUBLISHER_PID" ]; then kill "$PUBLISHER_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PUBLISHER_PID" ]; then wait "$PUBLISHER_PID" 2>/dev/null || true; fi
  SERVER_PID=
  PUBLISHER_PID=
  return 0
}
trap stop_run EXIT

# Waits (at most 30 s) until the room's HLS master playlist lists WANT renditions besides the program; keeps it.
wait_packaged() {
  local label=$1 want=$2 found=0
  for _ in $(seq 1 300); do
    if curl -sf http://127.0.0.1:8091/hls/bench/index.m3u8 -o "$OUT/$label-index.m3u8" 2>/dev/null; then
      found=$(grep -c '^#EXT-X-STREAM-INF' "$OUT/$label-index.m3u8" || true)
      [ "$found" -ge $((want + 1)) ] && return 0
    fi
    sleep 0.1
  done
  echo "$label: the HLS master playlist lists $found variant(s), $((want + 1)) expected" >&2
  return 1
}

# run LABEL STREAMS VIEW...: a fresh server, one ffmpeg publishing the first STREAMS of KEYS (-c copy, looped), the
# ladder of RTMP viewers spread over the VIEW URLs.
run() {
  local label=$1 streams=$2 inputs=() outputs=() view=() i
  shift 2
  for v in "$@"; do view+=(--rtmp "$v"); done
  port_free 1946
  echo "$label: load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
  taskset -c "$SERVER_CPU" java $SERVER_JVM -jar "$SERVER_JAR" --config "$CONFIG" > "$OUT/$label.log" 2>&1 &
  SERVER_PID=$!
  wait_port 1946
  for ((i = 0; i < streams; i++)); do
    inputs+=(-re -stream_loop -1 -i "${FILES[$i]}")
    outputs+=(-map "$i" -c copy -f flv "$BASE/${KEYS[$i]}")
  done
  taskset -c "$LOAD_CPU" ffmpeg -hide_banner -loglevel warning -nostdin "${inputs[@]}" "${outputs[@]}" \
    > "$OUT/$label-ffmpeg.log" 2>&1 &
  PUBLISHER_PID=$!
  wait_packaged "$label" $((streams - 1))
  log "$label: $streams stream(s) publishing, RTMP viewers ($*): $LADDER"
  timeout 10m taskset -c "$LOAD_CPU" java $LOAD_JVM -jar "$LOAD_JAR" --server-pid "$SERVER_PID" --server-core "$SERVER_CPU" \
    --label "$label" --settle "$SETTLE" --duration "$STEP" --ramp "$RAMP" --warmup "$WARMUP" \
    --warmup-viewers "$WARMUP_VIEWERS" "${view[@]}" --ladder "$LADDER" \
    --csv "$OUT/$label.csv" --json "$OUT/$label.json" | tee "$OUT/$label.txt" || true
  curl -sf http://127.0.0.1:8091/hls/bench/index.m3u8 -o "$OUT/$label-index.m3u8" || true
  echo "$label: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
  stop_run
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "ffmpeg: $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
  echo "server: CPU $SERVER_CPU, $SERVER_JVM; load generator and publishing ffmpeg: CPU $LOAD_CPU"
  echo "ladder: $LADDER, step $STEP, settle $SETTLE, warm-up $WARMUP_VIEWERS viewers for $WARMUP"
} > "$OUT/machine.txt"
wanted() { [[ ",$RUNS," == *",$1,"* ]]; }
if wanted program-only; then run program-only 1 "$BASE/bench"; fi
if wanted renditions; then run renditions 3 "$BASE/bench"; fi
if wanted split; then
  run split 3 "$BASE/bench" "$BASE/bench?rendition=${RENDITIONS[0]}" "$BASE/bench?rendition=${RENDITIONS[1]}"
fi
if [ ! -f "$OUT/program-only.csv" ] || [ ! -f "$OUT/renditions.csv" ] || [ ! -f "$OUT/split.csv" ]; then
  log "not every run was made: no side-by-side table (each run's CSV is in $OUT)"
  exit 0
fi

# Server CPU (cores), RSS (MiB) and write system calls per second by step, side by side. renditions_cost is the
# renditions run less the program-only run (at 0 viewers: the ingest and packaging of the two renditions);
# split_difference is the split run less the renditions run (viewers of renditions against viewers of the program).
# core_busy is the whole core's use (other processes too): far above the server's CPU, the step was disturbed.
log "server CPU (cores), RSS (MiB) and writes/s by step"
columns() { # CSV FILE -> viewers,server_cpu,server_core_busy,healthy_pct,server_rss_mib,server_writes_per_s by header name
  awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i; next}
    {print $c["viewers"]","$c["server_cpu"]","$c["server_core_busy"]","$c["healthy_pct"]","$c["server_rss_mib"]","$c["server_writes_per_s"]}' "$1" \
    | sort -t, -k1,1
}
join -t, <(columns "$OUT/program-only.csv") <(columns "$OUT/renditions.csv") | join -t, - <(columns "$OUT/split.csv") \
  | sort -t, -k1,1n | awk -F, 'BEGIN{
      for (i = 0; i < 3; i++) {
        run = i == 0 ? "program_only" : i == 1 ? "renditions" : "split"
        head = head sprintf(",%s_cpu,%s_core_busy,%s_healthy_pct,%s_rss_mib,%s_writes_per_s", run, run, run, run, run)
      }
      print "viewers" head ",renditions_cost_cpu,renditions_cost_rss_mib,split_difference_cpu"}
      {line = $1; for (i = 2; i <= 16; i++) line = line "," $i
       printf "%s,%.3f,%.1f,%.3f\n", line, $7-$2, $10-$5, $12-$7}' | tee "$OUT/comparison.csv"
