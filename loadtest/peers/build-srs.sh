#!/usr/bin/env bash
# Builds SRS 6 (https://github.com/ossrs/srs) from its public source for loadtest/bench.sh, which runs it as a
# peer beside fluxrelay and nginx-rtmp. The source and the binary stay in loadtest/peers/srs/build, which git
# ignores: never commit them.
#
#   loadtest/peers/build-srs.sh                                   # clones https://github.com/ossrs/srs
#   loadtest/peers/build-srs.sh /path/to/srs                      # a local clone (bare or with a work tree)
#   SRS_REF=v6.0.157 loadtest/peers/build-srs.sh <dir-or-url>     # another branch or tag
#
# Environment: SRS_REF (branch or tag, default 6.0release), JOBS (make jobs, default 1; the build runs at nice 10
# so it does not starve a machine that others share), FORCE=1 (rebuild from a fresh checkout).
# Result: loadtest/peers/srs/build/trunk/objs/srs. Needs a C++ compiler, make, automake, autoconf, libtool and
# libssl-dev (Debian package names; the script installs the first three when missing and it may).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SOURCE=${1:-https://github.com/ossrs/srs.git}
SRS_REF=${SRS_REF:-6.0release}
JOBS=${JOBS:-1}
DEST=$ROOT/loadtest/peers/srs/build
BINARY=$DEST/trunk/objs/srs

log() { echo "[build-srs] $*"; }

if [ -x "$BINARY" ] && [ "${FORCE:-0}" != 1 ]; then
  log "already built: $BINARY ($("$BINARY" -v 2>&1 | tail -1)); FORCE=1 rebuilds"
  exit 0
fi

missing=()
for tool in automake autoconf libtoolize; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing automake autoconf libtool (missing: ${missing[*]})"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq automake autoconf libtool >/dev/null
fi

rm -rf "$DEST"
mkdir -p "$DEST"
if [ -d "$SOURCE" ]; then
  # A local clone: its tree at SRS_REF is written out file by file. A snapshot that lacks a few large blobs
  # (OpenSSL 1.0 tarballs, sample videos: none of which this build uses) still checks out; they are listed.
  git_dir=$(cd "$SOURCE" && git rev-parse --absolute-git-dir)
  index=$(mktemp)
  trap 'rm -f "$index"' EXIT
  log "checking out $SRS_REF from $git_dir"
  GIT_DIR=$git_dir GIT_INDEX_FILE=$index git read-tree "$SRS_REF"
  GIT_DIR=$git_dir GIT_INDEX_FILE=$index git checkout-index -a -f --prefix="$DEST/" 2> "$DEST/checkout.log" \
    || log "files missing from the clone, left out: $(grep -c 'unable to read' "$DEST/checkout.log") (see $DEST/checkout.log)"
  GIT_DIR=$git_dir git rev-parse "$SRS_REF" > "$DEST/REVISION"
else
  log "cloning $SRS_REF from $SOURCE"
  git clone -q --depth 1 --branch "$SRS_REF" "$SOURCE" "$DEST"
fi
[ -x "$DEST/trunk/configure" ] || { log "no trunk/configure in $SRS_REF: not an SRS source"; exit 1; }

cd "$DEST/trunk"
# RTMP and HTTP only: no WebRTC, SRT or FFmpeg transcoding, no sanitizer, the system's OpenSSL.
log "configuring"
./configure --rtc=off --srt=off --ffmpeg-fit=off --sanitizer=off --sys-ssl=on > "$DEST/configure.log" 2>&1 \
  || { tail -30 "$DEST/configure.log"; exit 1; }
log "building with $JOBS job(s) at nice 10 (several minutes)"
nice -n 10 make -j"$JOBS" > "$DEST/make.log" 2>&1 || { tail -30 "$DEST/make.log"; exit 1; }
log "built $BINARY ($("$BINARY" -v 2>&1 | tail -1))"
