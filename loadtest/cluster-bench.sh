#!/usr/bin/env bash
# Cluster benchmark: a redis-server, three fluxrelay nodes (one origin, two edges, each its own JVM, pinned with
# taskset), one 2 Mbit/s 720p30 H.264/AAC stream published to the origin and RTMP viewers spread evenly over the
# two edges, in a ladder. Per step: the origin's CPU and egress (bytes its process wrote, and its egress counter),
# the pulls open on each edge, each edge's CPU, the viewers' health and relay latency. Then the time to first
# keyframe of a viewer at an edge with no pull open (cold: the pull starts), at an edge already pulling (warm) and
# at the origin, a few samples each; then the failover: kill -9 of the origin while viewers watch at edge 2, the
# publisher reconnecting to edge 1, and the longest gap each viewer saw. Writes CSV/JSON, the logs and a README
# summary to $OUT.
#
#   loadtest/cluster-bench.sh                                   # about 5 minutes
#   LADDER_PER_EDGE=0,100,500 STEP=10s loadtest/cluster-bench.sh
#
# Environment: LADDER_PER_EDGE (viewers at each edge, per step), STEP (measurement window), SETTLE (wait after each
# ramp), RAMP (viewers started per second), WARMUP_VIEWERS / WARMUP (played and closed before the first step),
# SAMPLES (time-to-first-frame samples of each kind), FAILOVER_VIEWERS (RTMP viewers at edge 2 during the failover),
# FAILOVER_WINDOW, ORIGIN_CPU / EDGE_CPU / LOAD_CPU (cores to pin to), OUT (output folder), BASE_PORT (the nodes use
# BASE_PORT..+2 for RTMP, +10..+12 for HTTP, +20 for Redis).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/loadtest/target/cluster-bench/$(date +%Y%m%d-%H%M%S)}
LADDER_PER_EDGE=${LADDER_PER_EDGE:-0,200,500,1000}
STEP=${STEP:-10s}
SETTLE=${SETTLE:-5s}
RAMP=${RAMP:-500}
WARMUP_VIEWERS=${WARMUP_VIEWERS:-400}
WARMUP=${WARMUP:-20s}
SAMPLES=${SAMPLES:-5}
FAILOVER_VIEWERS=${FAILOVER_VIEWERS:-100}
FAILOVER_WINDOW=${FAILOVER_WINDOW:-40s}
ORIGIN_CPU=${ORIGIN_CPU:-0}
EDGE_CPU=${EDGE_CPU:-1}
LOAD_CPU=${LOAD_CPU:-1}
BASE_PORT=${BASE_PORT:-1946}

# Each node as bench.sh runs its one server, with half the heap (three of them share the machine).
SERVER_JVM="-Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxDirectMemorySize=1g -XX:+AlwaysPreTouch"
LOAD_JVM="-Xms1g -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"

MEDIA=$ROOT/loadtest/target/bench/stream-720p30-2mbps.flv
SERVER_JAR=$ROOT/server/target/relay-server.jar
LOAD_JAR=$ROOT/loadtest/target/relay-loadtest.jar
KEY=bench-key-5f1c2e9a7d3b
SECRET=cluster-bench-secret-not-for-production-0123
NODES=(origin edge1 edge2)
REDIS_PORT=$((BASE_PORT + 20))
CLK_TCK=$(getconf CLK_TCK)
STARTED=$(date +%s)
declare -A PID RTMP HTTP

log() { echo "[cluster-bench $(( $(date +%s) - STARTED ))s] $*"; }
# shellcheck source=bench-common.sh
. "$ROOT/loadtest/bench-common.sh"

need_packages() {
  local missing=()
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian packages)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

stop_pid() {
  [ -n "${1:-}" ] || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# until_true SECONDS COMMAND...: polls COMMAND every 0.1 s; fails after SECONDS.
until_true() {
  local end=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || { echo "timed out waiting for: $*" >&2; return 1; }
    sleep 0.1
  done
}

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${HTTP[$1]}/health/ready")" = 200 ]; }

# metric NODE NAME [DECIMALS]: the sum of a Prometheus series over its labels (default: a whole number), 0 when absent.
metric() {
  curl -s "http://127.0.0.1:${HTTP[$1]}/metrics" | awk -v m="$2" -v d="${3:-0}" \
    'index($1, m) == 1 && (length($1) == length(m) || substr($1, length(m) + 1, 1) == "{") { s += $NF } END { printf "%." d "f\n", s }'
}

