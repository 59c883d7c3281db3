#!/usr/bin/env bash
# Fan-out benchmark: fluxrelay, nginx-rtmp (Debian's libnginx-mod-rtmp, one worker) and SRS 6 (one process, built
# from its public source by loadtest/peers/build-srs.sh; skipped, saying so, when not built) in the same run, each
# pinned to CPU 0 with the load generator pinned to CPU 1, one 2 Mbit/s 720p30 H.264/AAC stream, RTMP viewers in a
# ladder until saturation, then an HLS ladder (fluxrelay and nginx only). Writes CSV/JSON per server, comparison
# tables and the logs to $OUT.
#
#   loadtest/bench.sh                     # full run (about 15-20 minutes)
#   LADDER=100,500,1000 STEP=10s loadtest/bench.sh   # shorter
#   ONLY=fluxrelay HLS=0 loadtest/bench.sh           # one server, no HLS part
#   ONLY=fluxrelay,srs HLS=0 loadtest/bench.sh       # two of the three
#   FLUXRELAY_VARIANTS="fluxrelay fluxrelay-merge350:relay.stream.write-merge=350ms" loadtest/bench.sh
#                                         # fluxrelay twice, the second with a setting changed
#   PROFILE=1 loadtest/bench.sh           # also records a JFR profile of fluxrelay (profile settings)
#   ONLY=fluxrelay RTMP=0 HLS=0 LLHLS=1 LLHLS_LADDER=500,2000,5000 STEP=15s loadtest/bench.sh
#                                         # the LL-HLS ladder alone
#
# Environment: LADDER (RTMP viewer steps), STEP (measurement window per step), SETTLE (wait after each ramp),
# RAMP (viewers started per second), STOP_BELOW (healthy share that ends the ladder), RTMP (0 skips the RTMP ladder),
# HLS_LADDER, HLS (0 skips),
# LLHLS (1 adds the LL-HLS ladder: fluxrelay with blocking reloads, and nginx serving the files fluxrelay writes to
# relay.hls.directory to polling viewers; default 0), LLHLS_LADDER, LLHLS_WARMUP_VIEWERS,
# WARMUP_VIEWERS / HLS_WARMUP_VIEWERS and WARMUP (viewers played and closed before the first step, and for how long,
# so no JIT is compiling in a measured step; the same for every server), WARMUP_JOINS (how many times the warm-up
# viewers join and leave within WARMUP, so the code a join runs is compiled as well, not during the first measured
# join burst; default 10, 1 as before 2026-12-07), ONLY (comma-separated: fluxrelay, nginx, srs), OUT (output
# folder), SERVER_CPU / LOAD_CPU (cores to pin to), PROFILE, SRS_BINARY (default
# loadtest/peers/srs/build/trunk/objs/srs), FLUXRELAY_VARIANTS (space-separated RTMP runs of fluxrelay, each LABEL or
# LABEL:key=value[,key=value...] with relay.* keys passed as system properties; files are named after the label;
# default "fluxrelay"), SERVER_JVM (fluxrelay's JVM flags; the default pre-touches a 1 GiB heap, so its RSS starts at
# 1 GiB: give a smaller heap to measure memory), LOAD_JVM (the load generator's JVM flags, e.g. to log its GC).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/loadtest/target/bench/$(date +%Y%m%d-%H%M%S)}
LADDER=${LADDER:-100,500,1000,2000,4000,8000}
STEP=${STEP:-20s}
SETTLE=${SETTLE:-5s}
RAMP=${RAMP:-1000}
STOP_BELOW=${STOP_BELOW:-0.5}
RTMP=${RTMP:-1}
HLS=${HLS:-1}
HLS_LADDER=${HLS_LADDER:-50,200,500}
WARMUP_VIEWERS=${WARMUP_VIEWERS:-1000}
HLS_WARMUP_VIEWERS=${HLS_WARMUP_VIEWERS:-200}
LLHLS=${LLHLS:-0}
LLHLS_LADDER=${LLHLS_LADDER:-500,2000,5000}
LLHLS_WARMUP_VIEWERS=${LLHLS_WARMUP_VIEWERS:-500}
WARMUP=${WARMUP:-30s}
WARMUP_JOINS=${WARMUP_JOINS:-10}
ONLY=${ONLY:-}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PROFILE=${PROFILE:-0}
SRS_BINARY=${SRS_BINARY:-$ROOT/loadtest/peers/srs/build/trunk/objs/srs}
FLUXRELAY_VARIANTS=${FLUXRELAY_VARIANTS:-fluxrelay}

