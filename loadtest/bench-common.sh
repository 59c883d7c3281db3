# Shared by the benchmark scripts (sourced, not run): building the jars, the one sample stream, port checks.
# The sourcing script sets ROOT, MEDIA, SERVER_JAR, LOAD_JAR and a log function first.

# Builds the server and load generator jars when missing or older than their sources.
build() {
  if [ ! -f "$SERVER_JAR" ] || [ ! -f "$LOAD_JAR" ] \
     || [ -n "$(find "$ROOT/server/src/main" "$ROOT/loadtest/src/main" -newer "$LOAD_JAR" -type f -print -quit)" ]; then
    log "building the jars"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
  fi
}

# The benchmark stream, encoded once: 2 Mbit/s 720p30 (24 s, testsrc2 with noise, x264 veryfast, 2 s GOP, AAC 128k).
media() {
  if [ ! -f "$MEDIA" ]; then
    log "encoding the 2 Mbit/s 720p30 sample (24 s, testsrc2 with noise, x264 veryfast, 2 s GOP, AAC 128k)"
    mkdir -p "$(dirname "$MEDIA")"
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
      -f lavfi -i "sine=frequency=1000:sample_rate=48000" -t 24 -vf "noise=alls=12:allf=t" \
      -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -b:v 1850k -maxrate 1850k -bufsize 3700k \
      -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -b:a 128k -ar 48000 -ac 2 -f flv "$MEDIA"
  fi
}

# Waits (at most 60 s) until a loopback port accepts connections.
wait_port() {
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "port $1 did not open" >&2
  return 1
}

# Fails when something already listens on a loopback port.
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 is already in use: stop whatever listens there first" >&2
    return 1
  fi
}