pulls() { metric "$1" fluxrelay_cluster_pulls_open; }
no_pull() { [ "$(pulls "$1")" = 0 ]; }
one_pull() { [ "$(pulls "$1")" = 1 ]; }

# cpu_seconds PID: user + system time of a process (fields 14 and 15 of /proc/PID/stat, after the command name).
cpu_seconds() { awk -v hz="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' "/proc/$1/stat"; }

start_redis() {
  port_free "$REDIS_PORT"
  mkdir -p "$OUT/redis"
  taskset -c "$LOAD_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT/redis" \
    > "$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
  until_true 20 redis_up
}

redis_up() { [ "$(printf 'PING\r\n' | timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT; cat >&3; head -c 7 <&3" 2>/dev/null | tr -d '\r\n')" = "+PONG" ]; }

configure() {
  local i=0
  mkdir -p "$OUT/conf"
  for node in "${NODES[@]}"; do
    RTMP[$node]=$((BASE_PORT + i))
    HTTP[$node]=$((BASE_PORT + 10 + i))
    port_free "${RTMP[$node]}"
    port_free "${HTTP[$node]}"
    cat > "$OUT/conf/$node.conf" <<EOF
# $node of the cluster benchmark (loadtest/cluster-bench.sh); everything else is config/reference.conf's default.
relay {
  rtmp { host = "127.0.0.1", port = ${RTMP[$node]} }
  http { host = "127.0.0.1", port = ${HTTP[$node]} }
  # Every viewer comes from 127.0.0.1: no per-address cap.
  limits { max-connections-per-ip = 0 }
  demo-room.enabled = false
  # As deploy/cluster/relay.conf: edge viewers wait out a failover rather than being told the stream ended.
  stream.publisher-gap-grace = 15s
  cluster {
    enabled = true
    node-id = "$node"
    advertise-host = "127.0.0.1"
    redis-uri = "redis://127.0.0.1:$REDIS_PORT"
    secret = "$SECRET"
    # Short, so that the cold time-to-first-frame samples need not wait 30 s for each pull to end.
    pull-idle-timeout = 3s
  }
}
EOF
    i=$((i + 1))
  done
}

# start_node NODE CPU
start_node() {
  taskset -c "$2" java $SERVER_JVM -jar "$SERVER_JAR" --config "$OUT/conf/$1.conf" >> "$OUT/$1.log" 2>&1 &
  PID[$1]=$!
  until_true 60 ready "$1"
}

create_room() {
  local code
  code=$(curl -s -o "$OUT/room.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"id\": \"bench\", \"title\": \"Cluster benchmark\", \"app\": \"live\", \"streamName\": \"$KEY\"}" \
    "http://127.0.0.1:${HTTP[origin]}/api/rooms")
  [ "$code" = 201 ] || { echo "room not created (HTTP $code): $(cat "$OUT/room.json")" >&2; return 1; }
  for node in edge1 edge2; do
    until_true 10 room_known "$node"
  done
}

room_known() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${HTTP[$1]}/api/rooms/bench")" = 200 ]; }

rtmp_url() { echo "rtmp://127.0.0.1:${RTMP[$1]}/live/$2"; }

# loadgen ARGS...: the load generator pinned to LOAD_CPU, bounded in time.
loadgen() {
  local command=(timeout 15m taskset -c "$LOAD_CPU" java $LOAD_JVM -jar "$LOAD_JAR" "$@")
  # Started in the background it runs in a subshell: replace that, so that $! is the run itself and stop_pid ends it.
  if [ "$BASHPID" != "$$" ]; then exec "${command[@]}"; fi
  "${command[@]}"
}

# publisher NODE: ffmpeg replaying the sample to NODE (as an encoder would, stream copy), pinned to LOAD_CPU.
publisher() {
  taskset -c "$LOAD_CPU" ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i "$MEDIA" -c copy -f flv \
    "$(rtmp_url "$1" "$KEY")" >> "$OUT/ffmpeg-$1.log" 2>&1 &
  FFMPEG_PID=$!
}

# seconds DURATION: 500ms, 10s or 2m in seconds.
seconds() {
  case $1 in
    *ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
  esac
}

# connections PORT: established TCP connections on a local port (the origin's: the edges' pulls and the publisher).
connections() { ss -Htn state established "( sport = :$1 )" | wc -l; }