# JVM flags of the server under test (written into the report) and of the load generator.
SERVER_JVM=${SERVER_JVM:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxDirectMemorySize=1g -XX:+AlwaysPreTouch"}
LOAD_JVM=${LOAD_JVM:-"-Xms2g -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}

MEDIA=$ROOT/loadtest/target/bench/stream-720p30-2mbps.flv
SERVER_JAR=$ROOT/server/target/relay-server.jar
LOAD_JAR=$ROOT/loadtest/target/relay-loadtest.jar
NGINX_PREFIX=/tmp/fluxrelay-bench/nginx
NGINX_LLHLS_PREFIX=/tmp/fluxrelay-bench/nginx-llhls
LLHLS_FILES=/tmp/fluxrelay-bench/llhls
SRS_PREFIX=/tmp/fluxrelay-bench/srs
KEY=bench-key-5f1c2e9a7d3b
STARTED=$(date +%s)

log() { echo "[bench $(( $(date +%s) - STARTED ))s] $*"; }
# wants SERVER: whether ONLY (empty: all) names the server.
wants() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
# shellcheck source=bench-common.sh
. "$ROOT/loadtest/bench-common.sh"

need_packages() {
  local missing=()
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  if wants nginx; then
    command -v nginx >/dev/null || missing+=(nginx)
    [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing+=(libnginx-mod-rtmp)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian packages)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # nginx must not run as a service during its benchmark (left alone when nginx is not benchmarked).
  if wants nginx; then
    systemctl stop nginx 2>/dev/null || service nginx stop 2>/dev/null || true
  fi
}

stop_pid() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# loadgen LABEL SERVER_PID ARGS...: the load generator pinned to LOAD_CPU, bounded in time.
loadgen() {
  local label=$1 pid=$2; shift 2
  timeout 15m taskset -c "$LOAD_CPU" java $LOAD_JVM -jar "$LOAD_JAR" --file "$MEDIA" --server-pid "$pid" --server-core "$SERVER_CPU" --label "$label" \
    --settle "$SETTLE" --duration "$STEP" --ramp "$RAMP" --stop-below "$STOP_BELOW" --warmup "$WARMUP" \
    --warmup-joins "$WARMUP_JOINS" "$@"
}

# start_fluxrelay KIND [LABEL [KEY=VALUE,...]]: the settings become system properties (-Drelay.x=y).
start_fluxrelay() {
  local label=${2:-fluxrelay} jfr="" props=()
  local settings=${3:-}
  [ "$PROFILE" = 1 ] && jfr="-XX:StartFlightRecording=filename=$OUT/$label-$1.jfr,settings=profile"
  if [ -n "$settings" ]; then
    IFS=, read -r -a pairs <<< "$settings"
    for pair in "${pairs[@]}"; do props+=("-D$pair"); done
  fi
  port_free 1936
  taskset -c "$SERVER_CPU" java $SERVER_JVM $jfr "${props[@]}" -jar "$SERVER_JAR" --config "$ROOT/loadtest/peers/fluxrelay.conf" \
    > "$OUT/$label-$1.log" 2>&1 &
  SERVER_PID=$!
  wait_port 1936
}

start_nginx() {
  port_free 1937
  rm -rf "$NGINX_PREFIX" && mkdir -p "$NGINX_PREFIX/logs" "$NGINX_PREFIX/hls"
  taskset -c "$SERVER_CPU" nginx -p "$NGINX_PREFIX" -c "$ROOT/loadtest/peers/nginx-rtmp.conf" > "$OUT/nginx-$1.log" 2>&1 &
  SERVER_PID=$!
  wait_port 1937
}

# SRS runs from its prefix folder (its pid file lands there) with the open-file limit bench.sh raised.
start_srs() {
  port_free 1938
  rm -rf "$SRS_PREFIX" && mkdir -p "$SRS_PREFIX"
  (cd "$SRS_PREFIX" && exec taskset -c "$SERVER_CPU" "$SRS_BINARY" -c "$ROOT/loadtest/peers/srs.conf") > "$OUT/srs-$1.log" 2>&1 &
  SERVER_PID=$!
  wait_port 1938
}

srs_built() {
  if [ -x "$SRS_BINARY" ]; then
    return 0
  fi
  log "SRS is skipped: no binary at $SRS_BINARY (build it with loadtest/peers/build-srs.sh [SRS source dir or git URL])"
  return 1
}

rtmp_ladder() {
  [ "$RTMP" = 1 ] || return 0
  if wants fluxrelay; then
    local variant label settings
    for variant in $FLUXRELAY_VARIANTS; do
      label=${variant%%:*}
      settings=""
      [[ "$variant" == *:* ]] && settings=${variant#*:}
      log "$label: RTMP ladder $LADDER${settings:+ with $settings}"
      start_fluxrelay rtmp "$label" "$settings"
      loadgen "$label" "$SERVER_PID" --publish "rtmp://127.0.0.1:1936/live/$KEY" --rtmp rtmp://127.0.0.1:1936/live/bench \
        --ladder "$LADDER" --warmup-viewers "$WARMUP_VIEWERS" --csv "$OUT/$label-rtmp.csv" --json "$OUT/$label-rtmp.json" | tee "$OUT/$label-rtmp.txt"
      stop_pid "$SERVER_PID"
    done
  fi
  if wants srs && srs_built; then
    log "SRS: RTMP ladder $LADDER"
    start_srs rtmp
    loadgen srs "$SERVER_PID" --publish rtmp://127.0.0.1:1938/live/bench --rtmp rtmp://127.0.0.1:1938/live/bench \
      --ladder "$LADDER" --warmup-viewers "$WARMUP_VIEWERS" --csv "$OUT/srs-rtmp.csv" --json "$OUT/srs-rtmp.json" | tee "$OUT/srs-rtmp.txt"
    stop_pid "$SERVER_PID"
  fi
  if wants nginx; then
    log "nginx-rtmp: RTMP ladder $LADDER"
    start_nginx rtmp
    loadgen nginx-rtmp "$SERVER_PID" --publish rtmp://127.0.0.1:1937/live/bench --rtmp rtmp://127.0.0.1:1937/live/bench \
      --ladder "$LADDER" --warmup-viewers "$WARMUP_VIEWERS" --csv "$OUT/nginx-rtmp.csv" --json "$OUT/nginx-rtmp.json" | tee "$OUT/nginx-rtmp.txt"
    stop_pid "$SERVER_PID"
  fi
}

hls_ladder() {
  [ "$HLS" = 1 ] || return 0
  local hls_settle=10s
  wants srs && log "SRS has no HLS ladder here: it is an RTMP peer only"
  if wants fluxrelay; then
    # Not "unzip -l | grep -q": grep exits at the first match, unzip dies of SIGPIPE and pipefail fails the test.
    if unzip -qq -l "$SERVER_JAR" 'fluxrelay/hls/*' >/dev/null 2>&1; then
      log "fluxrelay: HLS ladder $HLS_LADDER"
      start_fluxrelay hls
      SETTLE=$hls_settle loadgen fluxrelay "$SERVER_PID" --publish "rtmp://127.0.0.1:1936/live/$KEY" \
        --hls http://127.0.0.1:8081/hls/bench/index.m3u8 --ladder-kind hls --ladder "$HLS_LADDER" \
        --warmup-viewers "$HLS_WARMUP_VIEWERS" --csv "$OUT/fluxrelay-hls.csv" --json "$OUT/fluxrelay-hls.json" | tee "$OUT/fluxrelay-hls.txt"
      stop_pid "$SERVER_PID"
    else
      log "fluxrelay has no HLS yet: its HLS ladder is skipped"
    fi
  fi
  if wants nginx; then
    log "nginx-rtmp: HLS ladder $HLS_LADDER"
    start_nginx hls
    SETTLE=$hls_settle loadgen nginx-rtmp "$SERVER_PID" --publish rtmp://127.0.0.1:1937/hls/bench \
      --hls http://127.0.0.1:8082/hls/bench.m3u8 --ladder-kind hls --ladder "$HLS_LADDER" \
      --warmup-viewers "$HLS_WARMUP_VIEWERS" --csv "$OUT/nginx-hls.csv" --json "$OUT/nginx-hls.json" | tee "$OUT/nginx-hls.txt"
    stop_pid "$SERVER_PID"
  fi
}

# The LL-HLS ladder: fluxrelay's viewers hold blocking reloads (_HLS_msn/_HLS_part) for each next part. Then nginx
# serves the same files, written by fluxrelay to relay.hls.directory (ll.m3u8, init segments, parts), and its viewers
# poll ll.m3u8 every part target: a static server cannot hold a reload. Both processes are pinned to the server core
# in that run; the CPU figures are nginx's alone (fluxrelay there only packages and writes, with no viewer).
llhls_ladder() {
  [ "$LLHLS" = 1 ] || return 0
  local settle=10s files_pid
  if wants fluxrelay; then
    log "fluxrelay: LL-HLS ladder $LLHLS_LADDER (blocking playlist reloads)"
    start_fluxrelay llhls
    SETTLE=$settle loadgen fluxrelay "$SERVER_PID" --publish "rtmp://127.0.0.1:1936/live/$KEY" \
      --llhls http://127.0.0.1:8081/hls/bench/ll.m3u8 --ladder-kind llhls --ladder "$LLHLS_LADDER" \
      --warmup-viewers "$LLHLS_WARMUP_VIEWERS" --csv "$OUT/fluxrelay-llhls.csv" --json "$OUT/fluxrelay-llhls.json" | tee "$OUT/fluxrelay-llhls.txt"
    stop_pid "$SERVER_PID"
  fi
  if wants nginx; then
    log "nginx: LL-HLS ladder $LLHLS_LADDER, serving the files fluxrelay writes; its viewers poll (nginx cannot hold a blocking reload)"
    rm -rf "$LLHLS_FILES" && mkdir -p "$LLHLS_FILES"
    start_fluxrelay llhls fluxrelay-files "relay.hls.directory=$LLHLS_FILES"
    files_pid=$SERVER_PID
    port_free 8083
    rm -rf "$NGINX_LLHLS_PREFIX" && mkdir -p "$NGINX_LLHLS_PREFIX/logs"
    taskset -c "$SERVER_CPU" nginx -p "$NGINX_LLHLS_PREFIX" -c "$ROOT/loadtest/peers/nginx-llhls.conf" > "$OUT/nginx-llhls.log" 2>&1 &
    SERVER_PID=$!
    wait_port 8083
    SETTLE=$settle loadgen nginx-files "$SERVER_PID" --publish "rtmp://127.0.0.1:1936/live/$KEY" \
      --llhls http://127.0.0.1:8083/bench/ll.m3u8 --llhls-poll --ladder-kind llhls --ladder "$LLHLS_LADDER" \
      --warmup-viewers "$LLHLS_WARMUP_VIEWERS" --csv "$OUT/nginx-llhls.csv" --json "$OUT/nginx-llhls.json" | tee "$OUT/nginx-llhls.txt"
    log "fluxrelay writing the files used $(ps -o times= -p "$files_pid" | xargs) CPU seconds in all (not in nginx's figures)"
    stop_pid "$SERVER_PID"
    SERVER_PID=$files_pid
    stop_pid "$files_pid"
  fi
}

machine() {
  {
    echo "date: $(date -Is)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
    echo "memory: $(free -h | awk '/Mem:/ {print $2}')"
    echo "kernel: $(uname -r)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "nginx: $(nginx -v 2>&1), libnginx-mod-rtmp $(dpkg-query -W -f '${Version}' libnginx-mod-rtmp 2>/dev/null || echo '?')"
    [ -x "$SRS_BINARY" ] && echo "srs: $("$SRS_BINARY" -v 2>&1 | tail -1), revision $(cat "$(dirname "$SRS_BINARY")/../../REVISION" 2>/dev/null || echo '?')"
    echo "fluxrelay runs: $FLUXRELAY_VARIANTS"
    echo "open files: $(ulimit -n)"
    echo "server JVM flags: $SERVER_JVM"
    echo "load generator JVM flags: $LOAD_JVM"
    if [ "$RTMP" = 1 ]; then echo "ladder: $LADDER, window $STEP, settle $SETTLE, ramp $RAMP/s, stop below $STOP_BELOW healthy"
    else echo "no RTMP ladder; window $STEP, settle $SETTLE (10s for HLS and LL-HLS), ramp $RAMP/s, stop below $STOP_BELOW healthy"; fi
    echo "warm-up: $WARMUP_VIEWERS RTMP / $HLS_WARMUP_VIEWERS HLS viewers for $WARMUP before the first step, joining $WARMUP_JOINS time(s), closed again"
    [ "$LLHLS" = 1 ] && echo "LL-HLS ladder: $LLHLS_LADDER, warm-up $LLHLS_WARMUP_VIEWERS viewers"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$OUT/machine.txt"
}

# compare KIND OURS PEER PEER_NAME: a table of two runs' CSVs, when both exist (comparison-KIND[-OURS]-vs-PEER.md).
compare() {
  local kind=$1 ours=$2 peer=$3 name=$4 file
  file="$OUT/comparison-$kind.md"
  [ "$ours" = fluxrelay ] && [ "$peer" = nginx ] || file="$OUT/comparison-$kind-$ours-vs-$peer.md"
  if [ -f "$OUT/$ours-$kind.csv" ] && [ -f "$OUT/$peer-$kind.csv" ]; then
    java -jar "$LOAD_JAR" compare --ours "$OUT/$ours-$kind.csv" --peer "$OUT/$peer-$kind.csv" \
      --ours-name "$ours" --peer-name "$name" > "$file"
    log "comparison ($kind, $ours and $name):"
    cat "$file"
  fi
}

SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && stop_pid "$SERVER_PID"' EXIT
mkdir -p "$OUT"
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need_packages
build
media
machine
rtmp_ladder
hls_ladder
llhls_ladder
for variant in $FLUXRELAY_VARIANTS; do
  compare rtmp "${variant%%:*}" nginx nginx-rtmp
  compare rtmp "${variant%%:*}" srs SRS
done
compare hls fluxrelay nginx nginx-rtmp
compare llhls fluxrelay nginx "nginx (files, polled)"
log "done in $(( $(date +%s) - STARTED )) s; results in $OUT"
