# Sourced by deploy/smoke-test.sh and deploy/compose-test.sh (not run on its own): a private Docker
# engine started with the shared scripts, the locally built base image, tools, free ports and checks.
#
# Environment:
#   FLUXRELAY_SHARED_TOOLS  folder with dockerd-start.sh, dockerd-stop.sh, make-base-image.sh
#                           (default: ../shared/tools beside the repository; from a git worktree, also
#                           ../shared/tools beside its main checkout)
#   FLUXRELAY_DOCKER_STATE  the engine's state folder (default /var/tmp/fluxrelay-docker); the base image
#                           and debootstrap tree stay there between runs, so only the first run builds them
#   FLUXRELAY_BASE_IMAGE    the Dockerfiles' FROM (default debian:bookworm-slim)

FR_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FR_STATE=${FLUXRELAY_DOCKER_STATE:-/var/tmp/fluxrelay-docker}
FR_BASE=${FLUXRELAY_BASE_IMAGE:-debian:bookworm-slim}
FR_STARTED_DAEMON=0
FR_PASSED=0
FR_FAILED=0
export DOCKER_HOST=unix://$FR_STATE/docker.sock

fr_log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The main checkout of the repository: the worktree itself, or the checkout a git worktree belongs to.
fr_main_checkout() {
  local common
  common=$(git -C "$FR_REPO" rev-parse --git-common-dir 2>/dev/null) || return 1
  (cd "$FR_REPO" && cd "$common/.." && pwd)
}

# Where the shared Docker scripts are: CI clones the repository with shared/ beside it.
fr_tools() {
  local d main
  main=$(fr_main_checkout) || main=$FR_REPO
  for d in "${FLUXRELAY_SHARED_TOOLS:-}" "$FR_REPO/../shared/tools" "$main/../shared/tools"; do
    if [ -n "$d" ] && [ -f "$d/dockerd-start.sh" ] && [ -f "$d/make-base-image.sh" ]; then
      (cd "$d" && pwd)
      return 0
    fi
  done
  fr_log "cannot find the shared Docker scripts (set FLUXRELAY_SHARED_TOOLS)"
  return 1
}

# fr_need COMMAND PACKAGE: installs Debian's PACKAGE when COMMAND is missing (as root), without starting
# any service the package ships (prometheus would otherwise start one on port 9090).
fr_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then
    fr_log "$1 is missing: install Debian's $2"
    return 1
  fi
  fr_log "installing $2 for $1"
  local policy=/usr/sbin/policy-rc.d made=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made=1; fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null; } || true
  [ "$made" = 1 ] && rm -f "$policy"
  command -v "$1" >/dev/null 2>&1
}

# PyYAML for deploy/checks/check_deploy.py (Debian's python3-yaml).
fr_need_python_yaml() {
  [ "$(id -u)" = 0 ] || { fr_log "python3 has no yaml module: install Debian's python3-yaml"; return 1; }
  fr_log "installing python3-yaml"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-yaml >/dev/null; } || true
  python3 -c 'import yaml' 2>/dev/null
}

# Starts the private engine unless one already answers on its socket (then it is left running at the end).
fr_docker_up() {
  local tools
  tools=$(fr_tools) || return 1
  if command -v docker >/dev/null 2>&1 && docker version >/dev/null 2>&1; then
    fr_log "reusing the Docker engine at $DOCKER_HOST"
    return 0
  fi
  # An engine we stopped a moment ago may still be exiting; a pid file of a dead one is stale.
  fr_docker_wait_exit
  if [ -f "$FR_STATE/dockerd.pid" ] && ! kill -0 "$(cat "$FR_STATE/dockerd.pid")" 2>/dev/null; then
    rm -f "$FR_STATE/dockerd.pid"
  fi
  bash "$tools/dockerd-start.sh" "$FR_STATE" >&2 || return 1
  FR_STARTED_DAEMON=1
}

# fr_docker_wait_exit [PID]: waits (up to 30 s) until the engine PID (default: the pid file's) has exited;
# dockerd removes its pid file last.
fr_docker_wait_exit() {
  local pid=${1:-} i
  [ -n "$pid" ] || pid=$(cat "$FR_STATE/dockerd.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  fr_log "dockerd $pid still running after 30 s"
  return 1
}

fr_docker_down() {
  if [ "$FR_STARTED_DAEMON" = 1 ]; then
    local pid
    pid=$(cat "$FR_STATE/dockerd.pid" 2>/dev/null)
    bash "$(fr_tools)/dockerd-stop.sh" "$FR_STATE" >/dev/null 2>&1 || true
    # The shared stop script returns when the socket is gone; the next script's start needs the process gone.
    [ -n "$pid" ] && fr_docker_wait_exit "$pid"
    FR_STARTED_DAEMON=0
  fi
}

# No registry is reachable: the base is debootstrapped from Debian's archive once and kept. The shared
# script always puts a JRE into it (Debian's OpenJDK 17); the Dockerfile's apt step then finds it installed.
fr_base_image() {
  if docker image inspect "$FR_BASE" >/dev/null 2>&1; then
    fr_log "base image $FR_BASE present"
    return 0
  fi
  fr_log "building base image $FR_BASE with debootstrap (a few minutes, once)"
  STATE_DIR=$FR_STATE bash "$(fr_tools)/make-base-image.sh" "$FR_BASE" openjdk-17-jre-headless >&2
}

# The server jar the image copies; built when absent.
fr_jar() {
  [ -f "$FR_REPO/server/target/relay-server.jar" ] && return 0
  fr_log "building server/target/relay-server.jar"
  (cd "$FR_REPO" && mvn -B -q -DskipTests package >&2)
}

# A TCP port nothing on 127.0.0.1 answers on, not one of the ports given as arguments.
fr_free_port() {
  local p taken
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    taken=0
    for used in "$@"; do [ "$used" = "$p" ] && taken=1; done
    if [ "$taken" = 0 ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# fr_wait SECONDS COMMAND...: polls COMMAND every second until it succeeds or the time is up.
fr_wait() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 1
  done
}

fr_pass() { FR_PASSED=$((FR_PASSED + 1)); fr_log "PASS $*"; }
fr_fail() { FR_FAILED=$((FR_FAILED + 1)); fr_log "FAIL $*"; }

# fr_check DESCRIPTION COMMAND...: one recorded check.
fr_check() {
  local what=$1
  shift
  if "$@"; then fr_pass "$what"; else fr_fail "$what"; fi
}

# Counts the frames ffmpeg decodes from URL: prints "VIDEO AUDIO". Stops after 90 video frames (3 s).
fr_play() {
  local url=$1 out vi ai
  out=$(mktemp)
  timeout 60 ffmpeg -nostdin -y -v error -i "$url" -map 0 -frames:v 90 -f framecrc "$out" >/dev/null 2>&1 || true
  vi=$(sed -n 's/^#media_type \([0-9]*\): video$/\1/p' "$out" | head -1)
  ai=$(sed -n 's/^#media_type \([0-9]*\): audio$/\1/p' "$out" | head -1)
  echo "$( [ -n "$vi" ] && grep -c "^$vi," "$out" || echo 0) $( [ -n "$ai" ] && grep -c "^$ai," "$out" || echo 0)"
  rm -f "$out"
}

# Prints the plain tally CI reads and returns non-zero when a check failed.
fr_summary() {
  echo "$1: $FR_PASSED passed, $FR_FAILED failed"
  [ "$FR_FAILED" = 0 ] && [ "$FR_PASSED" -gt 0 ]
}