# sample: the counters the ladder table is made of, at one moment.
sample() {
  echo "$(date +%s.%N) $(cpu_seconds "${PID[origin]}") $(cpu_seconds "${PID[edge1]}") $(cpu_seconds "${PID[edge2]}")" \
    "$(metric origin fluxrelay_egress_bytes_total) $(metric edge1 fluxrelay_egress_bytes_total) $(metric edge2 fluxrelay_egress_bytes_total)"
}

# The ladder: one load generator run publishes (with latency stamps) to the origin and plays from both edges; the
# script samples the nodes inside each measurement window, which begins a progress interval (250 ms) before the run
# prints its first progress line of the window, and lasts STEP.
ladder() {
  local total="" n=0 per window
  IFS=, read -ra per <<< "$LADDER_PER_EDGE"
  for v in "${per[@]}"; do total+="${total:+,}$((2 * v))"; n=$((n + 1)); done
  window=$(awk -v s="$(seconds "$STEP")" 'BEGIN { print s - 0.5 }')
  log "ladder: $LADDER_PER_EDGE viewers per edge ($total in all), $STEP windows"
  loadgen --file "$MEDIA" --publish "$(rtmp_url origin "$KEY")" --rtmp "$(rtmp_url edge1 bench)" --rtmp "$(rtmp_url edge2 bench)" \
    --ladder "$total" --server-pid "${PID[origin]}" --server-core "$ORIGIN_CPU" --label cluster --settle "$SETTLE" \
    --duration "$STEP" --ramp "$RAMP" --progress 250ms --stop-below 0 --warmup-viewers "$WARMUP_VIEWERS" --warmup "$WARMUP" \
    --csv "$OUT/ladder-viewers.csv" --json "$OUT/ladder-viewers.json" > "$OUT/ladder.txt" 2>&1 &
  local run=$!
  echo "step,viewers_per_edge,sampled_s,origin_cpu,edge1_cpu,edge2_cpu,origin_egress_mbps,edge1_egress_mbps,edge2_egress_mbps,origin_connections,edge1_pulls,edge2_pulls" \
    > "$OUT/ladder-nodes.csv"
  for k in $(seq 1 "$n"); do
    until_true 900 window_started "$k" "$n" "$run"
    kill -0 "$run" 2>/dev/null || break
    local a b census
    a=$(sample)
    census="$(connections "${RTMP[origin]}") $(pulls edge1) $(pulls edge2)"
    sleep "$window"
    b=$(sample)
    echo "$k ${per[$((k - 1))]} $a $b $census" | awk '{
      t = $10 - $3; mb = 8 / t / 1e6
      printf "%d,%d,%.1f,%.3f,%.3f,%.3f,%.2f,%.1f,%.1f,%d,%d,%d\n", $1, $2, t, ($11 - $4) / t, ($12 - $5) / t, ($13 - $6) / t,
        ($14 - $7) * mb, ($15 - $8) * mb, ($16 - $9) * mb, $17, $18, $19 }' >> "$OUT/ladder-nodes.csv"
    log "step $k: $(tail -1 "$OUT/ladder-nodes.csv")"
  done
  wait "$run" || { echo "the load generator failed: see $OUT/ladder.txt" >&2; return 1; }
  table
}

window_started() { grep -qs "step $1/$2 measure\]" "$OUT/ladder.txt" || ! kill -0 "$3" 2>/dev/null; }

# table: the nodes' figures and the viewers' of each step side by side (markdown), into $OUT/ladder.md.
table() {
  awk -F, 'NR == FNR { if (FNR > 1) { healthy[$2] = $8; lat[$2] = $14; ttff[$2] = $16 } ; next }
    FNR == 1 { print "| viewers per edge | origin CPU | origin egress Mbit/s | origin connections | pulls edge 1 / 2 | edge 1 / edge 2 CPU | edge 1 + 2 egress Mbit/s | healthy | latency p99 ms | TTFF p50 ms |"
               print "|---|---|---|---|---|---|---|---|---|---|"; next }
    { v = $1; printf "| %d | %.3f | %.2f | %d | %d / %d | %.3f / %.3f | %.0f | %s | %s | %s |\n", $2, $4, $7, $10, $11, $12, $5, $6,
      $8 + $9, v in healthy ? healthy[v] "%" : "—", v in lat ? lat[v] : "—", v in ttff ? ttff[v] : "—" }' \
    "$OUT/ladder-viewers.csv" "$OUT/ladder-nodes.csv" > "$OUT/ladder.md"
  cat "$OUT/ladder.md"
}

# probes LABEL ARGS...: time-to-first-keyframe probes (the load generator's --probe), after 20 viewers of the origin
# warmed the load generator's own code (a fresh JVM's first connection is slow); appends "LABEL,i,url,ms" to ttff.csv.
probes() {
  local label=$1; shift
  loadgen --rtmp "$(rtmp_url origin bench)" --warmup-viewers 20 --warmup 3s --settle 1s --duration 1s --label "$label" \
    "$@" > "$OUT/ttff-$label.txt" 2>&1
  sed -nE "s|^PROBE ([0-9]+)/[0-9]+ ([^ ]+): first keyframe after ([0-9.]+) ms$|$label,\1,\2,\3|p" "$OUT/ttff-$label.txt" >> "$OUT/ttff.csv"
  grep '^PROBES' "$OUT/ttff-$label.txt" | sed "s/^/$label: /"
}

# pull_timer: "seconds count" of both edges' pull-to-first-keyframe timer (fluxrelay_cluster_pull_first_keyframe).
pull_timer() {
  local m=fluxrelay_cluster_pull_first_keyframe_seconds
  echo "$(awk -v a="$(metric edge1 ${m}_sum 6)" -v b="$(metric edge2 ${m}_sum 6)" 'BEGIN { printf "%.6f", a + b }')" \
    $(( $(metric edge1 ${m}_count) + $(metric edge2 ${m}_count) ))
}

pulls_started() { echo $(( $(metric edge1 fluxrelay_cluster_pulls_started_total) + $(metric edge2 fluxrelay_cluster_pulls_started_total) )); }

# Cold: probes at the edges in turn, each after the edge's pull has ended (interval 5 s, pull idle timeout 3 s), so
# each starts a pull. Warm: one viewer at each edge holds its pull open while the probes join. Origin: for reference.
first_frames() {
  log "time to first keyframe: $SAMPLES probes at each edge cold, warm, and at the origin"
  publisher origin
  sleep 5
  echo "kind,sample,url,ttff_ms" > "$OUT/ttff.csv"
  local before after
  until_true 60 no_pull edge1
  until_true 60 no_pull edge2
  before=$(pulls_started)
  local pull_before
  pull_before=$(pull_timer)
  probes cold_edge --probe "$(rtmp_url edge1 bench)" --probe "$(rtmp_url edge2 bench)" --probes $((2 * SAMPLES)) --probe-interval 5s
  after=$(pulls_started)
  local cold_pulls=$((after - before))
  echo "cold_edge: $cold_pulls pulls started for $((2 * SAMPLES)) probes"
  local pull_ms
  pull_ms=$(echo "$pull_before $(pull_timer)" | awk '{ if ($4 > $2) printf "%.1f", 1000 * ($3 - $1) / ($4 - $2) }')
  loadgen --rtmp "$(rtmp_url edge1 bench)" --rtmp "$(rtmp_url edge2 bench)" --rtmp-viewers 2 --settle 1s --duration 5m --label holder \
    > "$OUT/ttff-holder.txt" 2>&1 &
  local holder=$!
  until_true 60 one_pull edge1
  until_true 60 one_pull edge2
  before=$(pulls_started)
  probes warm_edge --probe "$(rtmp_url edge1 bench)" --probe "$(rtmp_url edge2 bench)" --probes $((2 * SAMPLES)) --probe-interval 1s
  echo "warm_edge: $(( $(pulls_started) - before )) pulls started for $((2 * SAMPLES)) probes"
  stop_pid "$holder"
  probes origin --probe "$(rtmp_url origin bench)" --probes "$SAMPLES" --probe-interval 1s
  {
    echo "cold_edge_pulls_started,cold_pull_to_first_keyframe_mean_ms"
    echo "$cold_pulls,$pull_ms"
  } > "$OUT/ttff-pulls.csv"
  cat "$OUT/ttff.csv"
}

# log_time NODE TEXT AFTER: epoch seconds of the node's first log line containing TEXT at or after AFTER.
log_time() {
  grep -F "$2" "$OUT/$1.log" | while read -r stamp _; do
    local t
    t=$(date -d "$stamp" +%s.%N)
    if awk -v t="$t" -v a="$3" 'BEGIN { exit !(t >= a) }'; then echo "$t"; break; fi
  done
}

ffmpeg_alive() { kill -0 "$FFMPEG_PID" 2>/dev/null; }

# The failover: viewers at edge 2, the origin killed (-9) mid-window, the publisher back on edge 1 (retried every
# second until taken, as an encoder's automatic reconnect does once the old lease has expired).
failover() {
  log "failover: $FAILOVER_VIEWERS viewers at edge 2, origin killed, publisher reconnects to edge 1"
  loadgen --rtmp "$(rtmp_url edge2 bench)" --rtmp-viewers "$FAILOVER_VIEWERS" --settle 3s --duration "$FAILOVER_WINDOW" \
    --progress 250ms --label failover --csv "$OUT/failover-viewers.csv" --json "$OUT/failover-viewers.json" > "$OUT/failover.txt" 2>&1 &
  local run=$!
  until_true 120 grep -q "step 1/1 measure\]" "$OUT/failover.txt"
  sleep 3
  local killed accepted tries=0
  killed=$(date +%s.%N)
  kill -9 "${PID[origin]}"
  stop_pid "$FFMPEG_PID"
  while :; do
    tries=$((tries + 1))
    publisher edge1
    local t
    t=$(date +%s.%N)
    sleep 2
    if ffmpeg_alive; then accepted=$t; break; fi
    [ "$tries" -lt 30 ] || { echo "edge 1 never took the publisher: see $OUT/ffmpeg-edge1.log" >&2; return 1; }
    sleep 1
  done
  wait "$run" || { echo "the failover load generator failed: see $OUT/failover.txt" >&2; return 1; }
  # From the nodes' logs: when edge 1 took the room's lease, when edge 2 pulled from it.
  local leased repulled
  leased=$(log_time edge1 'publish lease taken' "$killed")
  repulled=$(log_time edge2 'pulling from origin node edge1' "$killed")
  {
    echo "publisher_restarted_after_s,publish_attempts,edge1_lease_after_s,edge2_repull_after_s"
    awk -v k="$killed" -v a="$accepted" -v l="$leased" -v r="$repulled" -v n="$tries" \
      'BEGIN { printf "%.1f,%d,%s,%s\n", a - k, n, l == "" ? "" : sprintf("%.1f", l - k), r == "" ? "" : sprintf("%.1f", r - k) }'
  } > "$OUT/failover-events.csv"
  grep '^RESULT' "$OUT/failover.txt"
  cat "$OUT/failover-events.csv"
  stop_pid "$FFMPEG_PID"
}

machine() {
  {
    echo "date: $(date -Is)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
    echo "memory: $(free -h | awk '/Mem:/ {print $2}')"
    echo "kernel: $(uname -r)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "redis: $(redis-server --version)"
    echo "pinning: origin on CPU $ORIGIN_CPU; edge 1, edge 2, redis-server, the publisher and the load generator on CPU $EDGE_CPU/$LOAD_CPU"
    echo "server JVM flags (each node): $SERVER_JVM"
    echo "load generator JVM flags: $LOAD_JVM"
    echo "ladder per edge: $LADDER_PER_EDGE, window $STEP, settle $SETTLE, ramp $RAMP/s, warm-up $WARMUP_VIEWERS viewers for $WARMUP"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$OUT/machine.txt"
}

# tidy: the reports name files relative to the repository root, never by an absolute path.
tidy() {
  sed -i "s|$ROOT/||g" "$OUT"/*.csv "$OUT"/*.json "$OUT"/*.md "$OUT"/*.txt 2>/dev/null || true
}

cleanup() {
  set +e
  stop_pid "${FFMPEG_PID:-}"
  for node in "${NODES[@]}"; do stop_pid "${PID[$node]:-}"; done
  stop_pid "${REDIS_PID:-}"
}

FFMPEG_PID=""
REDIS_PID=""
trap cleanup EXIT
mkdir -p "$OUT"
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need_packages
build
media
machine
start_redis
configure
start_node origin "$ORIGIN_CPU"
start_node edge1 "$EDGE_CPU"
start_node edge2 "$EDGE_CPU"
create_room
ladder
first_frames
failover
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
tidy
log "done in $(( $(date +%s) - STARTED )) s; results in $OUT"
